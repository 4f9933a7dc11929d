// Reads of one contract, milestone or statement, and every statement of a
// sweeper batch, must find their rows through an index on the large tables: a
// scan costs time in proportion to the whole table (issue: "reads of one
// contract or milestone must not scan"). The real use cases run through a Db
// that first asks PostgreSQL for the plan of each statement (EXPLAIN, same
// parameters) on a seeded, analysed database.
//
// Plans are asked for with `enable_seqscan = off`. On a test-sized table the
// planner rightly prefers a scan that on a production-sized one would be a
// disaster, so its default choice here says little; with scans discouraged, a
// Seq Scan that remains means no index can serve the statement at all, which
// is what this test is for. A full index scan (no index condition) and an
// index scan that reads and throws away many rows are scans in disguise and
// count too, except a full scan of a partial index: those hold only the rows
// a deadline rule can act on (`where status = 'submitted'`), which is the
// point of them. Whether the planner picks the index at production size is
// the benchmark's business (`npm run bench`, docs/benchmarks.md); one read the
// benchmark caught choosing a scan, a busy member's balance, is also planned
// here with the server's default costs.
// PostgreSQL only: PGlite's plans say nothing about a server's.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contractObject, loadContractFor, loadMilestoneFor, milestoneObject, milestoneObjects, milestonesOf, moneyOf } from '../src/app/contracts/rows.ts';
import type { Deps } from '../src/app/deps.ts';
import { getBalance } from '../src/app/money/get-balance.ts';
import { listBalanceTransactions } from '../src/app/money/list-balance-transactions.ts';
import type { Db, Queryable } from '../src/db/port.ts';
import { LIMITS } from '../src/domain/limits.ts';
import { RULES } from '../src/jobs/rules/index.ts';
import { refundWindowRule, reviewWindowRule } from '../src/jobs/rules/milestone-windows.ts';
import { notificationFanoutRule } from '../src/jobs/rules/notification-fanout.ts';
import { pendingHoldRule } from '../src/jobs/rules/pending-hold.ts';
import { REMINDER_RULES } from '../src/jobs/rules/reminders.ts';
import { seedDueMilestones } from '../bench/seed.ts';
import { CLOCK_START, DATABASE_URL, startSettle } from './support/harness.ts';

/** Tables that grow with use; scanning any of them is a finding. */
const LARGE_TABLES = [
  'users',
  'sessions',
  'sign_in_failures',
  'idempotency_keys',
  'contracts',
  'milestones',
  'submissions',
  'change_requests',
  'disputes',
  'events',
  'accounts',
  'transfers',
  'ledger_entries',
  'pending_funds',
];
const SEED_MILESTONES = 10_000;
const SEED_HOUSEKEEPING_ROWS = 2_000;
/** Rows each explained sweeper batch takes: 1 % of the seed, as 1,000 is of 100,000. */
const EXPLAINED_BATCH = 100;
const NOW = new Date(CLOCK_START);
const DAY_MS = 24 * 3600 * 1000;
/** Statements explained per test at most: a runaway loop fails instead of hanging. */
const MAX_EXPLAINED = 200;
/**
 * An index scan that throws away more rows than this (per loop) to find what
 * it wants is a scan in disguise: an index on `kind` filtered by owner reads
 * every member's accounts to find one member's.
 */
const MAX_ROWS_FILTERED = 10;
/**
 * Rows one analysed read may take from one large table (per plan node, all
 * loops): a contract's milestones and their transfers, a member's accounts, a
 * due look-up's first row. Reading every open window to find the next one is
 * over it.
 */
const MAX_ROWS_READ = 200;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Rows Removed by Filter'?: number;
  /** Only in analysed plans, per loop. */
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

interface Explained {
  sql: string;
  findings: string[];
}

