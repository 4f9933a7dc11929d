// The payment provider is an interface so a real processor can be plugged in;
// Settle ships the sandbox below (PRODUCT.md "Money").

import { AppError, invalid } from '../../domain/errors.ts';
import type { Currency } from '../../domain/money.ts';
import { newId } from '../../lib/ids.ts';

export interface ChargeRequest {
  amount: number;
  currency: Currency;
  /** A card reference such as `pm_card_visa`. */
  payment_method: string;
  description: string;
  /**
   * Stable for one thing being paid for (e.g. `fund:ms_…`): a database
   * transaction that is retried after a deadlock asks for the same charge again,
   * and a real processor must then answer with the first charge, not a second.
   */
  idempotency_key: string;
}

export interface Charge {
  id: string;
  amount: number;
  currency: Currency;
}

export interface PaymentProvider {
  /** Charges the card or throws AppError `payment`/`card_declined` (402). */
  charge(request: ChargeRequest): Promise<Charge>;
}

/** Test cards, after Stripe's: the first two succeed, the last is declined. */
export const SANDBOX_CARDS = {
  pm_card_visa: 'succeeds',
  pm_card_mastercard: 'succeeds',
  pm_card_declined: 'declined',
} as const;

/** The sandbox remembers this many charges for idempotent replays; older ones are forgotten. */
const SANDBOX_CHARGES_REMEMBERED = 10_000;

export function createSandboxProvider(): PaymentProvider {
  const charges = new Map<string, Charge>();
  return {
    async charge(request) {
      const outcome = SANDBOX_CARDS[request.payment_method as keyof typeof SANDBOX_CARDS];
      if (!outcome) {
        throw invalid('payment_method_unknown', `Unknown payment method ${request.payment_method}: use "balance" or a card such as "pm_card_visa".`, 'payment_method');
      }
      if (outcome === 'declined') {
        throw new AppError('payment', 'card_declined', 'The card was declined. Try another card or pay from your balance.', 'payment_method');
      }
      const earlier = charges.get(request.idempotency_key);
      if (earlier) return earlier;
      const charge = { id: newId('charge'), amount: request.amount, currency: request.currency };
      if (charges.size >= SANDBOX_CHARGES_REMEMBERED) charges.delete(charges.keys().next().value!);
      charges.set(request.idempotency_key, charge);
      return charge;
    },
  };
}
