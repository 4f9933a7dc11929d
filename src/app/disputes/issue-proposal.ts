// POST /v1/disputes/{id}/proposal: staff issue a non-binding split of the
// escrow with an explanation; both parties then have 2 calendar days.

import { disputeTransition, PROPOSAL_WINDOW_MS, splitEscrow } from '../../domain/dispute.ts';
import type { Deps } from '../deps.ts';
import type { Role } from '../users/user-object.ts';
import { appendDisputeEvents } from './record.ts';
import { disputeObject, loadDisputeFor } from './rows.ts';

export async function issueProposal(deps: Deps, o: { user: { id: string; role: Role }; dispute_id: string; freelancer_amount: number; explanation: string }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { dispute, viewer } = await loadDisputeFor(tx, o.dispute_id, o.user, { lock: true });
    disputeTransition(dispute.status, 'propose', viewer);
    const split = splitEscrow(dispute.escrow_amount, o.freelancer_amount);
    const due = new Date(now.getTime() + PROPOSAL_WINDOW_MS);
    await tx.query(
      `insert into dispute_proposals (dispute_id, staff_id, freelancer_amount, client_amount, explanation, issued_at, due_at) values ($1, $2, $3, $4, $5, $6, $7)`,
      [dispute.id, o.user.id, split.freelancer_amount, split.client_amount, o.explanation, now, due],
    );
    await tx.query(`update disputes set status = 'proposal_issued', proposal_due_at = $2 where id = $1`, [dispute.id, due]);
    await appendDisputeEvents(tx, now, dispute, [{ type: 'dispute.proposal_issued', actor_id: o.user.id, actor_role: 'staff', data: { ...split, due_at: due.toISOString() } }]);
    return disputeObject(tx, dispute.id, o.user, now);
  });
}
