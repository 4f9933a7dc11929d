// The rules engine (src/jobs/engine.ts) and the sandbox clock: due order,
// duplicated and late sweeps, batching, the strict "later than" deadline,
// the clock's persistence, and housekeeping of idempotency keys.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Deps } from '../src/app/deps.ts';
import { postTransfers } from '../src/app/ledger.ts';
import { createSandboxProvider } from '../src/app/payments/provider.ts';
import type { Db } from '../src/db/port.ts';
import { pendingAccount } from '../src/domain/ledger.ts';
import { LIMITS } from '../src/domain/limits.ts';
import { advanceManualClock, sweepDue, type Rule } from '../src/jobs/engine.ts';
import { idempotencyExpiryRule } from '../src/jobs/rules/housekeeping.ts';
import { pendingHoldRule } from '../src/jobs/rules/pending-hold.ts';
import { ManualClock, SystemClock, type Clock } from '../src/lib/clock.ts';
import { newId } from '../src/lib/ids.ts';
import { createSettle } from '../src/settle.ts';
import { CLOCK_START, TestApi, freshDb, startSettle, testConfig } from './support/harness.ts';

const T0 = new Date(CLOCK_START);
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(T0.getTime() + ms);
const iso = (ms: number) => at(ms).toISOString();

// ------------------------------------------------------------- fake rules

/** Deps for rules that need no database: any query fails the test. */
function fakeDeps(clock: Clock): Deps {
  const refuse = async (): Promise<never> => {
    throw new Error('the fake rules use no database');
  };
  const db: Db = { kind: 'pglite', query: refuse, exec: refuse, transaction: refuse, close: refuse };
  const files = { put: refuse, get: refuse };
  return { db, clock, config: testConfig(), payments: createSandboxProvider(), files };
}

interface Applied {
  rule: string;
  due: number;
  /** deps.clock when the rule applied the row. */
  clock: number;
  /** The `now` the engine gave runBatch. */
  now: number;
}

interface Call {
  rule: string;
  now: number;
  until: number;
  limit: number;
  applied: number;
}

/**
 * A rule over an in-memory list of due instants that keeps the Rule contract:
 * at most `limit` rows, each with due < now and due <= until, earliest first.
 */
function fakeRule(name: string, dues: Date[], log: { applied: Applied[]; calls: Call[] }): Rule {
  const waiting = dues.map((d) => d.getTime()).sort((a, b) => a - b);
  return {
    name,
    async nextDue() {
      return waiting.length > 0 ? new Date(waiting[0]!) : null;
    },
    async runBatch(deps, now, until, limit) {
      let applied = 0;
      while (applied < limit && waiting.length > 0 && waiting[0]! < now.getTime() && waiting[0]! <= until.getTime()) {
        const due = waiting.shift()!;
        log.applied.push({ rule: name, due, clock: deps.clock.now().getTime(), now: now.getTime() });
        applied++;
      }
      log.calls.push({ rule: name, now: now.getTime(), until: until.getTime(), limit, applied });
      return applied;
    },
  };
}

const newLog = () => ({ applied: [] as Applied[], calls: [] as Call[] });

test('rules of different kinds interleave in due order across rules', async () => {
  const log = newLog();
  const a = fakeRule('a', [at(1 * HOUR), at(3 * HOUR), at(5 * HOUR)], log);
  const b = fakeRule('b', [at(4 * HOUR), at(2 * HOUR)], log);
  const c = fakeRule('c', [at(2.5 * HOUR)], log);
  const result = await sweepDue(fakeDeps(new ManualClock(T0)), [a, b, c], at(6 * HOUR));
  assert.deepEqual(
    log.applied.map((x) => [x.rule, (x.due - T0.getTime()) / HOUR]),
    [['a', 1], ['b', 2], ['c', 2.5], ['a', 3], ['b', 4], ['a', 5]],
  );
  assert.equal(result.applied, 6);
  // Every row was applied by a batch whose `until` stopped at the next rule's first due row.
  for (const call of log.calls) assert.ok(call.until <= at(6 * HOUR).getTime());
});

