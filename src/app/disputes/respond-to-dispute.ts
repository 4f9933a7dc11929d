// POST /v1/disputes/{id}/approve and /decline: the client's one response.
// Approve releases the requested amount (the rest of the escrow returns to the
// client). Decline states a reason, a description and evidence, which can
// never be edited, and sends the dispute to staff review.

import { assertDeadlineNotPassed, disputeTransition, PROPOSAL_TARGET_MS } from '../../domain/dispute.ts';
import type { Deps } from '../deps.ts';
import { citeFiles } from '../files/file-access.ts';
import type { Role } from '../users/user-object.ts';
import { appendDisputeEvents } from './record.ts';
import { resolveDisputes } from './resolve.ts';
import { disputeObject, loadDisputeFor } from './rows.ts';

export type RespondOptions =
  | { user: { id: string; role: Role }; dispute_id: string; decision: 'approved' }
  | { user: { id: string; role: Role }; dispute_id: string; decision: 'declined'; reason_code: string; description: string; file_ids?: string[] | undefined };

export async function respondToDispute(deps: Deps, o: RespondOptions) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { dispute, viewer } = await loadDisputeFor(tx, o.dispute_id, o.user, { lock: true });
    disputeTransition(dispute.status, o.decision === 'approved' ? 'approve' : 'decline', viewer);
    assertDeadlineNotPassed(dispute, now);
    const declined = o.decision === 'declined';
    await tx.query(
      `insert into dispute_statements (dispute_id, kind, author_id, decision, reason_code, description, file_ids, created_at) values ($1, 'response', $2, $3, $4, $5, $6, $7)`,
      [dispute.id, o.user.id, o.decision, declined ? o.reason_code : null, declined ? o.description : null, declined ? (o.file_ids ?? []) : [], now],
    );
    if (!declined) {
      await appendDisputeEvents(tx, now, dispute, [{ type: 'dispute.approved', actor_id: o.user.id, actor_role: 'client', data: { amount: dispute.amount_requested } }]);
      await resolveDisputes(tx, now, deps.config.feeBps, [
        {
          dispute,
          split: { freelancer_amount: dispute.amount_requested, client_amount: dispute.escrow_amount - dispute.amount_requested },
          kind: 'client_approved',
          actor_id: o.user.id,
          actor_role: 'client',
        },
      ]);
    } else {
      await citeFiles(tx, now, { author_id: o.user.id, file_ids: o.file_ids ?? [], contract_id: dispute.contract_id, dispute_id: dispute.id, param: 'file_ids' });
      const target = new Date(now.getTime() + PROPOSAL_TARGET_MS);
      await tx.query(`update disputes set status = 'in_review', review_started_at = $2, proposal_target_at = $3 where id = $1`, [dispute.id, now, target]);
      await appendDisputeEvents(tx, now, dispute, [
        {
          type: 'dispute.declined',
          actor_id: o.user.id,
          actor_role: 'client',
          data: { reason_code: o.reason_code, file_ids: o.file_ids ?? [], proposal_target_at: target.toISOString() },
        },
      ]);
    }
    return disputeObject(tx, dispute.id, o.user, now);
  });
}