/** The Bitmap Index Scans feeding a Bitmap Heap Scan (through BitmapAnd / BitmapOr); they name no table themselves. */
function bitmapIndexScans(node: PlanNode): PlanNode[] {
  return (node.Plans ?? []).flatMap((child) => (child['Node Type'] === 'Bitmap Index Scan' ? [child] : child['Node Type'].startsWith('Bitmap') ? bitmapIndexScans(child) : []));
}

/** `underLimit`: an index read in order under a Limit (`min()`, `order by … limit`) stops early. */
function findingsOf(node: PlanNode, partialIndexes: ReadonlySet<string>, underLimit = false): string[] {
  const table = node['Relation Name'];
  const type = node['Node Type'];
  const here: string[] = [];
  if (table && LARGE_TABLES.includes(table)) {
    if (type === 'Seq Scan') here.push(`Seq Scan on ${table}`);
    const fullIndexScan = (type === 'Index Scan' || type === 'Index Only Scan') && !node['Index Cond'] && !underLimit;
    if (fullIndexScan && !partialIndexes.has(node['Index Name'] ?? '')) here.push(`full ${type} of ${node['Index Name']} on ${table}`);
    if (type === 'Bitmap Heap Scan') {
      for (const bitmap of bitmapIndexScans(node)) {
        if (!bitmap['Index Cond'] && !partialIndexes.has(bitmap['Index Name'] ?? '')) here.push(`full Bitmap Index Scan of ${bitmap['Index Name']} on ${table}`);
      }
    }
    const filtered = node['Rows Removed by Filter'] ?? 0;
    if (filtered > MAX_ROWS_FILTERED) here.push(`${type} on ${table} removes ${filtered} rows by filter`);
    const read = ((node['Actual Rows'] ?? 0) + filtered) * (node['Actual Loops'] ?? 0);
    if (read > MAX_ROWS_READ) here.push(`${type} on ${table} reads ${Math.round(read)} rows`);
  }
  return [...here, ...(node.Plans ?? []).flatMap((child) => findingsOf(child, partialIndexes, type === 'Limit'))];
}

/**
 * Explains each statement before running it. Plain reads are explained with
 * ANALYZE (they run twice, harmlessly), so rows an index scan reads and throws
 * away count too; writes and locking reads only get their plan. `isolated`
 * runs the explain on one connection with scans discouraged.
 */
function explaining(q: Queryable, log: Explained[], partialIndexes: ReadonlySet<string>, isolated: <T>(fn: (c: Queryable) => Promise<T>) => Promise<T>, costs: PlannerCosts): Queryable {
  const [setting, value, reset] = costs === 'scans discouraged' ? ['enable_seqscan', 'off', 'on'] : ['random_page_cost', '4', 'default'];
  return {
    async query(sql, params) {
      if (/^\s*(select|with|insert|update|delete)\b/i.test(sql)) {
        assert.ok(log.length < MAX_EXPLAINED, 'explained statements within the limit');
        const plainRead = /^\s*select\b/i.test(sql) && !/\bfor\s+(update|no key update|share|key share)\b/i.test(sql);
        const plan = await isolated(async (c) => {
          await c.query(`set local ${setting} = ${value}`);
          try {
            return await c.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`explain (${plainRead ? 'analyze, ' : ''}format json) ${sql}`, params);
          } finally {
            await c.query(`set local ${setting} = ${reset}`);
          }
        });
        log.push({ sql: sql.replace(/\s+/g, ' ').trim(), findings: findingsOf(plan.rows[0]!['QUERY PLAN'][0]!.Plan, partialIndexes) });
      }
      return q.query(sql, params);
    },
    exec: (sql) => q.exec(sql),
  };
}

/**
 * How the explained statements are planned: with sequential scans discouraged
 * (does an index serve the statement at all?), or with PostgreSQL's default
 * costs, which a server left as installed plans with (does the planner choose
 * that index, for tables of the seed's size?).
 */
type PlannerCosts = 'scans discouraged' | 'server defaults';