test('advancing the manual clock applies each due row with the clock 1 ms after its due instant', async () => {
  const log = newLog();
  const clock = new ManualClock(T0);
  const deps = fakeDeps(clock);
  const a = fakeRule('a', [at(1 * HOUR), at(3 * HOUR)], log);
  const b = fakeRule('b', [at(2 * HOUR), at(2 * HOUR + 1)], log);
  const seen: number[] = [];
  const result = await advanceManualClock(deps, [a, b], at(DAY), async (to) => {
    seen.push(to.getTime());
    clock.set(to);
  });
  assert.deepEqual(
    log.applied.map((x) => [x.rule, x.due - T0.getTime(), x.clock - T0.getTime(), x.now - T0.getTime()]),
    [
      ['a', 1 * HOUR, 1 * HOUR + 1, 1 * HOUR + 1],
      ['b', 2 * HOUR, 2 * HOUR + 1, 2 * HOUR + 1],
      ['b', 2 * HOUR + 1, 2 * HOUR + 2, 2 * HOUR + 2],
      ['a', 3 * HOUR, 3 * HOUR + 1, 3 * HOUR + 1],
    ],
  );
  assert.equal(result.applied, 4);
  assert.equal(clock.now().getTime(), at(DAY).getTime());
  // The clock only ever moved forward.
  assert.deepEqual([...seen].sort((x, y) => x - y), seen);
});

test('runBatch gets limit = LIMITS.sweep_batch_size, and more due rows than that are applied in several batches', async () => {
  const log = newLog();
  const size = LIMITS.sweep_batch_size;
  const dues = Array.from({ length: 2 * size + 500 }, (_, i) => at(HOUR + (i % 7)));
  const a = fakeRule('a', dues, log);
  const result = await sweepDue(fakeDeps(new ManualClock(T0)), [a], at(2 * HOUR));
  assert.deepEqual(result, { applied: 2 * size + 500, batches: 3 });
  assert.deepEqual(
    log.calls.map((c) => [c.limit, c.applied]),
    [
      [size, size],
      [size, size],
      [size, 500],
    ],
  );
  // Earliest first across batches.
  const order = log.applied.map((x) => x.due);
  assert.deepEqual([...order].sort((x, y) => x - y), order);
});

test('nothing due exactly at now is applied: a deadline has passed only when now is later than it', async () => {
  const log = newLog();
  const a = fakeRule('a', [at(HOUR)], log);
  const deps = fakeDeps(new ManualClock(T0));
  assert.deepEqual(await sweepDue(deps, [a], at(HOUR)), { applied: 0, batches: 0 });
  assert.equal(log.calls.length, 0, 'runBatch is not even asked');
  assert.deepEqual(await sweepDue(deps, [a], at(HOUR + 1)), { applied: 1, batches: 1 });

  // The same through a clock advance: to exactly the due instant, then 1 ms more.
  const log2 = newLog();
  const clock = new ManualClock(T0);
  const b = fakeRule('b', [at(HOUR)], log2);
  const deps2 = fakeDeps(clock);
  const setClock = async (to: Date) => clock.set(to);
  assert.equal((await advanceManualClock(deps2, [b], at(HOUR), setClock)).applied, 0);
  assert.equal(log2.applied.length, 0);
  assert.equal((await advanceManualClock(deps2, [b], at(HOUR + 1), setClock)).applied, 1);
  assert.deepEqual(log2.applied.map((x) => x.clock), [at(HOUR + 1).getTime()]);
});

test('advanceManualClock refuses to run with the system clock', async () => {
  const log = newLog();
  const a = fakeRule('a', [at(HOUR)], log);
  let moved = false;
  await assert.rejects(
    advanceManualClock(fakeDeps(new SystemClock()), [a], new Date(Date.now() + DAY), async () => {
      moved = true;
    }),
    /only the sandbox clock is advanced/,
  );
  assert.equal(moved, false);
  assert.equal(log.calls.length, 0);
});

test('the sandbox clock never moves backwards', async () => {
  const clock = new ManualClock(T0);
  assert.throws(() => clock.set(at(-1)), /only moves forward/);
  assert.equal(clock.now().getTime(), T0.getTime());
  clock.set(T0); // standing still is allowed
  clock.set(at(HOUR));
  assert.throws(() => clock.set(at(HOUR - 1)), /only moves forward/);
  assert.equal(clock.now().getTime(), at(HOUR).getTime());

  const api = await startSettle();
  const res = await api.admin('POST', '/v1/test_helpers/clock/advance', { to: iso(-1000) });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'clock_backwards');
  assert.equal((await api.admin('GET', '/v1/test_helpers/clock')).body.now, iso(0));
});

// ------------------------------------------------------ the real hold rule

async function countReleases(deps: Deps): Promise<number> {
  return (await deps.db.query<{ n: number }>(`select count(*)::int8 as n from transfers where kind = 'hold_release'`)).rows[0]!.n;
}

