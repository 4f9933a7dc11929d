// POST /v1/disputes/{id}/withdraw: before a proposal is issued the freelancer
// may withdraw; the milestone returns to the state it was in, with the time
// its clock had left when the dispute was filed. No money moves: the outcome
// records 0 and 0, and the escrow stays with the milestone.

import { assert } from '../../domain/errors.ts';
import { assertDeadlineNotPassed, disputeTransition } from '../../domain/dispute.ts';
import type { Deps } from '../deps.ts';
import { updateMilestones } from '../contracts/escrow.ts';
import { loadMilestoneFor } from '../contracts/rows.ts';
import { appendEvents } from '../events.ts';
import type { Role } from '../users/user-object.ts';
import { appendDisputeEvents } from './record.ts';
import { disputeObject, loadDisputeFor } from './rows.ts';

export async function withdrawDispute(deps: Deps, o: { user: { id: string; role: Role }; dispute_id: string }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { dispute, viewer } = await loadDisputeFor(tx, o.dispute_id, o.user, { lock: true });
    disputeTransition(dispute.status, 'withdraw', viewer);
    assertDeadlineNotPassed(dispute, now);
    const { milestone } = await loadMilestoneFor(tx, dispute.milestone_id, o.user.id, { lock: true });
    assert(milestone.status === 'in_dispute' && milestone.paused_state, 'a disputed milestone remembers where it was');
    const resumeAt = milestone.paused_remaining_ms === null ? null : new Date(now.getTime() + milestone.paused_remaining_ms);
    await updateMilestones(tx, now, [
      {
        id: milestone.id,
        expected: 'in_dispute',
        status: milestone.paused_state,
        review_due_at: milestone.paused_state === 'submitted' ? resumeAt : null,
        refund_due_at: milestone.paused_state === 'refund_requested' ? resumeAt : null,
      },
    ]);
    await tx.query(
      `update disputes set status = 'withdrawn', outcome_kind = 'withdrawn', outcome_freelancer_amount = 0, outcome_client_amount = 0, resolved_at = $2 where id = $1`,
      [dispute.id, now],
    );
    await appendDisputeEvents(tx, now, dispute, [
      { type: 'dispute.withdrawn', actor_id: o.user.id, actor_role: 'freelancer', data: { milestone_state: milestone.paused_state, deadline_resumes_at: resumeAt?.toISOString() ?? null } },
    ]);
    await appendEvents(tx, now, [
      { type: 'milestone.dispute_withdrawn', contract_id: dispute.contract_id, milestone_id: milestone.id, actor_id: o.user.id, actor_role: 'freelancer', data: { dispute: dispute.id, resumed_state: milestone.paused_state } },
    ]);
    return disputeObject(tx, dispute.id, o.user, now);
  });
}
