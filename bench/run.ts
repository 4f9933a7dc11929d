// `npm run bench`: how fast the deadline sweeper releases due milestones on
// PostgreSQL, and how fast one contract is read among many (issue: "100,000
// due milestones in seconds, not minutes"). Benchmarks are not tests: this
// prints numbers and ratios against baselines measured in the same run, and
// fails only when the result is wrong (not all paid, ledger does not verify).
//
//   npm run bench                   100,000 due milestones
//   npm run bench -- --quick        10,000
//   BENCH_N=50000 npm run bench     any size
//   npm run bench -- --profile      also time every statement of the sweep
//   npm run bench -- --keep         do not drop the schema at the end
//
// DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/test. The run
// works in a fresh schema of its own and drops it at the end.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { contractObject, milestoneObject } from '../src/app/contracts/rows.ts';
import type { Deps } from '../src/app/deps.ts';
import { getBalance } from '../src/app/money/get-balance.ts';
import { listBalanceTransactions } from '../src/app/money/list-balance-transactions.ts';
import { verifyLedger } from '../src/app/money/verify-ledger.ts';
import { loadConfig } from '../src/config.ts';
import { createPgDb } from '../src/db/pg.ts';
import type { Db, Queryable } from '../src/db/port.ts';
import { LIMITS } from '../src/domain/limits.ts';
import { sweepDue, type Rule } from '../src/jobs/engine.ts';
import { RULES } from '../src/jobs/rules/index.ts';
import { reviewWindowRule } from '../src/jobs/rules/milestone-windows.ts';
import { notificationFanoutRule } from '../src/jobs/rules/notification-fanout.ts';
import { randomToken } from '../src/lib/ids.ts';
import { createSettle } from '../src/settle.ts';
import { SEED_MILESTONES_MAX, seedDueMilestones } from './seed.ts';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const QUICK = process.argv.includes('--quick');
const PROFILE = process.argv.includes('--profile');
/** Leaves the schema in place after the run, to look at its plans by hand. */
const KEEP = process.argv.includes('--keep');
const N = Number(process.env.BENCH_N ?? (QUICK ? 10_000 : 100_000));
/** Rows released one per transaction for the per-row baseline, then extrapolated to N. */
const PER_ROW_SAMPLE = Math.min(Number(process.env.BENCH_PER_ROW ?? 1_000), N);
/** Every tenth milestone has a withdrawn dispute in its history, which every contract read looks up. */
const DISPUTE_EVERY = 10;
const READ_SAMPLES = 1_000;
const READ_WARMUP = 100;
const T0 = new Date('2026-12-01T09:00:00.000Z');

if (!Number.isSafeInteger(N) || N < 1 || N + PER_ROW_SAMPLE > SEED_MILESTONES_MAX) throw new Error(`BENCH_N must be an integer between 1 and ${SEED_MILESTONES_MAX - PER_ROW_SAMPLE}, got ${process.env.BENCH_N}`);

