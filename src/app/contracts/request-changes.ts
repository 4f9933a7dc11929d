// POST /v1/milestones/{id}/request_changes: the client asks for more work;
// the review window stops until the next submission.

import { transition } from '../../domain/milestone.ts';
import type { Deps } from '../deps.ts';
import { appendEvents } from '../events.ts';
import { updateMilestones } from './escrow.ts';
import { loadMilestoneFor, milestoneObject } from './rows.ts';

export async function requestChanges(deps: Deps, o: { user_id: string; milestone_id: string; message: string }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { milestone, contract, party } = await loadMilestoneFor(tx, o.milestone_id, o.user_id, { lock: true });
    transition(milestone.status, 'request_changes', party);
    await tx.query('insert into change_requests (milestone_id, message, requested_by, requested_at) values ($1, $2, $3, $4)', [milestone.id, o.message, o.user_id, now]);
    await updateMilestones(tx, now, [{ id: milestone.id, expected: milestone.status, status: 'changes_requested', review_due_at: null, refund_due_at: null }]);
    await appendEvents(tx, now, [
      { type: 'milestone.changes_requested', contract_id: contract.id, milestone_id: milestone.id, actor_id: o.user_id, actor_role: 'client', data: {} },
    ]);
    return milestoneObject(tx, milestone.id, o.user_id);
  });
}
