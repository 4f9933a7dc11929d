// The rules engine: every deadline rule in Settle is a `Rule` whose due
// instants live in a column on the rows it governs (`available_at`,
// `review_due_at`, …). The engine applies whatever fell due, earliest first,
// in bounded batches. A rule's batch selects its rows `FOR UPDATE SKIP LOCKED`
// and re-checks their state, so a duplicated or late sweep does nothing.
//
// A deadline has passed when now is later than it (PRODUCT.md "Time"), so a
// row is due when `due_at < now`.

import { assert } from '../domain/errors.ts';
import { LIMITS } from '../domain/limits.ts';
import type { Queryable } from '../db/port.ts';
import type { Deps } from '../app/deps.ts';

export interface Rule {
  readonly name: string;
  /** The earliest due instant among the rows this rule would still act on, or null. */
  nextDue(db: Queryable): Promise<Date | null>;
  /**
   * Applies the rule to at most `limit` rows with `due_at < now` and
   * `due_at <= until`, earliest first, in one transaction. Returns how many it applied.
   * A rule whose batches lock accounts shared between rows (a freelancer's
   * pending balance, a client's available balance) takes only the rows of
   * `part`, so batches running side by side never wait on each other's
   * accounts; other rules may ignore it, SKIP LOCKED already splits their rows.
   */
  runBatch(deps: Deps, now: Date, until: Date, limit: number, part?: Partition): Promise<number>;
}

/** Which share of the due rows a batch takes: those whose owner hashes to `index` of `count`. */
export interface Partition {
  index: number;
  count: number;
}

/** Every due row. */
const WHOLE: Partition = { index: 0, count: 1 };

/**
 * SQL that is true for the rows of `part` whose shared account belongs to
 * `ownerSql`, or nothing when the rows are not split. `hashtext` is stable for
 * a given PostgreSQL, which is all a sweep needs: the split only has to agree
 * between batches of the same sweep.
 */
export function partitionFilter(ownerSql: string, part: Partition | undefined): string {
  if (!part || part.count <= 1) return '';
  return ` and (hashtext(${ownerSql}) & 2147483647) % ${part.count} = ${part.index}`;
}

/** Batches one sweep may run before it yields; the next tick goes on. */
const MAX_BATCHES_PER_SWEEP = 10_000;

/**
 * The planner's cost of a random page read inside sweeper batches. A batch
 * touches about 1 % of its tables (1,000 milestones, their accounts) by
 * primary key, and those pages are in memory. At PostgreSQL's default of 4
 * (priced for spinning disks) the planner instead reads the whole of
 * `milestones` and `accounts` once per statement as soon as they hold ~100,000
 * rows, so each batch costs more as the tables grow (docs/benchmarks.md).
 * 1.1 is the value docs/postgres.md recommends for the server; setting it for
 * the sweeper's own transactions keeps its batches O(batch) whatever the
 * server's setting, and changes nothing else.
 */
const SWEEP_RANDOM_PAGE_COST = 1.1;

/** `deps` whose transactions plan for batches of cached index probes (SWEEP_RANDOM_PAGE_COST). */
function sweeperDeps(deps: Deps): Deps {
  const db = deps.db;
  return {
    ...deps,
    db: {
      kind: db.kind,
      query: (sql, params) => db.query(sql, params),
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
      transaction: (fn) =>
        db.transaction(async (tx) => {
          await tx.query(`set local random_page_cost = ${SWEEP_RANDOM_PAGE_COST}`);
          return fn(tx);
        }),
    },
  };
}

export interface SweepResult {
  applied: number;
  /** Batches that applied rows. */
  batches: number;
}

/**
 * Applies every rule that is due at `now`, in due order across rules.
 *
 * On PostgreSQL `config.sweepWorkers` loops run side by side, each on its own
 * connection, so one sweep uses more than one core: a batch spends its time
 * in PostgreSQL and Node in turn, and alone it keeps one core busy at most.
 * Each loop takes its own partition of the rules that split their rows
 * (`Partition`); the other rules' rows are split by SKIP LOCKED. The
 * earliest-first order across rules holds for each loop, because a row
 * another loop is still applying stays due, by the committed state, until that
 * loop commits. PGlite serves one connection, so it runs one loop.
 */
