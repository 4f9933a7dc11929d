// The ledger's vocabulary: account kinds, transfer kinds and which account
// kinds each transfer kind may move money between. Pure data and checks;
// src/app/ledger.ts writes what these describe.
//
// Sign convention: a transfer of `amount` takes it from the debit account and
// gives it to the credit account. Balances are credits minus debits, so money
// that came in from a card leaves the world account negative, and the sum over
// all accounts of one currency is always zero.

import type { Currency } from './money.ts';
import { assert } from './errors.ts';
import { LIMITS } from './limits.ts';

export const ACCOUNT_KINDS = [
  /** The outside world: card networks, banks, the arbitration provider. The only account that may go negative. */
  'world',
  /** Service fees the platform has earned. */
  'platform_fees',
  /** A user's spendable money: funds milestones, can be paid out. The client "balance" of PRODUCT.md. */
  'user_available',
  /** Released money in its 5-day security hold. */
  'user_pending',
  /** One milestone's escrow: the hold that is later released, split or returned. */
  'escrow',
  /** Arbitration fees held for one dispute. */
  'arbitration_fees',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Owner of an account: a user, milestone or dispute id; null for the world and the fee account. */
export interface AccountRef {
  kind: AccountKind;
  owner_id: string | null;
  currency: Currency;
}

export const TRANSFER_KINDS = {
  /** A card charge through the payment provider lands in the payer's balance. */
  card_charge: { from: ['world'], to: ['user_available'] },
  /** Available money leaves for the user's bank. */
  payout: { from: ['user_available'], to: ['world'] },
  /** The security hold ended. */
  hold_release: { from: ['user_pending'], to: ['user_available'] },
  /** Sandbox only (test helper): money from nowhere, for trying the product out. */
  sandbox_credit: { from: ['world'], to: ['user_available', 'user_pending'] },
  /** A client funds a milestone. */
  escrow_fund: { from: ['user_available'], to: ['escrow'] },
  /** Escrow released to the freelancer, fee excluded. */
  escrow_release: { from: ['escrow'], to: ['user_pending'] },
  /** The service fee on a release (from escrow) or a bonus (from the client's balance). */
  service_fee: { from: ['escrow', 'user_available'], to: ['platform_fees'] },
  /** Escrow returned to the client. */
  escrow_refund: { from: ['escrow'], to: ['user_available'] },
  /** A bonus paid straight to the freelancer, fee excluded. */
  bonus: { from: ['user_available'], to: ['user_pending'] },
  /** A party opts in to arbitration. */
  arbitration_fee_hold: { from: ['user_available'], to: ['arbitration_fees'] },
  /** A lone payer's fee comes back. */
  arbitration_fee_refund: { from: ['arbitration_fees'], to: ['user_available'] },
  /** Both paid: the fees go to the arbitration provider. */
  arbitration_fee_payment: { from: ['arbitration_fees'], to: ['world'] },
} as const satisfies Record<string, { from: readonly AccountKind[]; to: readonly AccountKind[] }>;
export type TransferKind = keyof typeof TRANSFER_KINDS;

export interface TransferSpec {
  kind: TransferKind;
  from: AccountRef;
  to: AccountRef;
  amount: number;
  /** The object whose state change justifies this transfer. */
  ref_id: string | null;
  description: string;
}

/** Crashes on a transfer that the ledger's rules do not allow: such a transfer is a bug, not bad input. */
export function assertTransfer(t: TransferSpec): void {
  const rule = TRANSFER_KINDS[t.kind];
  assert(rule !== undefined, `known transfer kind ${t.kind}`);
  assert((rule.from as readonly string[]).includes(t.from.kind), `${t.kind} may not debit a ${t.from.kind} account`);
  assert((rule.to as readonly string[]).includes(t.to.kind), `${t.kind} may not credit a ${t.to.kind} account`);
  assert(t.from.currency === t.to.currency, 'a transfer stays in one currency');
  assert(Number.isSafeInteger(t.amount) && t.amount > 0, `transfer amount is a positive integer, got ${t.amount}`);
  assert(t.amount <= LIMITS.max_amount_minor * 10, 'transfer amount within the ledger ceiling');
  assert(t.description.length <= 500, 'transfer description fits');
  for (const side of [t.from, t.to]) {
    const ownerless = side.kind === 'world' || side.kind === 'platform_fees';
    assert(ownerless === (side.owner_id === null), `${side.kind} account ${ownerless ? 'has no' : 'has an'} owner`);
  }
}

/** The account kinds whose balance may go below zero. */
export function mayGoNegative(kind: AccountKind): boolean {
  return kind === 'world';
}

export const worldAccount = (currency: Currency): AccountRef => ({ kind: 'world', owner_id: null, currency });
export const feesAccount = (currency: Currency): AccountRef => ({ kind: 'platform_fees', owner_id: null, currency });
export const availableAccount = (userId: string, currency: Currency): AccountRef => ({ kind: 'user_available', owner_id: userId, currency });
export const pendingAccount = (userId: string, currency: Currency): AccountRef => ({ kind: 'user_pending', owner_id: userId, currency });
export const escrowAccount = (milestoneId: string, currency: Currency): AccountRef => ({ kind: 'escrow', owner_id: milestoneId, currency });
export const arbitrationFeesAccount = (disputeId: string, currency: Currency): AccountRef => ({ kind: 'arbitration_fees', owner_id: disputeId, currency });
