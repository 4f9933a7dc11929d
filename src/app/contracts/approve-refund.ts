// POST /v1/milestones/{id}/refund/approve: the freelancer agrees to return the
// escrow still held; it lands in the client's balance at once, without fee.

import { settledState, transition } from '../../domain/milestone.ts';
import type { Deps } from '../deps.ts';
import { appendEvents } from '../events.ts';
import { moveEscrow, updateMilestones } from './escrow.ts';
import { loadMilestoneFor, milestoneObject, moneyOf } from './rows.ts';

export async function approveRefund(deps: Deps, o: { user_id: string; milestone_id: string }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { milestone, contract, party } = await loadMilestoneFor(tx, o.milestone_id, o.user_id, { lock: true });
    transition(milestone.status, 'approve_refund', party);
    const money = (await moneyOf(tx, [milestone.id])).get(milestone.id)!;
    await moveEscrow(tx, now, deps.config.feeBps, [
      { milestone_id: milestone.id, currency: milestone.currency, client_id: contract.client_id, freelancer_id: contract.freelancer_id, release: 0, refund: money.escrow },
    ]);
    const next = settledState(money.released);
    await updateMilestones(tx, now, [{ id: milestone.id, expected: milestone.status, status: next, review_due_at: null, refund_due_at: null }]);
    await appendEvents(tx, now, [
      { type: 'milestone.refunded', contract_id: contract.id, milestone_id: milestone.id, actor_id: o.user_id, actor_role: 'freelancer', data: { amount: money.escrow, currency: milestone.currency, cause: 'freelancer_approved' } },
    ]);
    return milestoneObject(tx, milestone.id, o.user_id);
  });
}
