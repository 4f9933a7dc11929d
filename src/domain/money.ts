// Money is an integer count of a currency's minor unit, never a float.
// Pure functions only: no I/O, no clock.

import { assert } from './errors.ts';
import { LIMITS } from './limits.ts';

export const CURRENCIES = ['usd', 'eur', 'gbp', 'jpy'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Digits after the decimal point; jpy has no minor unit. */
export const MINOR_UNIT_DIGITS: Record<Currency, number> = { usd: 2, eur: 2, gbp: 2, jpy: 0 };

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && (CURRENCIES as readonly string[]).includes(value);
}

export function assertAmount(amount: number, what = 'amount'): void {
  assert(Number.isSafeInteger(amount) && amount >= 0, `${what} must be a non-negative safe integer, got ${amount}`);
}

/**
 * The service fee on a release: `amount × bps / 10000`, rounded half up to the
 * minor unit. Integer arithmetic only: amounts are below 2^53 / 10000.
 */
export function serviceFee(amount: number, feeBps: number): number {
  assertAmount(amount);
  assert(Number.isInteger(feeBps) && feeBps >= 0 && feeBps <= 10_000, 'fee bps within 0..10000');
  assert(amount <= LIMITS.max_amount_minor * 2, 'fee base within limits');
  const product = amount * feeBps;
  assert(Number.isSafeInteger(product), 'fee product is a safe integer');
  const fee = Math.floor((product + 5000) / 10_000);
  assert(fee >= 0 && fee <= amount, 'fee within the amount');
  return fee;
}

/**
 * One formatter per currency, made on first use: making an Intl.NumberFormat
 * costs ~30 µs, and a sweeper batch formats six amounts per release (its
 * notifications), which was a fifth of a 100,000-release sweep (docs/benchmarks.md).
 */
const MONEY_FORMATS = new Map<Currency, Intl.NumberFormat>();

/** "1,234.56 USD"-style text for emails and logs; the web app formats with Intl. */
export function formatMoney(amount: number, currency: Currency): string {
  const digits = MINOR_UNIT_DIGITS[currency];
  const major = amount / 10 ** digits;
  let format = MONEY_FORMATS.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: digits, maximumFractionDigits: digits });
    MONEY_FORMATS.set(currency, format);
  }
  return format.format(major);
}