export async function sweepDue(deps: Deps, rules: readonly Rule[], now: Date): Promise<SweepResult> {
  const workers = deps.db.kind === 'postgres' ? deps.config.sweepWorkers : 1;
  const batchDeps = sweeperDeps(deps);
  const result: SweepResult = { applied: 0, batches: 0 };
  const inFlight = new Set<Promise<number>>();
  const run = async (rule: Rule, until: Date, part: Partition): Promise<number> => {
    const batch = rule.runBatch(batchDeps, now, until, LIMITS.sweep_batch_size, part);
    inFlight.add(batch);
    try {
      return await batch;
    } finally {
      inFlight.delete(batch);
    }
  };

  async function loop(index: number): Promise<void> {
    // The rule this loop is applying and how far; kept while its batches come back full.
    let current: { rule: Rule; until: Date } | null = null;
    while (result.batches < MAX_BATCHES_PER_SWEEP) {
      const fresh = current === null;
      if (!current) {
        const dues = await Promise.all(rules.map(async (rule) => ({ rule, due: await rule.nextDue(deps.db) })));
        const pending = dues.filter((d): d is { rule: Rule; due: Date } => d.due !== null && d.due < now).sort((a, b) => a.due.getTime() - b.due.getTime());
        const first = pending[0];
        if (!first) return;
        // Run the earliest rule only up to the next rule's first due row, so rows
        // of different rules interleave in due order.
        current = { rule: first.rule, until: pending[1]?.due ?? now };
      }
      let count = await run(current.rule, current.until, { index, count: workers });
      // Nothing of this loop's partition is due before `until`: take any due
      // row instead, so no partition waits on a loop that may have stopped.
      if (count === 0 && workers > 1) count = await run(current.rule, current.until, WHOLE);
      if (count > 0) {
        result.batches++;
        result.applied += count;
        // A full batch likely left more of the same rule due before `until`:
        // take it without asking every rule again. Rows the batch made due for
        // other rules are due after `until` (a pending hold, 5 days on) or are
        // not deadlines (queued notifications), so the order still holds.
        if (count < LIMITS.sweep_batch_size) current = null;
        continue;
      }
      current = null;
      if (!fresh) continue;
      // Nothing applied although something is due: another loop of this sweep
      // holds those rows (wait for its batch, then look again) or another
      // process does (let it work).
      if (inFlight.size === 0) return;
      await Promise.race([...inFlight].map((p) => p.catch(() => 0)));
    }
  }

  const outcomes = await Promise.allSettled(Array.from({ length: workers }, (_, i) => loop(i)));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  return result;
}

/** Earliest due instant over all rules, or null when nothing is scheduled. */
export async function nextDueOf(db: Queryable, rules: readonly Rule[]): Promise<Date | null> {
  const dues = (await Promise.all(rules.map((r) => r.nextDue(db)))).filter((d): d is Date => d !== null);
  return dues.length === 0 ? null : new Date(Math.min(...dues.map((d) => d.getTime())));
}

/**
 * Moves a manual clock forward to `target`, stopping just after each due
 * instant on the way (1 ms later: the first moment it has passed) and applying
 * what fell due there, so each rule runs with the clock at the time it fell
 * due and sees the effects of the rules before it.
 */
export async function advanceManualClock(
  deps: Deps,
  rules: readonly Rule[],
  target: Date,
  setClock: (to: Date) => Promise<void>,
): Promise<{ steps: number; applied: number }> {
  assert(deps.clock.mode === 'manual', 'only the sandbox clock is advanced');
  let steps = 0;
  let applied = 0;
  for (; steps < LIMITS.clock_advance_max_steps; steps++) {
    const next = await nextDueOf(deps.db, rules);
    if (next === null || next.getTime() + 1 >= target.getTime()) break;
    const stepTo = new Date(Math.max(next.getTime() + 1, deps.clock.now().getTime()));
    await setClock(stepTo);
    const swept = await sweepDue(deps, rules, stepTo);
    applied += swept.applied;
    // Due rows that nothing could apply (another process holds them): stop stepping, finish at the target.
    if (swept.applied === 0) break;
  }
  assert(steps < LIMITS.clock_advance_max_steps, 'clock advance finished within its step limit');
  await setClock(target);
  applied += (await sweepDue(deps, rules, target)).applied;
  return { steps, applied };
}