/** Pending money credited now, held by pending_funds rows with the given due instants (set up directly). */
async function addHolds(deps: Deps, userId: string, holds: Array<{ amount: number; availableAt: Date }>): Promise<void> {
  const total = holds.reduce((s, h) => s + h.amount, 0);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [credit] = await postTransfers(tx, now, [
      { kind: 'sandbox_credit', from: { kind: 'world', owner_id: null, currency: 'usd' }, to: pendingAccount(userId, 'usd'), amount: total, ref_id: null, description: 'Sandbox credit' },
    ]);
    for (const h of holds) {
      await tx.query(
        `insert into pending_funds (id, user_id, currency, amount, available_at, source_transfer_id, created_at) values ($1, $2, 'usd', $3, $4, $5, $6)`,
        [newId('pending_funds'), userId, h.amount, h.availableAt, credit!.id, now],
      );
    }
  });
}

test('advancing the clock makes pending holds available in due order, each with the clock 1 ms after its due instant', async () => {
  const api = await startSettle();
  const deps = api.settle.deps;
  const ann = await api.user('Ann');
  await api.credit(ann.id, 100, 'usd', 'pending'); // due T0 + 5 d
  await api.advance({ seconds: 3600 });
  await api.credit(ann.id, 200, 'usd', 'pending'); // due T0 + 1 h + 5 d
  const advanced = await api.advance({ seconds: 6 * 24 * 3600 });
  assert.equal(advanced.now, iso(HOUR + 6 * DAY));
  assert.equal(advanced.rules_applied, 2);

  const rows = await deps.db.query<{ amount: number; made_available_at: Date; transfer_at: Date; credited_at: Date }>(
    `select pf.amount, pf.made_available_at, t.created_at as transfer_at, e.created_at as credited_at
       from pending_funds pf
       join transfers t on t.ref_id = pf.id and t.kind = 'hold_release'
       join ledger_entries e on e.transfer_id = t.id and e.account_id = t.credit_account_id
      order by t.seq`,
  );
  assert.deepEqual(
    rows.rows.map((r) => [r.amount, r.made_available_at.toISOString(), r.transfer_at.toISOString(), r.credited_at.toISOString()]),
    [
      [100, iso(5 * DAY + 1), iso(5 * DAY + 1), iso(5 * DAY + 1)],
      [200, iso(HOUR + 5 * DAY + 1), iso(HOUR + 5 * DAY + 1), iso(HOUR + 5 * DAY + 1)],
    ],
  );
  const balance = (await api.get('/v1/balance', ann.token)).body;
  assert.deepEqual(balance.available, [{ amount: 300, currency: 'usd' }]);
  assert.deepEqual(balance.pending, [{ amount: 0, currency: 'usd' }]);
  const ledger = await api.verifyLedger();
  assert.equal(ledger.ok, true, ledger.problems.join('; '));
});

test('holds are released in order of their due instant, not of their creation', async () => {
  const api = await startSettle();
  const deps = api.settle.deps;
  const ann = await api.user('Ann');
  // Created first, due last.
  await addHolds(deps, ann.id, [
    { amount: 3, availableAt: at(3 * DAY) },
    { amount: 1, availableAt: at(1 * DAY) },
    { amount: 2, availableAt: at(2 * DAY) },
  ]);
  await api.advance({ seconds: 4 * 24 * 3600 });
  const rows = await deps.db.query<{ amount: number; made_available_at: Date }>(
    `select pf.amount, pf.made_available_at from pending_funds pf join transfers t on t.ref_id = pf.id and t.kind = 'hold_release' order by t.seq`,
  );
  assert.deepEqual(
    rows.rows.map((r) => [r.amount, r.made_available_at.toISOString()]),
    [
      [1, iso(1 * DAY + 1)],
      [2, iso(2 * DAY + 1)],
      [3, iso(3 * DAY + 1)],
    ],
  );
});