// ------------------------------------------------------------------ helpers

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench result is wrong: ${what}`);
  console.log(`  ok  ${what}`);
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  const took = ms(start);
  console.log(`  ${label.padEnd(58)} ${fmt(took).padStart(10)} ms`);
  return { value, ms: took };
}

/** `rule`, calling `applied` after each of its batches that applied rows. */
function afterEachBatch(rule: Rule, applied: () => void): Rule {
  return {
    name: rule.name,
    nextDue: (db) => rule.nextDue(db),
    async runBatch(...args) {
      const count = await rule.runBatch(...args);
      if (count > 0) applied();
      return count;
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Statement timings by the statement's first words (--profile). */
const profile = new Map<string, { calls: number; ms: number }>();
let profiling = false;

function profiled(q: Queryable): Queryable {
  return {
    async query(sql, params) {
      if (!profiling) return q.query(sql, params);
      const start = process.hrtime.bigint();
      try {
        return await q.query(sql, params);
      } finally {
        const key = sql.replace(/\s+/g, ' ').trim().slice(0, 90);
        const entry = profile.get(key) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += ms(start);
        profile.set(key, entry);
      }
    },
    exec: (sql) => q.exec(sql),
  };
}

function profiledDb(db: Db): Db {
  const base = profiled(db);
  return { kind: db.kind, query: base.query, exec: base.exec, transaction: (fn) => db.transaction((tx) => fn(profiled(tx))), close: () => db.close() };
}

/** The server's own pool size (src/db/pg.ts): the sweep's loops and look-ups share it as they do in production. */
const POOL_SIZE = 10;

/**
 * CPU time used from now on by this process and by the PostgreSQL backends
 * serving its pool (read from /proc, so only when the server runs on this
 * machine). Contention inflates wall time; CPU time says what the work costs.
 */
async function cpuMeter(db: Db): Promise<{ read(): { nodeMs: number; pgMs: number | null } }> {
  // Hold POOL_SIZE transactions open at once so each reports a different connection's backend.
  const pids: number[] = [];
  let release!: () => void;
  const barrier = new Promise<void>((resolve) => (release = resolve));
  const holders = Array.from({ length: POOL_SIZE }, () =>
    db.transaction(async (tx) => {
      pids.push((await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
      if (pids.length === POOL_SIZE) release();
      await barrier;
    }),
  );
  await Promise.all(holders);
  const pgTicks = (): number | null => {
    try {
      // utime + stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
      return pids.reduce((sum, pid) => {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return sum + Number(fields[11]) + Number(fields[12]);
      }, 0);
    } catch {
      return null;
    }
  };
  const pg0 = pgTicks();
  const node0 = process.cpuUsage();
  return {
    read() {
      const node = process.cpuUsage(node0);
      const pg1 = pgTicks();
      return { nodeMs: (node.user + node.system) / 1000, pgMs: pg0 === null || pg1 === null ? null : (pg1 - pg0) * 10 };
    },
  };
}

// ------------------------------------------------------------------ the run

async function machine(admin: pg.Client) {
  const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  const settings = await admin.query<{ name: string; setting: string; unit: string | null }>(
    `select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem', 'random_page_cost', 'synchronous_commit', 'max_wal_size', 'autovacuum') order by name`,
  );
  return {
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    memory: `${fmt(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    postgres: version,
    settings: settings.rows.map((s) => `${s.name}=${s.setting}${s.unit ?? ''}`).join(', '),
  };
}

async function main(): Promise<void> {
  const schema = `bench_${process.pid}_${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  const m = await machine(admin);
  console.log(`Settle sweeper benchmark — N = ${int(N)} due milestones (+${int(PER_ROW_SAMPLE)} for the per-row baseline)`);
  console.log(`  machine: ${m.cpus}, ${m.memory}, Node ${m.node}, PostgreSQL ${m.postgres}`);
  console.log(`  postgres: ${m.settings}`);
  console.log(`  load average at start: ${loadavg()} (other work on the machine slows every number below)`);
  await admin.query(`create schema ${schema}`);
  // Connections stay open, so the CPU meter's backends serve the whole sweep.
  const rawDb = createPgDb({ connectionString: DATABASE_URL, schema, max: POOL_SIZE, idleTimeoutMillis: 0 });
  const db = PROFILE ? profiledDb(rawDb) : rawDb;
  const config = loadConfig({ SETTLE_CLOCK: 'manual', SETTLE_CLOCK_START: T0.toISOString(), SETTLE_LOG_LEVEL: 'silent', DATABASE_URL, SETTLE_SWEEP_WORKERS: process.env.SETTLE_SWEEP_WORKERS });
  let close = async () => {};
  try {
    const total = N + PER_ROW_SAMPLE;
    console.log('\nseed');
    // createSettle migrates the schema and assembles the same Deps the server uses.
    const settle = (await timed('createSettle (migrations)', () => createSettle(config, { db: rawDb }))).value;
    close = () => settle.close();
    const deps: Deps = { ...settle.deps, db };
    const seeded = await timed(`${int(total)} due milestones, funded through postTransfers`, () => seedDueMilestones(rawDb, { milestones: total, now: T0, dueFirst: PER_ROW_SAMPLE, disputeEvery: DISPUTE_EVERY }));
    console.log(`  (${int(seeded.value.contracts)} contracts, ${int(seeded.value.clients)} clients, ${int(seeded.value.freelancers)} freelancers; ${seeded.value.ledgerCalls} postTransfers calls of ≤ ${LIMITS.sweep_batch_size * 4} transfers)`);
    await timed('vacuum analyze', () => rawDb.exec('vacuum analyze'));

    console.log('\nbaselines');
    // The floor: the one statement that changes the same N rows' state, nothing else, rolled back.
    const floor = await timed(`plain set-based update of ${int(total)} rows (rolled back)`, async () => {
      await rawDb
        .transaction(async (tx) => {
          const r = await tx.query(`update milestones set status = 'paid', review_due_at = null, updated_at = $1 where status = 'submitted' and review_due_at < $1`, [T0]);
          if (r.rowCount !== total) throw new Error(`baseline updated ${r.rowCount} rows, expected ${total}`);
          throw new RollBack();
        })
        .catch((e: unknown) => {
          if (!(e instanceof RollBack)) throw e;
        });
    });
    const floorPerN = (floor.ms * N) / total;
    await timed('vacuum milestones (the rolled-back update left dead rows)', () => rawDb.exec('vacuum analyze milestones'));
    // The naive way: one transaction per milestone (the same rule, batch size 1).
    const perRow = await timed(`per-row: ${int(PER_ROW_SAMPLE)} releases, a transaction each and one for its mail`, async () => {
      let applied = 0;
      for (let i = 0; i < PER_ROW_SAMPLE; i++) {
        applied += await reviewWindowRule.runBatch(deps, T0, T0, 1);
        await notificationFanoutRule.runBatch(deps, T0, T0, 1);
      }
      if (applied !== PER_ROW_SAMPLE) throw new Error(`per-row baseline released ${applied}, expected ${PER_ROW_SAMPLE}`);
    });
    const perRowExtrapolated = (perRow.ms / PER_ROW_SAMPLE) * N;
    console.log(`  per-row extrapolated to ${int(N)} rows: ${fmt(perRowExtrapolated / 1000, 2)} s`);

    console.log('\nsweep');
    const cpu = await cpuMeter(rawDb);
    const walStats = async () => (await admin.query<{ lsn: string; records: string; fpi: string }>('select pg_current_wal_lsn()::text as lsn, wal_records::text as records, wal_fpi::text as fpi from pg_stat_wal')).rows[0]!;
    const walBefore = await walStats();
    profiling = PROFILE;
    // The releases run first (their deadlines are earlier than the queue entries they write); the mark says when the last one committed.
    const start = process.hrtime.bigint();
    let released = { ms: 0, cpu: { nodeMs: 0, pgMs: null as number | null } };
    const rules = RULES.map((rule) => (rule === reviewWindowRule ? afterEachBatch(rule, () => (released = { ms: ms(start), cpu: cpu.read() })) : rule));
    const sweep = await timed(`sweepDue(deps, RULES, now): ${int(N)} releases and their notifications`, () => sweepDue(deps, rules, T0));
    profiling = false;
    const used = cpu.read();
    const notified = { ms: sweep.ms - released.ms, nodeMs: used.nodeMs - released.cpu.nodeMs, pgMs: used.pgMs === null || released.cpu.pgMs === null ? null : used.pgMs - released.cpu.pgMs };
    const walAfter = await walStats();
    const wal = (await admin.query<{ bytes: string }>('select pg_wal_lsn_diff($2::pg_lsn, $1::pg_lsn)::int8::text as bytes', [walBefore.lsn, walAfter.lsn])).rows[0]!.bytes;
    const walRecords = Number(walAfter.records) - Number(walBefore.records);
    const walFpi = Number(walAfter.fpi) - Number(walBefore.fpi);
    const rate = N / (released.ms / 1000);
    const seconds = (cpuMs: number | null) => (cpuMs === null ? 'unknown (server not local)' : `${fmt(cpuMs / 1000, 2)} s`);
    console.log(`  ${'releases committed (state, ledger, pending hold, event) at'.padEnd(58)} ${fmt(released.ms).padStart(10)} ms`);
    console.log(`  ${'their notifications and emails written in the next'.padEnd(58)} ${fmt(notified.ms).padStart(10)} ms`);
    console.log(`  applied ${int(sweep.value.applied)} rows in ${sweep.value.batches} batches; released ${int(rate)} milestones/s`);
    console.log(`  ratio to the plain update (floor):        releases ${fmt(released.ms / floorPerN, 1)}× slower, whole sweep ${fmt(sweep.ms / floorPerN, 1)}×`);
    console.log(`  ratio to one transaction per row:         whole sweep ${fmt(perRowExtrapolated / sweep.ms, 1)}× faster`);
    console.log(`  CPU used by the releases: Node ${seconds(released.cpu.nodeMs)}, PostgreSQL backends ${seconds(released.cpu.pgMs)}`);
    console.log(`  CPU used by the notifications: Node ${seconds(notified.nodeMs)}, PostgreSQL backends ${seconds(notified.pgMs)}`);
    console.log('  (wall minus CPU is waiting: disk, or other work on the machine)');
    console.log(
      `  WAL written: ${fmt(Number(wal) / 2 ** 20, 1)} MiB, ${int(Number(wal) / N)} bytes, ${fmt(walRecords / N, 1)} records and ${fmt(walFpi / N, 2)} full-page images per release` +
        ` (the whole server's, so other sessions' too)`,
    );

    console.log('\nverify');
    check(sweep.value.applied === 2 * N, `the sweep applied ${int(N)} releases and fanned out their ${int(N)} events`);
    const counts = (
      await rawDb.query<{ paid: number; submitted: number; pending_funds: number; released_events: number; notifications: number; emails: number; queued: number; escrow_left: number; funded: number; moved: number }>(
        `select (select count(*) from milestones where status = 'paid')::int8 as paid,
                (select count(*) from milestones where status = 'submitted')::int8 as submitted,
                (select count(*) from pending_funds)::int8 as pending_funds,
                (select count(*) from events where type = 'milestone.released')::int8 as released_events,
                (select count(*) from notifications n join events e on e.id = n.event_id where e.type = 'milestone.released')::int8 as notifications,
                (select count(*) from outbox o join notifications n on n.id = o.notification_id join events e on e.id = n.event_id where e.type = 'milestone.released')::int8 as emails,
                (select count(*) from notification_queue)::int8 as queued,
                (select coalesce(sum(balance), 0) from accounts where kind = 'escrow')::int8 as escrow_left,
                (select coalesce(sum(amount), 0) from transfers where kind = 'escrow_fund')::int8 as funded,
                (select coalesce(sum(amount), 0) from transfers where kind in ('escrow_release', 'service_fee'))::int8 as moved`,
      )
    ).rows[0]!;
    check(counts.paid === total && counts.submitted === 0, `all ${int(total)} milestones paid, none left submitted`);
    check(counts.pending_funds === total, `${int(total)} pending_funds rows`);
    check(counts.released_events === total, `${int(total)} milestone.released events`);
    check(counts.notifications === 2 * total && counts.emails === 2 * total && counts.queued === 0, `${int(2 * total)} notifications and emails for them (client and freelancer), none left queued`);
    check(counts.escrow_left === 0 && counts.moved === counts.funded, `escrow empty: ${int(counts.moved)} released of ${int(counts.funded)} funded`);
    const report = await timed('verifyLedger', () => verifyLedger(rawDb));
    check(report.value.ok, `ledger verifies (${int(report.value.checked.transfers)} transfers, ${int(report.value.checked.accounts)} accounts)${report.value.ok ? '' : `: ${report.value.problems.slice(0, 3).join('; ')}`}`);

    console.log('\nread path (after the sweep, one at a time)');
    await rawDb.exec('analyze');
    const sample = (
      await rawDb.query<{ contract_id: string; client_id: string; freelancer_id: string; milestone_id: string }>(
        `select c.id as contract_id, c.client_id, c.freelancer_id, (select m.id from milestones m where m.contract_id = c.id order by m.position limit 1) as milestone_id
           from contracts c order by md5(c.id || $1) limit $2`,
        [schema, READ_SAMPLES + READ_WARMUP],
      )
    ).rows;
    const reads: Array<[string, (s: (typeof sample)[number]) => Promise<unknown>]> = [
      ['baseline: select a contract by primary key', (s) => rawDb.query('select * from contracts where id = $1', [s.contract_id])],
      ['GET /v1/contracts/:id  (contractObject, 10 milestones)', (s) => contractObject(rawDb, s.contract_id, s.client_id)],
      ['GET /v1/milestones/:id (milestoneObject)', (s) => milestoneObject(rawDb, s.milestone_id, s.freelancer_id)],
      ['GET /v1/balance (freelancer)', (s) => getBalance(deps, s.freelancer_id)],
      ['GET /v1/balance/transactions (freelancer)', (s) => listBalanceTransactions(deps, s.freelancer_id, {})],
    ];
    let baselineMedian = 0;
    for (const [label, read] of reads) {
      for (const s of sample.slice(0, READ_WARMUP)) await read(s);
      const times: number[] = [];
      for (const s of sample.slice(READ_WARMUP)) {
        const start = process.hrtime.bigint();
        await read(s);
        times.push(ms(start));
      }
      times.sort((a, b) => a - b);
      const median = percentile(times, 50);
      if (baselineMedian === 0) baselineMedian = median;
      console.log(`  ${label.padEnd(58)} median ${fmt(median, 2).padStart(6)} ms  p99 ${fmt(percentile(times, 99), 2).padStart(6)} ms  (${fmt(median / baselineMedian, 1)}× the baseline)`);
    }

    if (PROFILE) {
      console.log('\nsweep profile (statements by total time)');
      const rows = [...profile.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
      for (const [sql, p] of rows) console.log(`  ${fmt(p.ms).padStart(9)} ms ${String(p.calls).padStart(6)}×  ${sql}`);
    }

    console.log(`\nload average at the end: ${loadavg()}`);
    console.log(`summary: N=${int(N)} released in ${fmt(released.ms / 1000, 2)} s (${int(rate)}/s, ${fmt(released.ms / floorPerN, 1)}× the plain update), notified by ${fmt(sweep.ms / 1000, 2)} s (${fmt(perRowExtrapolated / sweep.ms, 1)}× faster than per-row)`);
  } finally {
    await close();
    await rawDb.close();
    if (KEEP) console.log(`kept schema ${schema}`);
    else await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

class RollBack extends Error {}

await main();
