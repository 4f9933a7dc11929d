// Shared request and response schemas. Request schemas are strict (an unknown
// field is a 400 naming it); limits come from src/domain/limits.ts.

import { z } from 'zod';
import { LIMITS } from '../domain/limits.ts';
import { CURRENCIES } from '../domain/money.ts';
import { isCountryCode, isTimeZone } from '../domain/geo.ts';

export const currency = z.enum(CURRENCIES, { error: `must be one of ${CURRENCIES.join(', ')}` });

/** A positive amount in minor units: an integer, never a float or a string. */
export const positiveAmount = (max: number = LIMITS.max_amount_minor) =>
  z
    .number({ error: 'must be an integer number of minor units (cents)' })
    .int({ error: 'must be a whole number of minor units (cents), not a fraction' })
    .min(1, { error: 'must be at least 1' })
    .max(max, { error: `must be at most ${max}` });

export const timeZone = z.string().refine(isTimeZone, { error: 'must be an IANA time zone name such as Europe/Berlin or UTC' });
export const country = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine(isCountryCode, { error: 'must be an ISO 3166-1 alpha-2 country code such as US or DE' });

export const email = z.email({ error: 'must be an email address' }).max(LIMITS.email_max_chars);
export const personName = z.string().trim().min(1, { error: 'must not be empty' }).max(LIMITS.name_max_chars);
export const password = z
  .string()
  .min(LIMITS.password_min_chars, { error: `must be at least ${LIMITS.password_min_chars} characters` })
  .max(LIMITS.password_max_chars);

/** `{id}` in a path: anything longer than an id could be is refused before a look-up. */
export const idParam = z.strictObject({ id: z.string().max(100) });

/** `payment_method` where a call takes one (API.md "Money"). */
export const paymentMethod = z.string().regex(/^(balance|pm_[a-z0-9_]{1,60})$/, { error: 'must be "balance" or a card such as "pm_card_visa"' });

export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(LIMITS.list_limit_max).optional(),
  starting_after: z.string().max(100).optional(),
});

export const listOf = <T extends z.ZodType>(item: T) => z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean() });

export const timestamp = z.string().describe('RFC 3339, UTC');

export const user = z.object({
  id: z.string(),
  object: z.literal('user'),
  email: z.string(),
  name: z.string(),
  role: z.enum(['member', 'staff', 'arbitrator']),
  time_zone: z.string(),
  country: z.string().nullable(),
  created_at: timestamp,
});

const amountEntry = z.object({ amount: z.number().int(), currency });
export const balance = z.object({
  object: z.literal('balance'),
  available: z.array(amountEntry),
  pending: z.array(amountEntry),
  in_escrow: z.array(amountEntry),
});

export const balanceTransaction = z.object({
  id: z.string(),
  object: z.literal('balance_transaction'),
  amount: z.number().int().describe('Signed: positive when money came into this balance'),
  currency,
  balance_type: z.enum(['available', 'pending']),
  balance_after: z.number().int(),
  type: z.string(),
  description: z.string(),
  source: z.string().nullable(),
  transfer: z.string(),
  created_at: timestamp,
});

export const payout = z.object({
  id: z.string(),
  object: z.literal('payout'),
  amount: z.number().int(),
  currency,
  status: z.literal('paid'),
  created_at: timestamp,
});

export const errorObject = z.object({
  error: z.object({
    type: z.enum(['invalid_request', 'authentication', 'permission', 'not_found', 'conflict', 'payment', 'rate_limit', 'api_error']),
    code: z.string(),
    message: z.string(),
    param: z.string().optional(),
  }),
});