test('a duplicated sweep at the same now applies nothing the second time', async () => {
  const api = await startSettle();
  const { deps, rules } = api.settle;
  const ann = await api.user('Ann');
  await addHolds(deps, ann.id, [
    { amount: 10, availableAt: at(DAY) },
    { amount: 20, availableAt: at(DAY) },
    { amount: 40, availableAt: at(2 * DAY) },
  ]);
  const now = at(DAY + 1);
  assert.equal((await sweepDue(deps, rules, now)).applied, 2);
  assert.deepEqual(await sweepDue(deps, rules, now), { applied: 0, batches: 0 });
  assert.equal(await countReleases(deps), 2);

  // Two sweeps at once (two sweeper processes): each due row is applied once between them.
  const later = at(2 * DAY + 1);
  const [first, second] = await Promise.all([sweepDue(deps, rules, later), sweepDue(deps, rules, later)]);
  assert.equal(first.applied + second.applied, 1);
  assert.equal(await countReleases(deps), 3);
  const balance = (await api.get('/v1/balance', ann.token)).body;
  assert.deepEqual(balance.available, [{ amount: 70, currency: 'usd' }]);
  assert.deepEqual(balance.pending, [{ amount: 0, currency: 'usd' }]);
  const ledger = await api.verifyLedger();
  assert.equal(ledger.ok, true, ledger.problems.join('; '));
});

test('a late sweep applies everything that fell due exactly once, earliest first, and nothing not yet due', async () => {
  const api = await startSettle();
  const { deps, rules } = api.settle;
  const ann = await api.user('Ann');
  // Created in another order than they fall due.
  await addHolds(deps, ann.id, [
    { amount: 4, availableAt: at(6 * DAY) },
    { amount: 1, availableAt: at(5 * DAY) },
    { amount: 8, availableAt: at(20 * DAY) }, // due exactly at the late sweep: not yet passed
    { amount: 2, availableAt: at(5 * DAY + HOUR) },
  ]);
  const late = at(20 * DAY);
  assert.equal((await sweepDue(deps, rules, late)).applied, 3);
  assert.equal((await sweepDue(deps, rules, late)).applied, 0);
  const rows = await deps.db.query<{ amount: number; made_available_at: Date | null }>(`select amount, made_available_at from pending_funds order by amount`);
  assert.deepEqual(
    rows.rows.map((r) => [r.amount, r.made_available_at?.toISOString() ?? null]),
    [
      [1, late.toISOString()],
      [2, late.toISOString()],
      [4, late.toISOString()],
      [8, null],
    ],
  );
  const released = await deps.db.query<{ amount: number }>(`select amount from transfers where kind = 'hold_release' order by seq`);
  assert.deepEqual(released.rows.map((r) => r.amount), [1, 2, 4], 'released earliest due first');
  const balance = (await api.get('/v1/balance', ann.token)).body;
  assert.deepEqual(balance.available, [{ amount: 7, currency: 'usd' }]);
  assert.deepEqual(balance.pending, [{ amount: 8, currency: 'usd' }]);
});

test('the hold rule applies more than a batch of due holds in several batches of at most LIMITS.sweep_batch_size', async () => {
  const api = await startSettle();
  const { deps, rules } = api.settle;
  const ann = await api.user('Ann');
  const n = LIMITS.sweep_batch_size + 1;
  await deps.db.transaction(async (tx) => {
    const [credit] = await postTransfers(tx, T0, [
      { kind: 'sandbox_credit', from: { kind: 'world', owner_id: null, currency: 'usd' }, to: pendingAccount(ann.id, 'usd'), amount: n, ref_id: null, description: 'Sandbox credit' },
    ]);
    await tx.query(
      `insert into pending_funds (id, user_id, currency, amount, available_at, source_transfer_id, created_at)
       select 'pf_bulk' || g, $1, 'usd', 1, $2::timestamptz + g * interval '1 millisecond', $3, $4 from generate_series(1, $5::int) as g`,
      [ann.id, at(DAY), credit!.id, T0, n],
    );
  });
  // The real rules, with the hold rule's batches recorded.
  const batches: Array<[limit: number, applied: number]> = [];
  const spied = rules.map((rule): Rule =>
    rule.name !== 'pending_hold'
      ? rule
      : {
          name: rule.name,
          nextDue: (db) => rule.nextDue(db),
          async runBatch(d, now, until, limit, part) {
            const applied = await rule.runBatch(d, now, until, limit, part);
            if (applied > 0) batches.push([limit, applied]);
            return applied;
          },
        },
  );
  const result = await sweepDue(deps, spied, at(2 * DAY));
  assert.equal(result.applied, n);
  // One loop (PGlite): a full batch, then the one left. Two loops (PostgreSQL) may split them differently; either way no batch exceeds its limit.
  if (deps.db.kind === 'pglite') assert.deepEqual(batches, [[LIMITS.sweep_batch_size, LIMITS.sweep_batch_size], [LIMITS.sweep_batch_size, 1]]);
  assert.equal(result.batches, batches.length);
  assert.ok(batches.length >= 2);
  for (const [limit, applied] of batches) assert.ok(limit === LIMITS.sweep_batch_size && applied <= limit, `batch of ${applied} with limit ${limit}`);
  assert.equal(batches.reduce((sum, [, applied]) => sum + applied, 0), n);
  assert.equal(await countReleases(deps), n);
  const balance = (await api.get('/v1/balance', ann.token)).body;
  assert.deepEqual(balance.available, [{ amount: n, currency: 'usd' }]);
  const ledger = await api.verifyLedger();
  assert.equal(ledger.ok, true, ledger.problems.join('; '));
});

