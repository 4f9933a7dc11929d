// Moving a milestone's escrow, set-based so one call serves a single approval
// and a sweeper batch of a thousand auto-releases alike: releases pay the
// freelancer (less the service fee, into the 5-day hold), refunds return to
// the client's balance with no fee (PRODUCT.md "Money").

import { assert } from '../../domain/errors.ts';
import { availableAccount, escrowAccount, feesAccount, pendingAccount, type TransferSpec } from '../../domain/ledger.ts';
import type { MilestoneState } from '../../domain/milestone.ts';
import { serviceFee, type Currency } from '../../domain/money.ts';
import type { Tx } from '../../db/port.ts';
import { postTransfers } from '../ledger.ts';
import { holdPending, type PendingHold } from '../money/hold-pending.ts';

export interface EscrowMove {
  milestone_id: string;
  currency: Currency;
  client_id: string;
  freelancer_id: string;
  /** Gross amount released to the freelancer; the fee comes out of it. */
  release: number;
  /** Amount returned to the client. */
  refund: number;
}

export interface EscrowMoveResult {
  milestone_id: string;
  release: number;
  fee: number;
  net: number;
  refund: number;
}

/** The fee split of a gross release: what the freelancer gets and what the platform keeps. */
export function splitRelease(gross: number, feeBps: number): { fee: number; net: number } {
  const fee = serviceFee(gross, feeBps);
  return { fee, net: gross - fee };
}

export async function moveEscrow(tx: Tx, now: Date, feeBps: number, moves: readonly EscrowMove[]): Promise<EscrowMoveResult[]> {
  const specs: TransferSpec[] = [];
  const holds: Array<Omit<PendingHold, 'transfer_id'> & { spec: number }> = [];
  const results: EscrowMoveResult[] = [];
  for (const m of moves) {
    assert(m.release >= 0 && m.refund >= 0 && m.release + m.refund > 0, 'an escrow move moves something');
    const escrow = escrowAccount(m.milestone_id, m.currency);
    const { fee, net } = splitRelease(m.release, feeBps);
    if (net > 0) {
      holds.push({ user_id: m.freelancer_id, currency: m.currency, amount: net, spec: specs.length });
      specs.push({ kind: 'escrow_release', from: escrow, to: pendingAccount(m.freelancer_id, m.currency), amount: net, ref_id: m.milestone_id, description: 'Milestone payment released' });
    }
    if (fee > 0) specs.push({ kind: 'service_fee', from: escrow, to: feesAccount(m.currency), amount: fee, ref_id: m.milestone_id, description: 'Service fee' });
    if (m.refund > 0) specs.push({ kind: 'escrow_refund', from: escrow, to: availableAccount(m.client_id, m.currency), amount: m.refund, ref_id: m.milestone_id, description: 'Escrow refunded' });
    results.push({ milestone_id: m.milestone_id, release: m.release, fee, net, refund: m.refund });
  }
  const posted = await postTransfers(tx, now, specs);
  await holdPending(
    tx,
    now,
    holds.map(({ spec, ...hold }) => ({ ...hold, transfer_id: posted[spec]!.id })),
  );
  return results;
}

export interface MilestoneUpdate {
  id: string;
  /** The state the row must still be in: a transition re-checks what it expects. */
  expected: MilestoneState;
  status: MilestoneState;
  review_due_at: Date | null;
  refund_due_at: Date | null;
  /** Only for `in_dispute`: the state to resume and the time its clock had left. */
  paused_state?: MilestoneState | null;
  paused_remaining_ms?: number | null;
}

/** Writes new states; asserts every row was still in the state its caller read. */
export async function updateMilestones(tx: Tx, now: Date, updates: readonly MilestoneUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  const result = await tx.query(
    `update milestones m set status = u.status, review_due_at = u.review_due_at, refund_due_at = u.refund_due_at,
            paused_state = u.paused_state, paused_remaining_ms = u.paused_remaining_ms, updated_at = $8
       from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::int8[])
         as u(id, expected, status, review_due_at, refund_due_at, paused_state, paused_remaining_ms)
      where m.id = u.id and m.status = u.expected`,
    [
      updates.map((u) => u.id),
      updates.map((u) => u.expected),
      updates.map((u) => u.status),
      updates.map((u) => u.review_due_at),
      updates.map((u) => u.refund_due_at),
      updates.map((u) => u.paused_state ?? null),
      updates.map((u) => u.paused_remaining_ms ?? null),
      now,
    ],
  );
  assert(result.rowCount === updates.length, `every milestone was still in its expected state (${result.rowCount} of ${updates.length})`);
}
