// GET /v1/balance: the caller's available and pending money per currency, and
// the escrow held on contracts where the caller is a party.

import type { Queryable } from '../../db/port.ts';
import type { Currency } from '../../domain/money.ts';
import type { Deps } from '../deps.ts';

interface Amount {
  amount: number;
  currency: Currency;
}

export async function getBalance(deps: Deps, userId: string) {
  // `coalesce(owner_id, '')` is what the accounts' unique index holds: a probe
  // of this member's rows, not a pass over every member's accounts.
  const own = await deps.db.query<{ kind: string; currency: Currency; balance: number }>(
    `select kind, currency, balance from accounts where coalesce(owner_id, '') = $1 and kind in ('user_available', 'user_pending') order by currency`,
    [userId],
  );
  const inEscrow = await escrowForUser(deps.db, userId);
  const currencies = [...new Set(own.rows.map((r) => r.currency))].sort();
  const pick = (kind: string): Amount[] =>
    currencies.map((currency) => ({ amount: own.rows.find((r) => r.kind === kind && r.currency === currency)?.balance ?? 0, currency }));
  return { object: 'balance' as const, available: pick('user_available'), pending: pick('user_pending'), in_escrow: inEscrow };
}

/**
 * Escrow held on milestones of the caller's contracts, as client or freelancer.
 * Read contract by contract: the `offset 0` keeps the planner from flattening
 * the lateral subquery into one join, which at the default random_page_cost
 * it planned as a read of all of `milestones` hashed against the member's
 * contracts once they held a couple of hundred milestones
 * (test/query-plans.test.ts).
 */
async function escrowForUser(db: Queryable, userId: string): Promise<Amount[]> {
  const result = await db.query<Amount>(
    `select e.currency, sum(e.balance)::int8 as amount
       from contracts c
       cross join lateral (
         select a.currency, a.balance
           from milestones m
           join accounts a on a.kind = 'escrow' and coalesce(a.owner_id, '') = m.id and a.currency = m.currency
          where m.contract_id = c.id and a.balance > 0
         offset 0) e
      where c.client_id = $1 or c.freelancer_id = $1
      group by e.currency order by e.currency`,
    [userId],
  );
  return result.rows;
}
