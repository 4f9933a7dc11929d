// POST /v1/disputes: the freelancer disputes a milestone that holds escrow
// after delivery or has a refund request. The milestone's clock pauses; the
// client must respond within 5 business days of their own zone and country.

import { conflict, forbidden, invalid } from '../../domain/errors.ts';
import { businessDayDeadline } from '../../domain/calendar.ts';
import { DISPUTABLE_MILESTONE_STATES, RESPONSE_BUSINESS_DAYS } from '../../domain/dispute.ts';
import { newId } from '../../lib/ids.ts';
import type { Deps } from '../deps.ts';
import { updateMilestones } from '../contracts/escrow.ts';
import { loadMilestoneFor, moneyOf } from '../contracts/rows.ts';
import { appendEvents } from '../events.ts';
import { citeFiles } from '../files/file-access.ts';
import { appendDisputeEvents } from './record.ts';
import { disputeObject } from './rows.ts';

export interface FileDisputeOptions {
  user_id: string;
  milestone_id: string;
  amount?: number | undefined;
  reason_code: string;
  description: string;
  file_ids?: string[] | undefined;
}

export async function fileDispute(deps: Deps, o: FileDisputeOptions) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { milestone, contract, party } = await loadMilestoneFor(tx, o.milestone_id, o.user_id, { lock: true });
    if (party !== 'freelancer') throw forbidden('Only the freelancer can file a dispute.');
    if (milestone.status === 'in_dispute') throw conflict('dispute_already_open', 'This milestone already has an open dispute.');
    if (!(DISPUTABLE_MILESTONE_STATES as readonly string[]).includes(milestone.status)) {
      throw conflict('milestone_not_disputable', `A dispute can be filed on delivered work (submitted or changes requested) or on a refund request; this milestone is ${milestone.status.replace('_', ' ')}.`);
    }
    const running = milestone.status === 'submitted' ? milestone.review_due_at : milestone.status === 'refund_requested' ? milestone.refund_due_at : null;
    if (running && running.getTime() < now.getTime()) throw conflict('milestone_deadline_passed', 'This milestone’s deadline has passed and it is being settled.');
    const { escrow } = (await moneyOf(tx, [milestone.id])).get(milestone.id)!;
    const amount = o.amount ?? escrow;
    if (amount > escrow) throw invalid('amount_exceeds_escrow', `You can request at most ${escrow}, what the milestone holds in escrow.`, 'amount');

    const client = (await tx.query<{ time_zone: string; country: string | null }>('select time_zone, country from users where id = $1', [contract.client_id])).rows[0]!;
    const deadline = businessDayDeadline(now, RESPONSE_BUSINESS_DAYS, client.time_zone, client.country);
    const disputeId = newId('dispute');
    await tx.query(
      `insert into disputes (id, contract_id, milestone_id, status, currency, amount_requested, escrow_amount, filed_by, filed_at, response_due_at, response_deadline_basis)
       values ($1, $2, $3, 'awaiting_response', $4, $5, $6, $7, $8, $9, $10::jsonb)`,
      [disputeId, contract.id, milestone.id, milestone.currency, amount, escrow, o.user_id, now, deadline.due_at, JSON.stringify(deadline.basis)],
    );
    await tx.query(
      `insert into dispute_statements (dispute_id, kind, author_id, reason_code, description, file_ids, created_at) values ($1, 'filing', $2, $3, $4, $5, $6)`,
      [disputeId, o.user_id, o.reason_code, o.description, o.file_ids ?? [], now],
    );
    await citeFiles(tx, now, { author_id: o.user_id, file_ids: o.file_ids ?? [], contract_id: contract.id, dispute_id: disputeId, param: 'file_ids' });
    await updateMilestones(tx, now, [
      {
        id: milestone.id,
        expected: milestone.status,
        status: 'in_dispute',
        review_due_at: null,
        refund_due_at: null,
        paused_state: milestone.status,
        paused_remaining_ms: running ? running.getTime() - now.getTime() : null,
      },
    ]);
    await appendDisputeEvents(tx, now, { id: disputeId, contract_id: contract.id, milestone_id: milestone.id }, [
      {
        type: 'dispute.filed',
        actor_id: o.user_id,
        actor_role: 'freelancer',
        data: {
          amount_requested: amount,
          escrow_amount: escrow,
          currency: milestone.currency,
          reason_code: o.reason_code,
          file_ids: o.file_ids ?? [],
          response_due_at: deadline.due_at.toISOString(),
          response_deadline_basis: deadline.basis,
        },
      },
    ]);
    await appendEvents(tx, now, [
      { type: 'milestone.disputed', contract_id: contract.id, milestone_id: milestone.id, actor_id: o.user_id, actor_role: 'freelancer', data: { dispute: disputeId, paused_state: milestone.status } },
    ]);
    return disputeObject(tx, disputeId, { id: o.user_id, role: 'member' }, now);
  });
}
