// Paying for something (a milestone, a bonus, an arbitration fee): the money
// comes from the payer's available balance; when a card is used, or the
// balance is short and no method was named, the card is charged first and the
// charge lands in the balance (PRODUCT.md "Money", API.md `payment_method`).

import { availableAccount, worldAccount } from '../../domain/ledger.ts';
import { AppError } from '../../domain/errors.ts';
import type { Currency } from '../../domain/money.ts';
import type { Tx } from '../../db/port.ts';
import type { Deps } from '../deps.ts';
import { accountBalance, postTransfers } from '../ledger.ts';

export const DEFAULT_CARD = 'pm_card_visa';

export interface FundPaymentOptions {
  payerId: string;
  amount: number;
  currency: Currency;
  /** `"balance"`, a card, or undefined (balance when it covers the amount, else the default card). */
  paymentMethod: string | undefined;
  description: string;
  idempotencyKey: string;
  now: Date;
}

/**
 * Makes sure the payer's available balance holds `amount`, charging a card when
 * asked or needed. The caller then moves the money out of the balance with
 * its own transfer, in the same transaction. Returns the charge id, if any.
 */
export async function ensurePayerFunds(deps: Pick<Deps, 'payments'>, tx: Tx, o: FundPaymentOptions): Promise<string | null> {
  const account = availableAccount(o.payerId, o.currency);
  // No lock to choose the method: holding the payer's row while the card charge
  // below locks the world account takes the two out of id order and deadlocks
  // with a payout of the same user. The charge's postTransfers locks both, in order.
  const seen = o.paymentMethod === undefined ? await accountBalance(tx, account) : 0;
  const method = o.paymentMethod ?? (seen >= o.amount ? 'balance' : DEFAULT_CARD);
  if (method === 'balance') {
    // Paying from the balance touches only this account: lock it, then check what it holds.
    const balance = await accountBalance(tx, account, { lock: true });
    if (balance < o.amount) {
      throw new AppError('payment', 'insufficient_balance', `Your available balance does not cover this payment. Pay by card instead.`, 'payment_method');
    }
    return null;
  }
  const charge = await deps.payments.charge({
    amount: o.amount,
    currency: o.currency,
    payment_method: method,
    description: o.description,
    idempotency_key: o.idempotencyKey,
  });
  await postTransfers(tx, o.now, [
    { kind: 'card_charge', from: worldAccount(o.currency), to: account, amount: o.amount, ref_id: charge.id, description: `Card charge: ${o.description}` },
  ]);
  return charge.id;
}
