// POST /v1/disputes/{id}/proposal/accept and /reject. Both accept: the money
// moves as proposed. A rejection ends mediation at once with a Notice of
// Non-Resolution and opens the 7-day arbitration opt-in.

import { conflict } from '../../domain/errors.ts';
import { ARBITRATION_WINDOW_MS, assertDeadlineNotPassed, disputeTransition } from '../../domain/dispute.ts';
import type { Deps } from '../deps.ts';
import type { Role } from '../users/user-object.ts';
import { appendDisputeEvents } from './record.ts';
import { resolveDisputes } from './resolve.ts';
import { disputeObject, loadDisputeFor } from './rows.ts';
import type { Tx } from '../../db/port.ts';
import type { DisputeRow } from './rows.ts';

export async function decideProposal(deps: Deps, o: { user: { id: string; role: Role }; dispute_id: string; decision: 'accepted' | 'rejected' }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { dispute, viewer } = await loadDisputeFor(tx, o.dispute_id, o.user, { lock: true });
    disputeTransition(dispute.status, 'decide_proposal', viewer);
    assertDeadlineNotPassed(dispute, now);
    const party = viewer as 'client' | 'freelancer';
    const earlier = await tx.query<{ party: string; decision: string }>('select party, decision from proposal_decisions where dispute_id = $1', [dispute.id]);
    if (earlier.rows.some((r) => r.party === party)) throw conflict('proposal_already_decided', 'You have already answered this proposal.');
    await tx.query(`insert into proposal_decisions (dispute_id, party, decision, decided_by, decided_at) values ($1, $2, $3, $4, $5)`, [dispute.id, party, o.decision, o.user.id, now]);
    await appendDisputeEvents(tx, now, dispute, [{ type: `dispute.proposal_${o.decision}`, actor_id: o.user.id, actor_role: party, data: {} }]);
    if (o.decision === 'rejected') {
      await noticeOfNonResolution(tx, now, deps.config.arbitrationFeeMinor, dispute, now, 'rejected');
    } else if (earlier.rows.some((r) => r.decision === 'accepted')) {
      const proposal = (await tx.query<{ freelancer_amount: number; client_amount: number }>('select freelancer_amount, client_amount from dispute_proposals where dispute_id = $1', [dispute.id])).rows[0]!;
      await resolveDisputes(tx, now, deps.config.feeBps, [{ dispute, split: proposal, kind: 'proposal_accepted', actor_id: o.user.id, actor_role: party }]);
    }
    return disputeObject(tx, dispute.id, o.user, now);
  });
}

/**
 * Mediation ended without agreement: the dispute becomes `not_resolved` and
 * each party has 7 days from `from` to opt in to arbitration at today's fee.
 */
export async function noticeOfNonResolution(tx: Tx, now: Date, feeMinor: number, dispute: Pick<DisputeRow, 'id' | 'contract_id' | 'milestone_id'>, from: Date, cause: 'rejected' | 'proposal_window_ended'): Promise<void> {
  const due = new Date(from.getTime() + ARBITRATION_WINDOW_MS);
  await tx.query(`update disputes set status = 'not_resolved', arbitration_due_at = $2, arbitration_fee_amount = $3 where id = $1`, [dispute.id, due, feeMinor]);
  await appendDisputeEvents(tx, now, dispute, [
    { type: 'dispute.not_resolved', actor_id: null, actor_role: 'system', data: { cause, arbitration_due_at: due.toISOString(), arbitration_fee_amount: feeMinor } },
  ]);
}
