// Ending a dispute with money: a dispute settles the milestone's whole escrow
// (PRODUCT.md "Disputes"). The freelancer's share is released with the
// service fee into the 5-day hold, the rest returns to the client's balance;
// the milestone ends `paid` if the freelancer got anything, else `refunded`.
// Set-based over several disputes so a deadline sweep settles a batch at once.

import { assert } from '../../domain/errors.ts';
import { settledState } from '../../domain/milestone.ts';
import type { OutcomeKind, Split } from '../../domain/dispute.ts';
import type { Tx } from '../../db/port.ts';
import { moveEscrow, updateMilestones } from '../contracts/escrow.ts';
import { moneyOf } from '../contracts/rows.ts';
import { appendEvents, type EventActorRole } from '../events.ts';
import { appendDisputeEvents } from './record.ts';
import type { DisputeRow } from './rows.ts';

export interface Resolution {
  dispute: DisputeRow;
  split: Split;
  kind: OutcomeKind;
  actor_id: string | null;
  actor_role: EventActorRole;
  /** Extra facts for the record (e.g. who paid the arbitration fee). */
  data?: Record<string, unknown>;
}

export async function resolveDisputes(tx: Tx, now: Date, feeBps: number, resolutions: readonly Resolution[]): Promise<void> {
  if (resolutions.length === 0) return;
  const money = await moneyOf(tx, resolutions.map((r) => r.dispute.milestone_id));
  for (const r of resolutions) {
    assert(r.split.freelancer_amount + r.split.client_amount === r.dispute.escrow_amount, 'a resolution splits the whole escrow in dispute');
    assert(money.get(r.dispute.milestone_id)!.escrow === r.dispute.escrow_amount, 'the escrow did not move while the dispute was open');
  }
  const moved = await moveEscrow(
    tx,
    now,
    feeBps,
    resolutions.map((r) => ({
      milestone_id: r.dispute.milestone_id,
      currency: r.dispute.currency,
      client_id: r.dispute.client_id,
      freelancer_id: r.dispute.freelancer_id,
      release: r.split.freelancer_amount,
      refund: r.split.client_amount,
    })),
  );
  await updateMilestones(
    tx,
    now,
    resolutions.map((r) => ({
      id: r.dispute.milestone_id,
      expected: 'in_dispute' as const,
      status: settledState(money.get(r.dispute.milestone_id)!.released + r.split.freelancer_amount),
      review_due_at: null,
      refund_due_at: null,
    })),
  );
  await tx.query(
    `update disputes d set status = 'resolved', outcome_kind = u.kind, outcome_freelancer_amount = u.freelancer_amount,
            outcome_client_amount = u.client_amount, resolved_at = $5
       from unnest($1::text[], $2::text[], $3::int8[], $4::int8[]) as u(id, kind, freelancer_amount, client_amount)
      where d.id = u.id`,
    [resolutions.map((r) => r.dispute.id), resolutions.map((r) => r.kind), resolutions.map((r) => r.split.freelancer_amount), resolutions.map((r) => r.split.client_amount), now],
  );
  for (const [i, r] of resolutions.entries()) {
    const m = moved[i]!;
    await appendDisputeEvents(tx, now, r.dispute, [
      {
        type: 'dispute.resolved',
        actor_id: r.actor_id,
        actor_role: r.actor_role,
        data: { outcome: r.kind, freelancer_amount: r.split.freelancer_amount, client_amount: r.split.client_amount, fee: m.fee, freelancer_net: m.net, currency: r.dispute.currency, ...(r.data ?? {}) },
      },
    ]);
  }
  await appendEvents(
    tx,
    now,
    resolutions.map((r, i) => ({
      type: 'milestone.dispute_resolved',
      contract_id: r.dispute.contract_id,
      milestone_id: r.dispute.milestone_id,
      actor_id: r.actor_id,
      actor_role: r.actor_role,
      data: { dispute: r.dispute.id, outcome: r.kind, released: r.split.freelancer_amount, fee: moved[i]!.fee, refunded: r.split.client_amount, currency: r.dispute.currency },
    })),
  );
}