async function explainingDeps(deps: Deps, log: Explained[], costs: PlannerCosts = 'scans discouraged'): Promise<Deps> {
  const partial = await deps.db.query<{ name: string }>(
    `select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indpred is not null and c.relnamespace = current_schema()::regnamespace`,
  );
  const partialIndexes = new Set(partial.rows.map((r) => r.name));
  const db: Db = {
    ...deps.db,
    // Outside a transaction, `set local` needs one of its own.
    query: explaining(deps.db, log, partialIndexes, (fn) => deps.db.transaction(fn), costs).query,
    transaction: (fn) => deps.db.transaction((tx) => fn(explaining(tx, log, partialIndexes, (run) => run(tx), costs))),
  };
  return { ...deps, db };
}

function assertIndexedOnly(log: Explained[], what: string): void {
  assert.ok(log.length > 0, `${what}: some statements were explained`);
  const scans = log.filter((e) => e.findings.length > 0).map((e) => `${e.findings.join('; ')}: ${e.sql.slice(0, 200)}`);
  assert.deepEqual(scans, [], `${what} scans a large table`);
}

/** Sessions, sign-in failures and idempotency keys, none due yet at NOW, for the expiry rules' plans. */
async function seedHousekeeping(db: Queryable): Promise<void> {
  const params = [NOW, SEED_HOUSEKEEPING_ROWS];
  await db.query(
    `insert into sessions (token_hash, user_id, created_at, expires_at)
     select encode(sha256(i::text::bytea), 'hex'), (select id from users order by seq limit 1), $1, $1::timestamptz + interval '30 days' + i * interval '1 s'
       from generate_series(1, $2::int) i`,
    params,
  );
  await db.query(`insert into sign_in_failures (email, client_ip, failed_at) select 'x' || i || '@example.com', '10.0.0.1', $1 from generate_series(1, $2::int) i`, params);
  await db.query(
    `insert into idempotency_keys (principal, key, method, path, request_hash, created_at)
     select 'usr_x', 'key-' || i, 'POST', '/v1/payouts', 'hash', $1 from generate_series(1, $2::int) i`,
    params,
  );
}

/**
 * One seeded database for the file: 10,000 funded milestones, two per
 * contract, a fifth in refund_requested, a seventh with a withdrawn dispute
 * in their history; then one batch of each money rule,
 * so transfers of every kind, pending funds and events exist; then ANALYZE.
 */
async function seededSettle() {
  const api = await startSettle();
  const { deps } = api.settle;
  await seedDueMilestones(deps.db, { milestones: SEED_MILESTONES, now: NOW, refundEvery: 5, disputeEvery: 7, milestonesPerContract: 2 });
  await seedHousekeeping(deps.db);
  await deps.db.exec('analyze');
  assert.equal(await reviewWindowRule.runBatch(deps, NOW, NOW, LIMITS.sweep_batch_size), LIMITS.sweep_batch_size);
  assert.equal(await refundWindowRule.runBatch(deps, NOW, NOW, 300), 300);
  // Their notifications, written after the batches as a sweep does.
  assert.equal(await notificationFanoutRule.runBatch(deps, NOW, NOW, LIMITS.sweep_batch_size), LIMITS.sweep_batch_size);
  assert.equal(await notificationFanoutRule.runBatch(deps, NOW, NOW, LIMITS.sweep_batch_size), 300);
  const later = new Date(NOW.getTime() + LIMITS.pending_hold_ms + DAY_MS);
  assert.equal(await pendingHoldRule.runBatch(deps, later, later, 500), 500);
  await deps.db.exec('analyze');
  const sample = await deps.db.query<{ contract_id: string; client_id: string; freelancer_id: string; paid_id: string; submitted_id: string }>(
    `select c.id as contract_id, c.client_id, c.freelancer_id,
            (select id from milestones where contract_id = c.id and status = 'paid' limit 1) as paid_id,
            (select id from milestones where contract_id = c.id and status = 'submitted' limit 1) as submitted_id
       from contracts c
      where exists (select 1 from milestones where contract_id = c.id and status = 'paid')
        and exists (select 1 from milestones where contract_id = c.id and status = 'submitted')
      order by c.seq limit 1`,
  );
  assert.ok(sample.rows[0], 'a contract with a paid and a submitted milestone');
  return { api, deps, ...sample.rows[0] };
}