test('the real rules apply nothing due exactly at now, whether through the engine or asked directly', async () => {
  const api = await startSettle();
  const { deps, rules } = api.settle;
  const ann = await api.user('Ann');
  await addHolds(deps, ann.id, [{ amount: 5, availableAt: at(DAY) }]);
  assert.equal((await sweepDue(deps, rules, at(DAY))).applied, 0);
  assert.equal(await countReleases(deps), 0);
  // The rule keeps the contract on its own too (another caller may not filter first).
  assert.equal(await pendingHoldRule.runBatch(deps, at(DAY), at(DAY), LIMITS.sweep_batch_size), 0);
  assert.equal(await countReleases(deps), 0);
  assert.equal((await sweepDue(deps, rules, at(DAY + 1))).applied, 1);
  assert.equal(await countReleases(deps), 1);

  // An idempotency key created at T0 expires at T0 + 24 h: still kept at exactly that instant.
  const res = await api.post('/v1/payouts', { amount: 5, currency: 'usd' }, ann.token, { 'Idempotency-Key': 'k1' });
  assert.equal(res.status, 201);
  const expiresAt = at(LIMITS.idempotency_ttl_ms);
  assert.equal(await idempotencyExpiryRule.runBatch(deps, expiresAt, expiresAt, LIMITS.sweep_batch_size), 0);
  assert.equal(await idempotencyExpiryRule.runBatch(deps, at(LIMITS.idempotency_ttl_ms + 1), at(LIMITS.idempotency_ttl_ms + 1), LIMITS.sweep_batch_size), 1);
});

// --------------------------------------------------- the clock persists

test("the sandbox clock's time survives a restart on the same database", async () => {
  const db = await freshDb();
  const first = await createSettle(testConfig(), { db });
  assert.equal(first.deps.clock.now().toISOString(), iso(0));
  await new TestApi(first).advance({ seconds: 3 * 3600 + 7 });
  await first.close();

  // A different start setting does not matter: the saved time wins.
  const second = await createSettle(testConfig({ SETTLE_CLOCK_START: '2030-01-01T00:00:00Z' }), { db });
  after(() => second.close());
  assert.equal(second.deps.clock.now().toISOString(), iso(3 * HOUR + 7000));
  const shown = await new TestApi(second).admin('GET', '/v1/test_helpers/clock');
  assert.equal(shown.body.now, iso(3 * HOUR + 7000));
  // And it goes on from there.
  const moved = await new TestApi(second).advance({ seconds: 60 });
  assert.equal(moved.now, iso(3 * HOUR + 67_000));
});

// ------------------------------------------------------------ housekeeping

test('idempotency keys are deleted by the sweeper once the clock is past 24 h after them, not before', async () => {
  const api = await startSettle();
  const db = api.settle.deps.db;
  const ann = await api.user('Ann');
  await api.credit(ann.id, 1_000);
  const keys = async () => (await db.query<{ key: string }>(`select key from idempotency_keys order by key`)).rows.map((r) => r.key);

  const first = await api.post('/v1/payouts', { amount: 100, currency: 'usd' }, ann.token, { 'Idempotency-Key': 'payout-early' });
  assert.equal(first.status, 201);
  await api.advance({ seconds: 12 * 3600 });
  const second = await api.post('/v1/payouts', { amount: 100, currency: 'usd' }, ann.token, { 'Idempotency-Key': 'payout-late' });
  assert.equal(second.status, 201);
  assert.deepEqual(await keys(), ['payout-early', 'payout-late']);

  // Exactly 24 h after the first key: kept.
  await api.advance({ seconds: 12 * 3600 });
  assert.deepEqual(await keys(), ['payout-early', 'payout-late']);
  // One second later: the first is gone, the second (12 h old) stays.
  const past = await api.advance({ seconds: 1 });
  assert.equal(past.rules_applied, 1);
  assert.deepEqual(await keys(), ['payout-late']);
  await api.advance({ seconds: 12 * 3600 });
  assert.deepEqual(await keys(), []);
});
