// POST /v1/contracts/{id}/accept and /decline: the freelancer answers an offer.

import { conflict, forbidden } from '../../domain/errors.ts';
import type { Deps } from '../deps.ts';
import { appendEvents } from '../events.ts';
import { transition } from '../../domain/milestone.ts';
import { updateMilestones } from './escrow.ts';
import { contractObject, loadContractFor, milestonesOf } from './rows.ts';

export async function respondToOffer(deps: Deps, o: { user_id: string; contract_id: string; answer: 'accept' | 'decline' }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { contract, party } = await loadContractFor(tx, o.contract_id, o.user_id, { lock: true });
    if (party !== 'freelancer') throw forbidden('Only the freelancer can answer an offer.');
    if (contract.status !== 'offered') throw conflict('contract_not_offered', `This contract is ${contract.status}; only an open offer can be accepted or declined.`);
    const accepted = o.answer === 'accept';
    await tx.query(`update contracts set status = $2, accepted_at = $3 where id = $1`, [contract.id, accepted ? 'active' : 'declined', accepted ? now : null]);
    // Declining cancels the milestones (none can be funded yet), each recorded like a contract ending's cancellations.
    const cancelled = accepted ? [] : (await milestonesOf(tx, [contract.id], { lock: true })).filter((m) => m.status === 'pending');
    for (const m of cancelled) transition(m.status, 'contract_ends_unfunded', 'system');
    await updateMilestones(tx, now, cancelled.map((m) => ({ id: m.id, expected: m.status, status: 'cancelled', review_due_at: null, refund_due_at: null })));
    await appendEvents(tx, now, [
      { type: accepted ? 'contract.accepted' : 'contract.declined', contract_id: contract.id, milestone_id: null, actor_id: o.user_id, actor_role: 'freelancer', data: {} },
      ...cancelled.map((m) => ({ type: 'milestone.cancelled', contract_id: contract.id, milestone_id: m.id, actor_id: o.user_id, actor_role: 'freelancer' as const, data: { cause: 'offer_declined' } })),
    ]);
    return contractObject(tx, contract.id, o.user_id);
  });
}
