// The double-entry ledger on a real database (PGlite, or PostgreSQL with
// DATABASE_URL): postTransfers, the database's own refusals, verifyLedger,
// concurrent payouts through the API, and paying by balance or card.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { postTransfers } from '../src/app/ledger.ts';
import { verifyLedger } from '../src/app/money/verify-ledger.ts';
import { ensurePayerFunds } from '../src/app/payments/pay.ts';
import { createSandboxProvider, type ChargeRequest, type PaymentProvider } from '../src/app/payments/provider.ts';
import { migrate } from '../src/db/migrate.ts';
import type { Db, Queryable } from '../src/db/port.ts';
import { AppError } from '../src/domain/errors.ts';
import {
  availableAccount,
  escrowAccount,
  feesAccount,
  pendingAccount,
  worldAccount,
  type AccountRef,
  type TransferSpec,
} from '../src/domain/ledger.ts';
import type { Currency } from '../src/domain/money.ts';
import { createSettle } from '../src/settle.ts';
import { CLOCK_START, TestApi, freshDb, testConfig } from './support/harness.ts';
import { count, isSqlError } from './support/sql.ts';

const T0 = new Date(CLOCK_START);

async function ledgerDb(): Promise<Db> {
  const db = await freshDb();
  await migrate(db);
  return db;
}

const post = (db: Db, specs: TransferSpec[], now = T0) => db.transaction((tx) => postTransfers(tx, now, specs));

// Transfer builders, one per kind used here.
const credit = (user: string, amount: number, currency: Currency = 'usd'): TransferSpec => ({
  kind: 'sandbox_credit', from: worldAccount(currency), to: availableAccount(user, currency), amount, ref_id: null, description: 'Sandbox credit',
});
const creditPending = (user: string, amount: number, currency: Currency = 'usd'): TransferSpec => ({
  kind: 'sandbox_credit', from: worldAccount(currency), to: pendingAccount(user, currency), amount, ref_id: null, description: 'Sandbox credit',
});
const payout = (user: string, amount: number, currency: Currency = 'usd'): TransferSpec => ({
  kind: 'payout', from: availableAccount(user, currency), to: worldAccount(currency), amount, ref_id: null, description: 'Payout',
});
const fund = (client: string, ms: string, amount: number): TransferSpec => ({
  kind: 'escrow_fund', from: availableAccount(client, 'usd'), to: escrowAccount(ms, 'usd'), amount, ref_id: ms, description: 'Fund',
});
const release = (ms: string, freelancer: string, amount: number): TransferSpec => ({
  kind: 'escrow_release', from: escrowAccount(ms, 'usd'), to: pendingAccount(freelancer, 'usd'), amount, ref_id: ms, description: 'Release',
});
const fee = (ms: string, amount: number): TransferSpec => ({
  kind: 'service_fee', from: escrowAccount(ms, 'usd'), to: feesAccount('usd'), amount, ref_id: ms, description: 'Fee',
});
const refund = (ms: string, client: string, amount: number): TransferSpec => ({
  kind: 'escrow_refund', from: escrowAccount(ms, 'usd'), to: availableAccount(client, 'usd'), amount, ref_id: ms, description: 'Refund',
});
const holdRelease = (user: string, amount: number): TransferSpec => ({
  kind: 'hold_release', from: pendingAccount(user, 'usd'), to: availableAccount(user, 'usd'), amount, ref_id: null, description: 'Hold ended',
});

async function balanceOf(db: Queryable, ref: AccountRef): Promise<number | undefined> {
  const r = await db.query<{ balance: number }>(`select balance from accounts where kind = $1 and coalesce(owner_id, '') = $2 and currency = $3`, [
    ref.kind,
    ref.owner_id ?? '',
    ref.currency,
  ]);
  return r.rows[0]?.balance;
}