// One parent test seeds once; the database lives until the parent ends (the
// harness drops a schema when the test that made it ends).
test('on a seeded PostgreSQL, reads of one thing and sweeper batches find their rows by index', { skip: !DATABASE_URL }, async (t) => {
  const s = await seededSettle();
  await t.test('reading one contract (GET /v1/contracts/:id) uses indexes only', async () => {
    const log: Explained[] = [];
    const d = await explainingDeps(s.deps, log);
    const contract = await contractObject(d.db, s.contract_id, s.client_id);
    assert.equal(contract.milestones.length, 2);
    await loadContractFor(d.db, s.contract_id, s.freelancer_id);
    await d.db.transaction((tx) => loadContractFor(tx, s.contract_id, s.client_id, { lock: true }));
    await d.db.transaction(async (tx) => milestonesOf(tx, [s.contract_id], { lock: true }));
    assertIndexedOnly(log, 'contractObject');
  });

  await t.test('reading one milestone (GET /v1/milestones/:id) and its money uses indexes only', async () => {
    const log: Explained[] = [];
    const d = await explainingDeps(s.deps, log);
    const paid = await milestoneObject(d.db, s.paid_id, s.freelancer_id);
    assert.equal(paid.status, 'paid');
    assert.ok(paid.released_amount > 0);
    await d.db.transaction((tx) => loadMilestoneFor(tx, s.submitted_id, s.client_id, { lock: true }));
    const { milestone } = await loadMilestoneFor(d.db, s.submitted_id, s.client_id);
    await milestoneObjects(d.db, [milestone]);
    const money = await moneyOf(d.db, [s.paid_id, s.submitted_id]);
    assert.equal(money.get(s.submitted_id)!.escrow > 0, true);
    assertIndexedOnly(log, 'milestoneObject');
  });

  await t.test("reading one member's balance and statement (GET /v1/balance, /v1/balance/transactions) uses indexes only", async () => {
    const log: Explained[] = [];
    const d = await explainingDeps(s.deps, log);
    const first = await listBalanceTransactions(d, s.freelancer_id, { limit: 1 });
    assert.equal(first.data.length, 1);
    await listBalanceTransactions(d, s.freelancer_id, { limit: 1, starting_after: first.data[0]!.id });
    await getBalance(d, s.freelancer_id);
    await getBalance(d, s.client_id);
    assertIndexedOnly(log, 'balance reads');
  });

  await t.test("the sweeper's due look-ups and batches (select, ledger, updates, events) use indexes only", async () => {
    const log: Explained[] = [];
    const d = await explainingDeps(s.deps, log);
    const money = [reviewWindowRule, refundWindowRule, pendingHoldRule];
    for (const rule of RULES.filter((r) => !REMINDER_RULES.includes(r))) {
      const due = await rule.nextDue(d.db);
      if (money.includes(rule)) assert.ok(due !== null, `${rule.name} has rows to act on`);
      else assert.ok(due === null || due > NOW, `${rule.name} has nothing due yet`);
    }
    // The rules with nothing seeded still plan their batch statements.
    for (const rule of RULES.filter((r) => !money.includes(r) && !REMINDER_RULES.includes(r))) assert.equal(await rule.runBatch(d, NOW, NOW, EXPLAINED_BATCH), 0);
    assert.equal(await reviewWindowRule.runBatch(d, NOW, NOW, EXPLAINED_BATCH), EXPLAINED_BATCH);
    assert.equal(await refundWindowRule.runBatch(d, NOW, NOW, EXPLAINED_BATCH), EXPLAINED_BATCH);
    assert.ok((await notificationFanoutRule.nextDue(d.db))! < NOW, 'the batches queued their notifications');
    assert.equal(await notificationFanoutRule.runBatch(d, NOW, NOW, EXPLAINED_BATCH), EXPLAINED_BATCH);
    assert.equal(await notificationFanoutRule.runBatch(d, NOW, NOW, EXPLAINED_BATCH), EXPLAINED_BATCH);
    const later = new Date(NOW.getTime() + LIMITS.pending_hold_ms + DAY_MS);
    assert.equal(await pendingHoldRule.runBatch(d, later, later, EXPLAINED_BATCH), EXPLAINED_BATCH);
    // A batch of one of a sweep's side-by-side loops takes its partition's rows, by index too.
    const half = { index: 1, count: 2 };
    assert.ok((await reviewWindowRule.runBatch(d, NOW, NOW, EXPLAINED_BATCH, half)) > 0);
    assert.ok((await refundWindowRule.runBatch(d, NOW, NOW, EXPLAINED_BATCH, half)) > 0);
    assert.ok((await pendingHoldRule.runBatch(d, later, later, EXPLAINED_BATCH, half)) > 0);
    assertIndexedOnly(log, 'sweeper');
  });

  // A reminder's moment is kept on the row that holds the deadline
  // (`next_reminder_at`, migrations/0006), so the look-up reads one index entry
  // and a batch reads its own rows, whatever the number of open windows.
  await t.test("the reminder rules' due look-ups and batches read only what is due", async () => {
    // The seed sent every reminder. Re-arm some windows so reminders are due:
    // a quarter past their deadline (the first taken, handled and skipped), the
    // rest 30 h before it (their 48 h reminder is sent).
    await s.deps.db.query(
      `update milestones set review_due_at = case when seq % 4 = 0 then review_due_at + interval '1 hour' else $1::timestamptz + interval '30 hours' end
        where id in (select id from milestones where status = 'submitted' order by seq limit $2)`,
      [NOW, 2 * EXPLAINED_BATCH],
    );
    await s.deps.db.exec('analyze milestones');
    const log: Explained[] = [];
    const d = await explainingDeps(s.deps, log);
    const [review, ...others] = REMINDER_RULES;
    const due = await review!.nextDue(d.db);
    assert.ok(due !== null && due < NOW, 'review reminders are due');
    assert.equal(await review!.runBatch(d, NOW, NOW, EXPLAINED_BATCH), EXPLAINED_BATCH);
    for (const rule of others) {
      await rule.nextDue(d.db);
      assert.equal(await rule.runBatch(d, NOW, NOW, EXPLAINED_BATCH), 0);
    }
    assertIndexedOnly(log, 'reminder rules');
    const sent = await s.deps.db.query<{ n: number }>(`select count(*)::int8 as n from notifications where type = 'reminder.review'`);
    assert.ok(sent.rows[0]!.n > 0, 'some of the batch were sent, not only skipped');
  });

  // With the default random_page_cost of 4, the planner read all of
  // `milestones` to find the escrow of a member whose contracts hold one or two
  // hundred milestones (docs/benchmarks.md). Last: it gives one freelancer 90
  // of the seed's contracts.
  await t.test("a busy member's balance is read by index with the server's default planner costs too", async () => {
    const busy = s.freelancer_id;
    await s.deps.db.query('update contracts set freelancer_id = $1 where id in (select id from contracts order by seq limit 90)', [busy]);
    await s.deps.db.exec('analyze contracts');
    const log: Explained[] = [];
    const d = await explainingDeps(s.deps, log, 'server defaults');
    await getBalance(d, busy);
    assertIndexedOnly(log, 'balance reads at default costs');
  });
});
