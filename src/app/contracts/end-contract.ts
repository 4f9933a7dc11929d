// POST /v1/contracts/{id}/end (PRODUCT.md "Milestones", ending a contract):
// unfunded milestones are cancelled. The freelancer ending it returns all
// unreleased escrow to the client now; the client ending it opens a 7-day
// refund request on every milestone still holding escrow. A milestone in
// dispute is left to its dispute. The client may also withdraw an open offer.

import { conflict } from '../../domain/errors.ts';
import { HOLDS_ESCROW, armedDeadline, settledState, transition, type MilestoneAction } from '../../domain/milestone.ts';
import type { Deps } from '../deps.ts';
import { appendEvents, type NewEvent } from '../events.ts';
import { moveEscrow, updateMilestones, type EscrowMove, type MilestoneUpdate } from './escrow.ts';
import { contractObject, loadContractFor, milestonesOf, moneyOf } from './rows.ts';

export async function endContract(deps: Deps, o: { user_id: string; contract_id: string; reason?: string | undefined }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { contract, party } = await loadContractFor(tx, o.contract_id, o.user_id, { lock: true });
    if (contract.status === 'offered' && party === 'freelancer') throw conflict('contract_not_active', 'This offer is still open: decline it instead of ending it.');
    if (contract.status !== 'active' && contract.status !== 'offered') throw conflict('contract_not_active', `This contract is already ${contract.status}.`);

    const milestones = await milestonesOf(tx, [contract.id], { lock: true });
    const money = await moneyOf(tx, milestones.map((m) => m.id));
    const updates: MilestoneUpdate[] = [];
    const moves: EscrowMove[] = [];
    const events: NewEvent[] = [
      { type: 'contract.ended', contract_id: contract.id, milestone_id: null, actor_id: o.user_id, actor_role: party, data: { ended_by: party, reason: o.reason ?? null } },
    ];
    const action: MilestoneAction = party === 'client' ? 'client_ends_contract' : 'freelancer_ends_contract';
    for (const m of milestones) {
      const base = { contract_id: contract.id, milestone_id: m.id, actor_id: o.user_id, actor_role: party } as const;
      if (m.status === 'pending') {
        transition(m.status, 'contract_ends_unfunded', 'system');
        updates.push({ id: m.id, expected: m.status, status: 'cancelled', review_due_at: null, refund_due_at: null });
        events.push({ ...base, type: 'milestone.cancelled', data: { cause: 'contract_ended' } });
        continue;
      }
      if (!HOLDS_ESCROW.includes(m.status)) continue;
      const { escrow, released } = money.get(m.id)!;
      if (party === 'freelancer') {
        transition(m.status, action, party);
        moves.push({ milestone_id: m.id, currency: m.currency, client_id: contract.client_id, freelancer_id: contract.freelancer_id, release: 0, refund: escrow });
        updates.push({ id: m.id, expected: m.status, status: settledState(released), review_due_at: null, refund_due_at: null });
        events.push({ ...base, type: 'milestone.refunded', data: { amount: escrow, currency: m.currency, cause: 'freelancer_ended_contract' } });
      } else if (m.status !== 'refund_requested') {
        // An open refund request keeps its own window.
        const t = transition(m.status, action, party);
        const due = armedDeadline(t.arms, now);
        updates.push({ id: m.id, expected: m.status, status: 'refund_requested', ...due });
        events.push({ ...base, type: 'milestone.refund_requested', data: { amount: escrow, currency: m.currency, refund_due_at: due.refund_due_at!.toISOString(), cause: 'client_ended_contract' } });
      }
    }
    if (moves.length > 0) await moveEscrow(tx, now, deps.config.feeBps, moves);
    await updateMilestones(tx, now, updates);
    await tx.query(`update contracts set status = 'ended', ended_at = $2, ended_by = $3, end_reason = $4 where id = $1`, [contract.id, now, party, o.reason ?? null]);
    await appendEvents(tx, now, events);
    return contractObject(tx, contract.id, o.user_id);
  });
}