async function accountId(db: Queryable, ref: AccountRef): Promise<string> {
  const r = await db.query<{ id: string }>(`select id from accounts where kind = $1 and coalesce(owner_id, '') = $2 and currency = $3`, [
    ref.kind,
    ref.owner_id ?? '',
    ref.currency,
  ]);
  assert.ok(r.rows[0], `account ${ref.kind}:${ref.owner_id}:${ref.currency} exists`);
  return r.rows[0].id;
}

/** Everything the ledger holds, to prove that a refused batch left nothing behind. */
async function snapshot(db: Queryable) {
  return {
    transfers: await count(db, 'transfers'),
    entries: await count(db, 'ledger_entries'),
    accounts: (await db.query(`select id, kind, owner_id, currency, balance from accounts order by id`)).rows,
  };
}

async function assertLedgerOk(db: Queryable) {
  const report = await verifyLedger(db);
  assert.equal(report.ok, true, report.problems.join('; '));
  return report;
}

const isAppError = (code: string, status: number) => (error: unknown) => {
  assert.ok(error instanceof AppError, `expected AppError ${code}, got ${String(error)}`);
  assert.equal(error.code, code);
  assert.equal(error.status, status);
  return true;
};

// ------------------------------------------------------------ invariants

test('after a mix of postings the ledger verifies: currencies sum to zero, balances are the sum of entries, two entries per transfer', async () => {
  const db = await ledgerDb();
  const client = 'usr_client';
  const freelancer = 'usr_freelancer';
  await post(db, [credit(client, 10_000), credit(client, 5_000, 'eur')]);
  await post(db, [fund(client, 'ms_1', 8_000)]);
  await post(db, [release('ms_1', freelancer, 7_200), fee('ms_1', 800)]);
  await post(db, [holdRelease(freelancer, 7_200)]);
  await post(db, [payout(freelancer, 7_000)]);
  await post(db, [fund(client, 'ms_2', 1_000)]);
  await post(db, [refund('ms_2', client, 1_000)]);
  await post(db, [payout(client, 500, 'eur')]);
  await post(db, [creditPending(freelancer, 300)]);

  const report = await assertLedgerOk(db);
  assert.equal(report.checked.transfers, 11);

  // The expected balances, worked out by hand.
  assert.equal(await balanceOf(db, availableAccount(client, 'usd')), 2_000);
  assert.equal(await balanceOf(db, availableAccount(client, 'eur')), 4_500);
  assert.equal(await balanceOf(db, escrowAccount('ms_1', 'usd')), 0);
  assert.equal(await balanceOf(db, escrowAccount('ms_2', 'usd')), 0);
  assert.equal(await balanceOf(db, pendingAccount(freelancer, 'usd')), 300);
  assert.equal(await balanceOf(db, availableAccount(freelancer, 'usd')), 200);
  assert.equal(await balanceOf(db, feesAccount('usd')), 800);
  assert.equal(await balanceOf(db, worldAccount('usd')), -10_000 + 7_000 - 300);
  assert.equal(await balanceOf(db, worldAccount('eur')), -5_000 + 500);

  // Every currency sums to zero.
  const sums = await db.query<{ currency: string; total: number }>(`select currency, sum(balance)::int8 as total from accounts group by currency order by currency`);
  assert.deepEqual(sums.rows, [
    { currency: 'eur', total: 0 },
    { currency: 'usd', total: 0 },
  ]);
  // Each stored balance is the sum of its entries, and each entry's balance_after is the running sum.
  const entries = await db.query<{ account_id: string; amount: number; balance_after: number }>(`select account_id, amount, balance_after from ledger_entries order by seq`);
  const running = new Map<string, number>();
  for (const e of entries.rows) {
    const next = (running.get(e.account_id) ?? 0) + e.amount;
    running.set(e.account_id, next);
    assert.equal(e.balance_after, next, `balance_after of an entry on ${e.account_id}`);
  }
  const accounts = await db.query<{ id: string; balance: number }>(`select id, balance from accounts`);
  assert.equal(accounts.rows.length, 9);
  for (const a of accounts.rows) assert.equal(a.balance, running.get(a.id) ?? 0, `account ${a.id}`);
  // Exactly two entries per transfer: one debit of -amount, one credit of +amount.
  const perTransfer = await db.query<{ n: number; debit: number; credit: number; amount: number }>(
    `select count(e.id)::int8 as n,
            sum(e.amount) filter (where e.account_id = t.debit_account_id)::int8 as debit,
            sum(e.amount) filter (where e.account_id = t.credit_account_id)::int8 as credit, t.amount
       from transfers t join ledger_entries e on e.transfer_id = t.id group by t.id, t.amount`,
  );
  assert.equal(perTransfer.rows.length, 11);
  for (const t of perTransfer.rows) assert.deepEqual(t, { n: 2, debit: -t.amount, credit: t.amount, amount: t.amount });
});

