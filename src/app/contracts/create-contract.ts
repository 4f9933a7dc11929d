// POST /v1/contracts: a client offers a contract with its milestones to a
// freelancer, named by email. Nothing is charged until a milestone is funded.

import { invalid } from '../../domain/errors.ts';
import type { Currency } from '../../domain/money.ts';
import { newId } from '../../lib/ids.ts';
import type { Deps } from '../deps.ts';
import { appendEvents } from '../events.ts';
import { contractObject } from './rows.ts';

export interface NewMilestone {
  title: string;
  amount: number;
  due_date?: string | undefined;
}

export interface CreateContractOptions {
  client_id: string;
  title: string;
  description?: string | undefined;
  freelancer_email: string;
  currency: Currency;
  milestones: NewMilestone[];
}

export async function createContract(deps: Deps, o: CreateContractOptions) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const found = await tx.query<{ id: string; role: string }>('select id, role from users where email = $1', [o.freelancer_email.trim().toLowerCase()]);
    const freelancer = found.rows[0];
    if (!freelancer || freelancer.role !== 'member') throw invalid('freelancer_not_found', 'No Settle member has this email. Ask the freelancer to sign up first.', 'freelancer_email');
    if (freelancer.id === o.client_id) throw invalid('freelancer_is_client', 'You cannot hire yourself.', 'freelancer_email');
    const contractId = newId('contract');
    await tx.query(
      `insert into contracts (id, title, description, status, currency, client_id, freelancer_id, created_at) values ($1, $2, $3, 'offered', $4, $5, $6, $7)`,
      [contractId, o.title, o.description ?? '', o.currency, o.client_id, freelancer.id, now],
    );
    const milestoneIds = await insertMilestones(tx, contractId, o.currency, 1, o.milestones, now);
    await appendEvents(tx, now, [
      { type: 'contract.offered', contract_id: contractId, milestone_id: null, actor_id: o.client_id, actor_role: 'client', data: { title: o.title, currency: o.currency, milestone_ids: milestoneIds } },
    ]);
    return contractObject(tx, contractId, o.client_id);
  });
}

export async function insertMilestones(
  tx: Parameters<Parameters<Deps['db']['transaction']>[0]>[0],
  contractId: string,
  currency: Currency,
  firstPosition: number,
  milestones: readonly NewMilestone[],
  now: Date,
): Promise<string[]> {
  const ids = milestones.map(() => newId('milestone'));
  await tx.query(
    `insert into milestones (id, contract_id, position, title, amount, currency, status, due_date, created_at, updated_at)
     select id, $5, $6 + ord - 1, title, amount, $7, 'pending', due_date::date, $8, $8
       from unnest($1::text[], $2::text[], $3::int8[], $4::text[]) with ordinality as m(id, title, amount, due_date, ord)`,
    [ids, milestones.map((m) => m.title), milestones.map((m) => m.amount), milestones.map((m) => m.due_date ?? null), contractId, firstPosition, currency, now],
  );
  return ids;
}
