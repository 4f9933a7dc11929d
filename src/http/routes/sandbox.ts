// API.md "Sandbox time", and a sandbox credit so payouts can be tried without
// a contract. Operator only, and only with SETTLE_CLOCK=manual. Also the
// public `GET /v1/clock` (an addition): the server's now and clock mode, so the
// web app counts down to deadlines from the time the deadlines are kept in.

import { z } from 'zod';
import { advanceClock } from '../../app/sandbox/clock.ts';
import { creditBalance } from '../../app/sandbox/credit-balance.ts';
import type { Router } from '../route.ts';
import * as s from '../schemas.ts';

const clockObject = z.object({ object: z.literal('test_clock'), now: s.timestamp, rules_applied: z.number().int().optional() });

export function sandboxRoutes(r: Router): void {
  r.add({
    method: 'GET',
    path: '/v1/clock',
    access: 'public',
    tag: 'Sandbox',
    summary: "The server's clock: the now every deadline is measured against, and whether it is the sandbox clock",
    response: z.object({ object: z.literal('clock'), now: s.timestamp, mode: z.enum(['system', 'manual']) }),
    handler: async ({ ctx }) => ({ object: 'clock' as const, now: ctx.deps.clock.now().toISOString(), mode: ctx.deps.clock.mode }),
  });

  r.add({
    method: 'GET',
    path: '/v1/test_helpers/clock',
    access: 'operator',
    sandboxOnly: true,
    tag: 'Sandbox',
    summary: 'The sandbox clock',
    response: clockObject,
    handler: async ({ ctx }) => ({ object: 'test_clock' as const, now: ctx.deps.clock.now().toISOString() }),
  });

  r.add({
    method: 'POST',
    path: '/v1/test_helpers/clock/advance',
    access: 'operator',
    sandboxOnly: true,
    tag: 'Sandbox',
    summary: 'Move the sandbox clock forward and run every rule that fell due on the way',
    status: 200,
    body: z.strictObject({
      seconds: z.number().int().min(0).optional(),
      to: z.iso.datetime({ offset: true, error: 'must be an RFC 3339 timestamp such as 2026-12-30T04:59:59Z' }).optional(),
    }),
    response: clockObject,
    handler: ({ ctx, body }) => advanceClock(ctx.deps, ctx.rules, body),
  });

  r.add({
    method: 'POST',
    path: '/v1/test_helpers/balance_credits',
    access: 'operator',
    sandboxOnly: true,
    tag: 'Sandbox',
    summary: "Put sandbox money into a user's available or pending balance",
    body: z.strictObject({ user_id: z.string().max(100), amount: s.positiveAmount(), currency: s.currency, balance_type: z.enum(['available', 'pending']).default('available') }),
    response: s.balance,
    handler: ({ ctx, body }) => creditBalance(ctx.deps, body),
  });
}