test('a posting that would take user_available below zero is refused with insufficient_balance and leaves nothing behind', async () => {
  const db = await ledgerDb();
  await post(db, [credit('usr_a', 100)]);
  const before = await snapshot(db);
  // The first transfer of the batch is fine on its own (and creates a new account); the second is not.
  await assert.rejects(post(db, [credit('usr_b', 50), payout('usr_a', 101)]), isAppError('insufficient_balance', 402));
  assert.deepEqual(await snapshot(db), before);
  assert.equal(await balanceOf(db, availableAccount('usr_b', 'usd')), undefined, 'the account the batch created was rolled back');
  // A batch whose earlier payout fits but whose later one does not is refused whole.
  await assert.rejects(post(db, [payout('usr_a', 60), payout('usr_a', 60)]), isAppError('insufficient_balance', 402));
  assert.deepEqual(await snapshot(db), before);
  assert.equal(await balanceOf(db, availableAccount('usr_a', 'usd')), 100);
  await assertLedgerOk(db);
});

test('a balance may not pass below zero at any point of a batch, even if a later transfer would refill it', async () => {
  const db = await ledgerDb();
  await post(db, [credit('usr_a', 100)]);
  const before = await snapshot(db);
  await assert.rejects(post(db, [payout('usr_a', 150), credit('usr_a', 100)]), isAppError('insufficient_balance', 402));
  assert.deepEqual(await snapshot(db), before);
  // In the other order the same two transfers are fine.
  await post(db, [credit('usr_a', 100), payout('usr_a', 150)]);
  assert.equal(await balanceOf(db, availableAccount('usr_a', 'usd')), 50);
  await assertLedgerOk(db);
});

test('paying out exactly the whole balance is allowed and leaves zero', async () => {
  const db = await ledgerDb();
  await post(db, [credit('usr_a', 100)]);
  await post(db, [payout('usr_a', 100)]);
  assert.equal(await balanceOf(db, availableAccount('usr_a', 'usd')), 0);
  await assert.rejects(post(db, [payout('usr_a', 1)]), isAppError('insufficient_balance', 402));
  await assertLedgerOk(db);
});

test('the world account may go negative', async () => {
  const db = await ledgerDb();
  await post(db, [credit('usr_a', 700), credit('usr_b', 300, 'jpy')]);
  assert.equal(await balanceOf(db, worldAccount('usd')), -700);
  assert.equal(await balanceOf(db, worldAccount('jpy')), -300);
  await assertLedgerOk(db);
});

