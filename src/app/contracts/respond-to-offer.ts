// POST /v1/contracts/{id}/accept and /decline: the freelancer answers an offer.

import { conflict, forbidden } from '../../domain/errors.ts';
import type { Deps } from '../deps.ts';
import { appendEvents } from '../events.ts';
import { contractObject, loadContractFor } from './rows.ts';

export async function respondToOffer(deps: Deps, o: { user_id: string; contract_id: string; answer: 'accept' | 'decline' }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { contract, party } = await loadContractFor(tx, o.contract_id, o.user_id, { lock: true });
    if (party !== 'freelancer') throw forbidden('Only the freelancer can answer an offer.');
    if (contract.status !== 'offered') throw conflict('contract_not_offered', `This contract is ${contract.status}; only an open offer can be accepted or declined.`);
    const accepted = o.answer === 'accept';
    await tx.query(`update contracts set status = $2, accepted_at = $3 where id = $1`, [contract.id, accepted ? 'active' : 'declined', accepted ? now : null]);
    if (!accepted) await tx.query(`update milestones set status = 'cancelled', updated_at = $2 where contract_id = $1 and status = 'pending'`, [contract.id, now]);
    await appendEvents(tx, now, [
      { type: accepted ? 'contract.accepted' : 'contract.declined', contract_id: contract.id, milestone_id: null, actor_id: o.user_id, actor_role: 'freelancer', data: {} },
    ]);
    return contractObject(tx, contract.id, o.user_id);
  });
}
