// The record: every action on a contract or milestone appends one event, in
// the same transaction as the change (PRODUCT.md "The record"), together with
// the notifications it causes, or with a queue entry for them. Set-based, so
// the sweeper records a thousand auto-releases in a few statements.

import type { Tx } from '../db/port.ts';
import { canonicalJson } from '../lib/canonical-json.ts';
import { newId } from '../lib/ids.ts';
import { notifyEvents } from './notify/enqueue.ts';

export type EventActorRole = 'client' | 'freelancer' | 'staff' | 'arbitrator' | 'operator' | 'deadline' | 'system';

export interface NewEvent {
  type: string;
  contract_id: string;
  milestone_id: string | null;
  actor_id: string | null;
  actor_role: EventActorRole;
  data: Record<string, unknown>;
}

/**
 * When the events' notifications are written: `now`, in this transaction (an
 * action of a person, who sees them at once); or `queued`, a queue entry in
 * this transaction and the notifications by the `notification_fanout` rule in
 * a transaction of its own (a sweeper batch: they were 40 % of its time, with
 * its milestones locked throughout; migrations/0009_notification_queue.sql).
 */
export type NotifyWhen = 'now' | 'queued';

export async function appendEvents(tx: Tx, now: Date, events: readonly NewEvent[], notify: NotifyWhen = 'now'): Promise<string[]> {
  if (events.length === 0) return [];
  const ids = events.map(() => newId('event'));
  await tx.query(
    `insert into events (id, type, contract_id, milestone_id, actor_id, actor_role, data, created_at)
     select id, type, contract_id, milestone_id, actor_id, actor_role, data::jsonb, $8::timestamptz
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) with ordinality
         as e(id, type, contract_id, milestone_id, actor_id, actor_role, data, ord)
      order by ord`,
    [
      ids,
      events.map((e) => e.type),
      events.map((e) => e.contract_id),
      events.map((e) => e.milestone_id),
      events.map((e) => e.actor_id),
      events.map((e) => e.actor_role),
      events.map((e) => canonicalJson(e.data)),
      now,
    ],
  );
  if (notify === 'queued') await tx.query('insert into notification_queue (event_ids, queued_at) values ($1::text[], $2)', [ids, now]);
  else
    await notifyEvents(
      tx,
      now,
      events.map((e, i) => ({ ...e, id: ids[i]!, dispute_id: null, created_at: now })),
    );
  return ids;
}