test('escrow and platform fees may not go negative: a short escrow refuses its fee, nothing may debit platform_fees, and the database check refuses it', async () => {
  const db = await ledgerDb();
  await post(db, [credit('usr_client', 1_000)]);
  await post(db, [fund('usr_client', 'ms_1', 1_000)]);
  const before = await snapshot(db);
  await assert.rejects(post(db, [release('ms_1', 'usr_f', 950), fee('ms_1', 100)]), isAppError('insufficient_balance', 402));
  assert.deepEqual(await snapshot(db), before);

  await post(db, [release('ms_1', 'usr_f', 900), fee('ms_1', 100)]);
  assert.equal(await balanceOf(db, feesAccount('usd')), 100);
  // No transfer kind debits the fee account.
  const outOfFees: TransferSpec = { kind: 'service_fee', from: feesAccount('usd'), to: feesAccount('usd'), amount: 1, ref_id: null, description: 'x' };
  await assert.rejects(post(db, [outOfFees]), /may not debit a platform_fees account/);
  // And the database refuses a negative fee balance whatever the application does.
  await assert.rejects(db.query(`update accounts set balance = -1 where kind = 'platform_fees'`), isSqlError('23514', /accounts_balance_non_negative/));
  assert.equal(await balanceOf(db, feesAccount('usd')), 100);
  await assertLedgerOk(db);
});

// ------------------------------------------------------ the database refuses

test('the database refuses to update or delete transfers and ledger entries', async () => {
  const db = await ledgerDb();
  await post(db, [credit('usr_a', 100)]);
  await assert.rejects(db.query(`update transfers set amount = 1`), isSqlError('P0001', /rows of transfers are immutable/));
  await assert.rejects(db.query(`update transfers set description = 'edited'`), isSqlError('P0001', /immutable/));
  await assert.rejects(db.query(`delete from transfers`), isSqlError('P0001', /rows of transfers are immutable/));
  await assert.rejects(db.query(`update ledger_entries set amount = amount * 2`), isSqlError('P0001', /rows of ledger_entries are immutable/));
  await assert.rejects(db.query(`delete from ledger_entries`), isSqlError('P0001', /rows of ledger_entries are immutable/));
  assert.equal(await count(db, 'transfers'), 1);
  assert.equal(await count(db, 'ledger_entries'), 2);
  await assertLedgerOk(db);
});

test('the database refuses a negative user balance (check constraint) and a transfer across currencies (foreign keys)', async () => {
  const db = await ledgerDb();
  await post(db, [credit('usr_a', 100), credit('usr_a', 100, 'eur')]);
  const usd = await accountId(db, availableAccount('usr_a', 'usd'));
  const eur = await accountId(db, availableAccount('usr_a', 'eur'));
  const world = await accountId(db, worldAccount('usd'));
  for (const kind of ['user_available', 'user_pending', 'escrow', 'arbitration_fees']) {
    await assert.rejects(
      db.query(`insert into accounts (id, kind, owner_id, currency, balance, created_at) values ($1, $2, 'x', 'usd', -1, $3)`, [`acct_neg${kind.replace(/_/g, '')}`, kind, T0]),
      isSqlError('23514', /accounts_balance_non_negative/),
      kind,
    );
  }
  await assert.rejects(db.query(`update accounts set balance = -1 where id = $1`, [usd]), isSqlError('23514', /accounts_balance_non_negative/));
  // The world account is the one exception.
  await db.transaction(async (tx) => {
    await tx.query(`update accounts set balance = balance - 1 where id = $1`, [world]);
    await tx.query(`update accounts set balance = balance + 1 where id = $1`, [world]);
  });
  // usd → eur, in either currency's name, has no matching (id, currency) account.
  const insertTransfer = (currency: string, debit: string, credit: string) =>
    db.query(
      `insert into transfers (id, kind, currency, debit_account_id, credit_account_id, amount, description, created_at) values ('tr_cross', 'payout', $1, $2, $3, 1, 'x', $4)`,
      [currency, debit, credit, T0],
    );
  await assert.rejects(insertTransfer('usd', usd, eur), isSqlError('23503'));
  await assert.rejects(insertTransfer('eur', usd, eur), isSqlError('23503'));
  // Control: the same statement between two usd accounts is accepted by the keys (then rolled back).
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.query(
        `insert into transfers (id, kind, currency, debit_account_id, credit_account_id, amount, description, created_at) values ('tr_same', 'payout', 'usd', $1, $2, 1, 'x', $3)`,
        [usd, world, T0],
      );
      throw new Error('roll back the control');
    }),
    /roll back the control/,
  );
  assert.equal(await count(db, 'transfers'), 2);
  await assertLedgerOk(db);
});

