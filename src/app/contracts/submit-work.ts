// POST /v1/milestones/{id}/submit: the freelancer delivers; the client's
// 14-day review window starts (a new one after changes were requested). The
// files it cites become readable by both parties.

import { conflict } from '../../domain/errors.ts';
import { armedDeadline, transition } from '../../domain/milestone.ts';
import type { Deps } from '../deps.ts';
import { citeFiles } from '../files/file-access.ts';
import { appendEvents } from '../events.ts';
import { updateMilestones } from './escrow.ts';
import { loadMilestoneFor, milestoneObject } from './rows.ts';

export async function submitWork(deps: Deps, o: { user_id: string; milestone_id: string; message: string; file_ids: readonly string[] }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { milestone, contract, party } = await loadMilestoneFor(tx, o.milestone_id, o.user_id, { lock: true });
    const t = transition(milestone.status, 'submit', party);
    // A milestone can come back to a submittable state after its contract ended (a withdrawn dispute): no new work then.
    if (contract.status !== 'active') throw conflict('contract_not_active', `This contract is ${contract.status}; work can be submitted only on an active contract.`);
    const due = armedDeadline(t.arms, now);
    await citeFiles(tx, now, { author_id: o.user_id, file_ids: o.file_ids, contract_id: contract.id, dispute_id: null, param: 'file_ids' });
    await tx.query('insert into submissions (milestone_id, message, file_ids, submitted_by, submitted_at) values ($1, $2, $3, $4, $5)', [milestone.id, o.message, o.file_ids, o.user_id, now]);
    await updateMilestones(tx, now, [{ id: milestone.id, expected: milestone.status, status: 'submitted', ...due }]);
    await appendEvents(tx, now, [
      { type: 'milestone.submitted', contract_id: contract.id, milestone_id: milestone.id, actor_id: o.user_id, actor_role: 'freelancer', data: { review_due_at: due.review_due_at!.toISOString(), file_ids: o.file_ids } },
    ]);
    return milestoneObject(tx, milestone.id, o.user_id);
  });
}
