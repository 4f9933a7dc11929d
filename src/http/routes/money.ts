// API.md "Money": balance, statement, payouts, and the operator's ledger check.
// Also the public `GET /v1/fees` (an addition): what Settle charges, so the web
// app can show a freelancer's net before the client releases.

import { z } from 'zod';
import { createPayout } from '../../app/money/create-payout.ts';
import { getBalance } from '../../app/money/get-balance.ts';
import { listBalanceTransactions } from '../../app/money/list-balance-transactions.ts';
import { listPayouts } from '../../app/money/list-payouts.ts';
import { verifyLedger } from '../../app/money/verify-ledger.ts';
import { LIMITS } from '../../domain/limits.ts';
import type { Router } from '../route.ts';
import * as s from '../schemas.ts';

export function moneyRoutes(r: Router): void {
  r.add({
    method: 'GET',
    path: '/v1/fees',
    access: 'public',
    tag: 'Money',
    summary: "Settle's service fee on every release (basis points, rounded half up per release) and the arbitration fee per party",
    response: z.object({ object: z.literal('fees'), service_fee_bps: z.number().int(), arbitration_fee_amount: z.number().int() }),
    handler: async ({ ctx }) => ({ object: 'fees' as const, service_fee_bps: ctx.deps.config.feeBps, arbitration_fee_amount: ctx.deps.config.arbitrationFeeMinor }),
  });

  r.add({
    method: 'GET',
    path: '/v1/balance',
    access: 'user',
    tag: 'Money',
    summary: 'Available, pending and in-escrow money per currency',
    response: s.balance,
    handler: ({ ctx, user }) => getBalance(ctx.deps, user.id),
  });

  r.add({
    method: 'GET',
    path: '/v1/balance/transactions',
    access: 'user',
    tag: 'Money',
    summary: "The caller's ledger movements, newest first",
    query: s.listQuery,
    response: s.listOf(s.balanceTransaction),
    handler: ({ ctx, user, query }) => listBalanceTransactions(ctx.deps, user.id, query),
  });

  r.add({
    method: 'POST',
    path: '/v1/payouts',
    access: 'user',
    tag: 'Money',
    summary: 'Pay out available money',
    body: z.strictObject({ amount: s.positiveAmount(LIMITS.max_payout_minor), currency: s.currency }),
    response: s.payout,
    handler: ({ ctx, user, body }) => createPayout(ctx.deps, { user_id: user.id, ...body }),
  });

  r.add({
    method: 'GET',
    path: '/v1/payouts',
    access: 'user',
    tag: 'Money',
    summary: "The caller's payouts, newest first",
    query: s.listQuery,
    response: s.listOf(s.payout),
    handler: ({ ctx, user, query }) => listPayouts(ctx.deps, user.id, query),
  });

  r.add({
    method: 'GET',
    path: '/v1/admin/ledger/verify',
    access: 'operator',
    tag: 'Operator',
    summary: 'Recompute every balance from the transfers and check the invariants',
    response: z.object({ ok: z.boolean(), checked: z.object({ transfers: z.number().int(), accounts: z.number().int() }), problems: z.array(z.string()) }),
    handler: ({ ctx }) => verifyLedger(ctx.deps.db),
  });
}