test('verifyLedger names an account whose stored balance was tampered with', async () => {
  const db = await ledgerDb();
  await post(db, [credit('usr_a', 100), credit('usr_b', 200)]);
  await post(db, [payout('usr_a', 40)]);
  await assertLedgerOk(db);
  const tampered = await accountId(db, availableAccount('usr_b', 'usd'));
  const untouched = await accountId(db, availableAccount('usr_a', 'usd'));
  await db.query(`update accounts set balance = balance + 1 where id = $1`, [tampered]);
  const report = await verifyLedger(db);
  assert.equal(report.ok, false);
  assert.ok(
    report.problems.some((p) => p.includes(tampered) && p.includes('stores balance 201') && p.includes('sum to 200')),
    report.problems.join('; '),
  );
  assert.ok(report.problems.some((p) => /usd accounts sum to 1, not 0/.test(p)), report.problems.join('; '));
  assert.ok(!report.problems.some((p) => p.includes(untouched)), 'the untouched account is not blamed');
});

// ------------------------------------------------------------- concurrency

/**
 * A Settle whose database counts how often each transaction body runs: the pg
 * adapter re-runs a body after a deadlock (40P01) or serialization failure,
 * so `retries` > 0 means one happened.
 */
async function startCountingSettle() {
  const inner = await freshDb();
  const stats = { transactions: 0, attempts: 0 };
  const db: Db = {
    kind: inner.kind,
    query: <T,>(sql: string, params?: readonly unknown[]) => inner.query<T>(sql, params),
    exec: (sql: string) => inner.exec(sql),
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      stats.transactions++;
      return inner.transaction((tx) => {
        stats.attempts++;
        return fn(tx);
      });
    },
    close: () => inner.close(),
  };
  const settle = await createSettle(testConfig(), { db, checkResponses: true });
  after(() => settle.close());
  return { api: new TestApi(settle), db, retries: () => stats.attempts - stats.transactions };
}

test('50 parallel payouts of 300 from 10,000 available: exactly 33 succeed, the rest are 402 insufficient_balance, 100 is left', async () => {
  const { api, db, retries } = await startCountingSettle();
  const ann = await api.user('Ann');
  await api.credit(ann.id, 10_000);
  const responses = await Promise.all(Array.from({ length: 50 }, () => api.post('/v1/payouts', { amount: 300, currency: 'usd' }, ann.token)));
  const ok = responses.filter((r) => r.status === 201);
  const refused = responses.filter((r) => r.status !== 201);
  assert.equal(ok.length, 33);
  assert.equal(refused.length, 17);
  for (const r of refused) {
    assert.equal(r.status, 402);
    assert.equal(r.body.error.code, 'insufficient_balance');
  }
  assert.equal(new Set(ok.map((r) => r.body.id)).size, 33);
  const balance = (await api.get('/v1/balance', ann.token)).body;
  assert.deepEqual(balance.available, [{ amount: 100, currency: 'usd' }]);
  // Never negative, not even for a moment: every balance_after on the account.
  const account = await accountId(db, availableAccount(ann.id, 'usd'));
  const low = await db.query<{ min: number; n: number }>(`select min(balance_after)::int8 as min, count(*)::int8 as n from ledger_entries where account_id = $1`, [account]);
  assert.deepEqual(low.rows[0], { min: 100, n: 34 });
  assert.equal(await count(db, 'payouts'), 33);
  const ledger = await api.verifyLedger();
  assert.equal(ledger.ok, true, ledger.problems.join('; '));
  assert.equal(retries(), 0, 'no transaction had to be retried');
});

