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
  const own = await deps.db.query<{ kind: string; currency: Currency; balance: number }>(
    `select kind, currency, balance from accounts where owner_id = $1 and kind in ('user_available', 'user_pending') order by currency`,
    [userId],
  );
  const inEscrow = await escrowForUser(deps.db, userId);
  const currencies = [...new Set(own.rows.map((r) => r.currency))].sort();
  const pick = (kind: string): Amount[] =>
    currencies.map((currency) => ({ amount: own.rows.find((r) => r.kind === kind && r.currency === currency)?.balance ?? 0, currency }));
  return { object: 'balance' as const, available: pick('user_available'), pending: pick('user_pending'), in_escrow: inEscrow };
}

/**
 * Escrow on the caller's contracts. Escrow accounts belong to milestones,
 * which the contracts module brings; until then there is none to report.
 */
async function escrowForUser(_db: Queryable, _userId: string): Promise<Amount[]> {
  return [];
}
