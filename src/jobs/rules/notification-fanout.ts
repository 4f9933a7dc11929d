// Writes the notifications of events recorded with `notify: 'queued'` (a
// sweeper batch's releases and refunds; src/app/events.ts), one queued batch
// per transaction: its events' inbox rows, emails and webhook deliveries, and
// the queue row's deletion, commit together. The unique (event, person) and
// (endpoint, event) indexes make a repeated pass write nothing.
//
// A queued row is due from the instant it was queued. The engine applies what
// is due strictly before now, so `nextDue` reports that instant less 1 ms, and
// the sweep that queued it also writes its notifications. Deadlines due
// earlier still run first: money before mail.

import { assert } from '../../domain/errors.ts';
import { notifyEvents, type RecordedEvent } from '../../app/notify/enqueue.ts';
import type { Rule } from '../engine.ts';

const DUE_BEFORE_QUEUED_MS = 1;

export const notificationFanoutRule: Rule = {
  name: 'notification_fanout',
  async nextDue(db) {
    const r = await db.query<{ queued: Date | null }>('select min(queued_at) as queued from notification_queue');
    const queued = r.rows[0]?.queued ?? null;
    return queued && new Date(queued.getTime() - DUE_BEFORE_QUEUED_MS);
  },
  // One queued row (one sweeper batch, at most `sweep_batch_size` events) per transaction; `part` is not needed, SKIP LOCKED splits the rows.
  async runBatch(deps, now, until) {
    const latest = new Date(Math.min(now.getTime(), until.getTime() + DUE_BEFORE_QUEUED_MS));
    return deps.db.transaction(async (tx) => {
      const next = await tx.query<{ seq: string; event_ids: string[] }>(
        'select seq, event_ids from notification_queue where queued_at <= $1 order by queued_at, seq limit 1 for update skip locked',
        [latest],
      );
      const queued = next.rows[0];
      if (!queued) return 0;
      const events = await tx.query<RecordedEvent>(
        'select id, type, actor_role, data, contract_id, milestone_id, dispute_id, created_at from events where id = any($1::text[]) order by seq',
        [queued.event_ids],
      );
      assert(events.rows.length === queued.event_ids.length, `every queued event exists (${events.rows.length} of ${queued.event_ids.length})`);
      await notifyEvents(tx, now, events.rows);
      await tx.query('delete from notification_queue where seq = $1', [queued.seq]);
      return events.rows.length;
    });
  },
};
