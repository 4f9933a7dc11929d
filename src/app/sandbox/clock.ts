// The sandbox clock (SETTLE_CLOCK=manual): its time is kept in the database so
// it survives a restart; advancing it runs every rule that fell due on the way.

import { invalid } from '../../domain/errors.ts';
import type { Db } from '../../db/port.ts';
import { ManualClock } from '../../lib/clock.ts';
import { advanceManualClock, type Rule } from '../../jobs/engine.ts';
import type { Deps } from '../deps.ts';

/** The manual clock as last saved, else `start`, else the real time now. */
export async function loadManualClock(db: Db, start: Date | undefined): Promise<ManualClock> {
  const saved = await db.query<{ now: Date }>('select now from sandbox_clock where id = 1');
  const initial = saved.rows[0]?.now ?? start ?? new Date();
  await db.query('insert into sandbox_clock (id, now) values (1, $1) on conflict (id) do nothing', [initial]);
  return new ManualClock(initial);
}

/** Longest single advance, so a typo of a year 30000 cannot spin the engine. */
const MAX_ADVANCE_MS = 10 * 366 * 24 * 60 * 60 * 1000;

export interface AdvanceClockOptions {
  seconds?: number | undefined;
  to?: string | undefined;
}

export async function advanceClock(deps: Deps, rules: readonly Rule[], o: AdvanceClockOptions) {
  const clock = deps.clock;
  if (!(clock instanceof ManualClock)) throw invalid('clock_not_manual', 'The clock can only be moved with SETTLE_CLOCK=manual.');
  const from = clock.now();
  if (o.seconds === undefined && o.to === undefined) throw invalid('parameter_missing', 'Give either seconds or to.', 'seconds');
  if (o.seconds !== undefined && o.to !== undefined) throw invalid('parameters_exclusive', 'Give either seconds or to, not both.', 'to');
  const target = o.to !== undefined ? new Date(o.to) : new Date(from.getTime() + o.seconds! * 1000);
  const param = o.to !== undefined ? 'to' : 'seconds';
  if (target.getTime() < from.getTime()) throw invalid('clock_backwards', `The sandbox clock only moves forward; it is ${from.toISOString()}.`, param);
  if (target.getTime() - from.getTime() > MAX_ADVANCE_MS) throw invalid('advance_too_large', 'Advance at most 10 years at a time.', param);
  const setClock = async (to: Date) => {
    clock.set(to);
    await deps.db.query('update sandbox_clock set now = $1 where id = 1', [to]);
  };
  const result = await advanceManualClock(deps, rules, target, setClock);
  return { object: 'test_clock' as const, now: clock.now().toISOString(), rules_applied: result.applied };
}
