// POST /v1/contracts/{id}/milestones: the client adds a milestone to an
// offered or active contract, up to the limit per contract.

import { conflict, forbidden } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import type { Deps } from '../deps.ts';
import { appendEvents } from '../events.ts';
import { insertMilestones, type NewMilestone } from './create-contract.ts';
import { loadContractFor, milestoneObject } from './rows.ts';

export async function addMilestone(deps: Deps, o: { user_id: string; contract_id: string; milestone: NewMilestone }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { contract, party } = await loadContractFor(tx, o.contract_id, o.user_id, { lock: true });
    if (party !== 'client') throw forbidden('Only the client can add milestones.');
    if (contract.status !== 'offered' && contract.status !== 'active') throw conflict('contract_not_active', `This contract is ${contract.status}; milestones can be added only to an offered or active contract.`);
    const count = await tx.query<{ n: number }>('select count(*)::int8 as n from milestones where contract_id = $1', [contract.id]);
    const n = count.rows[0]!.n;
    if (n >= LIMITS.milestones_per_contract_max) throw conflict('milestone_limit_reached', `A contract holds at most ${LIMITS.milestones_per_contract_max} milestones.`);
    const [id] = await insertMilestones(tx, contract.id, contract.currency, n + 1, [o.milestone], now);
    await appendEvents(tx, now, [
      { type: 'milestone.created', contract_id: contract.id, milestone_id: id!, actor_id: o.user_id, actor_role: 'client', data: { title: o.milestone.title, amount: o.milestone.amount } },
    ]);
    return milestoneObject(tx, id!, o.user_id);
  });
}
