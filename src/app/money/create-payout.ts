// POST /v1/payouts: available money leaves for the user's bank. The sandbox
// pays out at once; the ledger refuses a payout the balance does not cover,
// also when many are requested at the same moment.

import { availableAccount, worldAccount } from '../../domain/ledger.ts';
import type { Currency } from '../../domain/money.ts';
import { newId } from '../../lib/ids.ts';
import type { Deps } from '../deps.ts';
import { postTransfers } from '../ledger.ts';

export interface CreatePayoutOptions {
  user_id: string;
  amount: number;
  currency: Currency;
}

interface PayoutRow {
  id: string;
  amount: number;
  currency: Currency;
  status: 'paid';
  created_at: Date;
}

export const toPayoutObject = (r: PayoutRow) => ({
  id: r.id,
  object: 'payout' as const,
  amount: r.amount,
  currency: r.currency,
  status: r.status,
  created_at: r.created_at.toISOString(),
});

export async function createPayout(deps: Deps, o: CreatePayoutOptions) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const payoutId = newId('payout');
    const [transfer] = await postTransfers(tx, now, [
      { kind: 'payout', from: availableAccount(o.user_id, o.currency), to: worldAccount(o.currency), amount: o.amount, ref_id: payoutId, description: 'Payout to bank account' },
    ]);
    const result = await tx.query<PayoutRow>(
      `insert into payouts (id, user_id, amount, currency, status, transfer_id, created_at)
       values ($1, $2, $3, $4, 'paid', $5, $6) returning id, amount, currency, status, created_at`,
      [payoutId, o.user_id, o.amount, o.currency, transfer!.id, now],
    );
    return toPayoutObject(result.rows[0]!);
  });
}