test('50 parallel payouts from 50 different users all succeed on the hot world account', async () => {
  const { api, db, retries } = await startCountingSettle();
  const users = [];
  for (let i = 0; i < 50; i++) {
    const u = await api.user(`Payee ${i}`);
    await api.credit(u.id, 1_000 + i);
    users.push(u);
  }
  const worldBefore = await balanceOf(db, worldAccount('usd'));
  const responses = await Promise.all(users.map((u, i) => api.post('/v1/payouts', { amount: 1_000 + i, currency: 'usd' }, u.token)));
  assert.deepEqual(
    responses.map((r) => r.status),
    users.map(() => 201),
    JSON.stringify(responses.find((r) => r.status !== 201)?.body),
  );
  const paidOut = users.reduce((sum, _u, i) => sum + 1_000 + i, 0);
  assert.equal(await balanceOf(db, worldAccount('usd')), worldBefore! + paidOut);
  for (const u of users) assert.equal(await balanceOf(db, availableAccount(u.id, 'usd')), 0);
  const ledger = await api.verifyLedger();
  assert.equal(ledger.ok, true, ledger.problems.join('; '));
  assert.equal(ledger.checked.transfers, 100);
  assert.equal(retries(), 0, 'no transaction had to be retried');
});

test('two users paying out while a third receives credits, all at once, neither deadlocks nor loses money', async () => {
  const { api, db, retries } = await startCountingSettle();
  const [a, b, c] = [await api.user('Ann'), await api.user('Bob'), await api.user('Cat')];
  await api.credit(a.id, 3_000);
  await api.credit(b.id, 3_000);
  const calls: Array<Promise<{ status: number }>> = [];
  for (let i = 0; i < 30; i++) {
    calls.push(api.post('/v1/payouts', { amount: 100, currency: 'usd' }, a.token));
    calls.push(api.admin('POST', '/v1/test_helpers/balance_credits', { user_id: c.id, amount: 50, currency: 'usd', balance_type: 'available' }));
    calls.push(api.post('/v1/payouts', { amount: 100, currency: 'usd' }, b.token));
  }
  const responses = await Promise.all(calls);
  assert.deepEqual(
    responses.map((r) => r.status),
    responses.map(() => 201),
  );
  assert.equal(await balanceOf(db, availableAccount(a.id, 'usd')), 0);
  assert.equal(await balanceOf(db, availableAccount(b.id, 'usd')), 0);
  assert.equal(await balanceOf(db, availableAccount(c.id, 'usd')), 1_500);
  assert.equal(await balanceOf(db, worldAccount('usd')), -1_500);
  const ledger = await api.verifyLedger();
  assert.equal(ledger.ok, true, ledger.problems.join('; '));
  assert.equal(retries(), 0, 'no transaction was retried after a deadlock');
});

// ---------------------------------------------------------- paying for things

function recordingProvider(): { payments: PaymentProvider; calls: ChargeRequest[] } {
  const sandbox = createSandboxProvider();
  const calls: ChargeRequest[] = [];
  return {
    calls,
    payments: {
      charge(request) {
        calls.push(request);
        return sandbox.charge(request);
      },
    },
  };
}

const payOptions = (payerId: string, amount: number, paymentMethod: string | undefined) => ({
  payerId,
  amount,
  currency: 'usd' as const,
  paymentMethod,
  description: 'Milestone ms_1',
  idempotencyKey: `fund:ms_1:${payerId}:${paymentMethod}:${amount}`,
  now: T0,
});

test('ensurePayerFunds: a balance that covers the amount and no method charges nothing', async () => {
  const db = await ledgerDb();
  const { payments, calls } = recordingProvider();
  await post(db, [credit('usr_payer', 1_000)]);
  const before = await snapshot(db);
  const charge = await db.transaction((tx) => ensurePayerFunds({ payments }, tx, payOptions('usr_payer', 1_000, undefined)));
  assert.equal(charge, null);
  assert.equal(calls.length, 0);
  assert.deepEqual(await snapshot(db), before);
  // "balance" named explicitly behaves the same.
  assert.equal(await db.transaction((tx) => ensurePayerFunds({ payments }, tx, payOptions('usr_payer', 600, 'balance'))), null);
  assert.equal(calls.length, 0);
});

