// Sandbox only: put money in a user's balance without a card, as available or
// as pending (held for the security hold), so integrators and tests can try
// payouts and holds. It goes through the ledger like any other money.

import { pendingAccount, availableAccount, worldAccount } from '../../domain/ledger.ts';
import type { Currency } from '../../domain/money.ts';
import { notFound } from '../../domain/errors.ts';
import type { Deps } from '../deps.ts';
import { postTransfers } from '../ledger.ts';
import { getBalance } from '../money/get-balance.ts';
import { findUserById } from '../users/user-object.ts';
import { holdPending } from '../money/hold-pending.ts';

export interface CreditBalanceOptions {
  user_id: string;
  amount: number;
  currency: Currency;
  balance_type: 'available' | 'pending';
}

export async function creditBalance(deps: Deps, o: CreditBalanceOptions) {
  await deps.db.transaction(async (tx) => {
    if (!(await findUserById(tx, o.user_id))) throw notFound('user', 'user_id');
    const now = deps.clock.now();
    const to = o.balance_type === 'available' ? availableAccount(o.user_id, o.currency) : pendingAccount(o.user_id, o.currency);
    const [transfer] = await postTransfers(tx, now, [
      { kind: 'sandbox_credit', from: worldAccount(o.currency), to, amount: o.amount, ref_id: null, description: 'Sandbox credit' },
    ]);
    if (o.balance_type === 'pending') await holdPending(tx, now, [{ user_id: o.user_id, currency: o.currency, amount: o.amount, transfer_id: transfer!.id }]);
  });
  return getBalance(deps, o.user_id);
}