test('ensurePayerFunds: pm_card_visa charges the card and a card_charge transfer from the world lands in available', async () => {
  const db = await ledgerDb();
  const { payments, calls } = recordingProvider();
  await post(db, [credit('usr_payer', 1_000)]);
  // The card is used when named, even though the balance would cover it.
  const charge = await db.transaction((tx) => ensurePayerFunds({ payments }, tx, payOptions('usr_payer', 700, 'pm_card_visa')));
  assert.match(charge ?? '', /^ch_/);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.payment_method, 'pm_card_visa');
  assert.equal(calls[0]!.amount, 700);
  assert.equal(await balanceOf(db, availableAccount('usr_payer', 'usd')), 1_700);
  const transfers = await db.query<{ kind: string; amount: number; ref_id: string; debit: string; credit: string }>(
    `select t.kind, t.amount, t.ref_id, d.kind as debit, c.kind as credit from transfers t
       join accounts d on d.id = t.debit_account_id join accounts c on c.id = t.credit_account_id where t.kind = 'card_charge'`,
  );
  assert.deepEqual(transfers.rows, [{ kind: 'card_charge', amount: 700, ref_id: charge, debit: 'world', credit: 'user_available' }]);
  await assertLedgerOk(db);
});

test('ensurePayerFunds: a declined card is 402 card_declined and writes nothing', async () => {
  const db = await ledgerDb();
  const { payments } = recordingProvider();
  await post(db, [credit('usr_payer', 100)]);
  const before = await snapshot(db);
  await assert.rejects(
    db.transaction((tx) => ensurePayerFunds({ payments }, tx, payOptions('usr_payer', 700, 'pm_card_declined'))),
    isAppError('card_declined', 402),
  );
  assert.deepEqual(await snapshot(db), before);
});

test('ensurePayerFunds: "balance" when the balance is short is 402 insufficient_balance', async () => {
  const db = await ledgerDb();
  const { payments, calls } = recordingProvider();
  await post(db, [credit('usr_payer', 699)]);
  const before = await snapshot(db);
  await assert.rejects(
    db.transaction((tx) => ensurePayerFunds({ payments }, tx, payOptions('usr_payer', 700, 'balance'))),
    isAppError('insufficient_balance', 402),
  );
  // No account at all counts as an empty balance.
  await assert.rejects(
    db.transaction((tx) => ensurePayerFunds({ payments }, tx, payOptions('usr_nobody', 1, 'balance'))),
    isAppError('insufficient_balance', 402),
  );
  assert.equal(calls.length, 0);
  assert.deepEqual(await snapshot(db), before);
});

test('ensurePayerFunds: no method and a short balance charges the default card for the whole amount', async () => {
  const db = await ledgerDb();
  const { payments, calls } = recordingProvider();
  await post(db, [credit('usr_payer', 699)]);
  const charge = await db.transaction((tx) => ensurePayerFunds({ payments }, tx, payOptions('usr_payer', 700, undefined)));
  assert.match(charge ?? '', /^ch_/);
  assert.deepEqual(
    calls.map((c) => [c.payment_method, c.amount, c.currency]),
    [['pm_card_visa', 700, 'usd']],
  );
  assert.equal(await balanceOf(db, availableAccount('usr_payer', 'usd')), 1_399);
  await assertLedgerOk(db);
});

test('ensurePayerFunds: an unknown card is 400 payment_method_unknown and writes nothing', async () => {
  const db = await ledgerDb();
  const { payments } = recordingProvider();
  await post(db, [credit('usr_payer', 100)]);
  const before = await snapshot(db);
  await assert.rejects(
    db.transaction((tx) => ensurePayerFunds({ payments }, tx, payOptions('usr_payer', 700, 'pm_card_bogus'))),
    (error: unknown) => isAppError('payment_method_unknown', 400)(error) && (error as AppError).param === 'payment_method',
  );
  assert.deepEqual(await snapshot(db), before);
});
