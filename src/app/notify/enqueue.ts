// The transactional outbox's writing side: called by the record (events.ts,
// disputes/record.ts) in the same transaction as every event, it writes the
// in-app notifications, one email per notification into the outbox, and one
// webhook delivery per subscribed endpoint. A crash after commit loses
// nothing: the dispatcher finds the rows.

import { plan, type Audience, type NotificationContext } from '../../domain/notifications.ts';
import { formatMoney, type Currency } from '../../domain/money.ts';
import type { Tx } from '../../db/port.ts';
import { canonicalJson } from '../../lib/canonical-json.ts';
import { newId } from '../../lib/ids.ts';

export interface RecordedEvent {
  id: string;
  type: string;
  actor_role: string | null;
  data: Record<string, unknown>;
  contract_id: string;
  milestone_id: string | null;
  dispute_id: string | null;
  created_at: Date;
}

export interface NewNotification {
  user_id: string;
  event_id: string | null;
  type: string;
  subject: string;
  body: string;
  action: string | null;
  link: string;
  deadline_at: Date | null;
  contract_id: string | null;
  dispute_id: string | null;
}

/**
 * Writes notifications and their emails. Duplicates (same event and person) are
 * ignored. The conflict target names that one index: a bare `on conflict`
 * pre-checks every unique index of the row (the random id, seq) for each of a
 * batch's 2,000 rows, and would hide an id collision instead of failing.
 */
export async function insertNotifications(tx: Tx, now: Date, rows: readonly NewNotification[]): Promise<void> {
  if (rows.length === 0) return;
  // One statement writes both: each inserted notification's email goes to the
  // outbox without its id making a round trip through Node.
  await tx.query(
    `with inserted as (
       insert into notifications (id, user_id, event_id, type, subject, body, action, link, deadline_at, contract_id, dispute_id, created_at)
       select id, user_id, event_id, type, subject, body, action, link, deadline_at, contract_id, dispute_id, $12::timestamptz
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::text[])
           as n(id, user_id, event_id, type, subject, body, action, link, deadline_at, contract_id, dispute_id)
       on conflict (event_id, user_id) where event_id is not null do nothing
       returning id, seq)
     insert into outbox (channel, notification_id, payload, next_attempt_at, created_at)
     select 'email', id, '{}'::jsonb, $12, $12 from inserted order by seq`,
    [
      rows.map(() => newId('notification')),
      rows.map((r) => r.user_id),
      rows.map((r) => r.event_id),
      rows.map((r) => r.type),
      rows.map((r) => r.subject),
      rows.map((r) => r.body),
      rows.map((r) => r.action),
      rows.map((r) => r.link),
      rows.map((r) => r.deadline_at),
      rows.map((r) => r.contract_id),
      rows.map((r) => r.dispute_id),
      now,
    ],
  );
}

interface ContractFacts {
  id: string;
  title: string;
  currency: Currency;
  client_id: string;
  freelancer_id: string;
}

export async function notifyEvents(tx: Tx, now: Date, events: readonly RecordedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const contracts = new Map(
    (await tx.query<ContractFacts>('select id, title, currency, client_id, freelancer_id from contracts where id = any($1::text[])', [[...new Set(events.map((e) => e.contract_id))]])).rows.map((c) => [c.id, c]),
  );
  const milestoneIds = [...new Set(events.map((e) => e.milestone_id).filter((id): id is string => id !== null))];
  const milestones = new Map((await tx.query<{ id: string; title: string }>('select id, title from milestones where id = any($1::text[])', [milestoneIds])).rows.map((m) => [m.id, m]));
  const disputeIds = [...new Set(events.map((e) => e.dispute_id).filter((id): id is string => id !== null))];
  const disputes = new Map((await tx.query<{ id: string; arbitrator_id: string | null }>('select id, arbitrator_id from disputes where id = any($1::text[])', [disputeIds])).rows.map((d) => [d.id, d]));

  const rows: NewNotification[] = [];
  for (const e of events) {
    const contract = contracts.get(e.contract_id)!;
    const ctx: NotificationContext = {
      contract: { id: contract.id, title: contract.title },
      milestone: e.milestone_id ? (milestones.get(e.milestone_id) ?? null) : null,
      dispute: e.dispute_id ? (disputes.get(e.dispute_id) ?? null) : null,
      currency: contract.currency,
    };
    const recipient: Record<Audience, string | null> = { client: contract.client_id, freelancer: contract.freelancer_id, arbitrator: ctx.dispute?.arbitrator_id ?? null };
    for (const p of plan(e, ctx)) {
      const userId = recipient[p.to];
      if (!userId) continue;
      const facts = [`Contract: ${ctx.contract.title}`, ...(ctx.milestone ? [`Milestone: ${ctx.milestone.title}`] : []), ...p.amounts.map(([label, amount]) => `${label}: ${formatMoney(amount, contract.currency)}`)];
      rows.push({
        user_id: userId,
        event_id: e.id,
        type: e.type,
        subject: p.subject,
        body: facts.join('\n'),
        action: p.action,
        link: p.page === 'dispute' && ctx.dispute ? `/disputes/${ctx.dispute.id}` : `/contracts/${ctx.contract.id}`,
        deadline_at: p.deadline ? new Date(p.deadline) : null,
        contract_id: contract.id,
        dispute_id: ctx.dispute?.id ?? null,
      });
    }
  }
  await insertNotifications(tx, now, rows);
  await enqueueWebhooks(tx, now, events, contracts);
}

/** One delivery per event and endpoint of either party that subscribed to the event's type (or to "*"). */
async function enqueueWebhooks(tx: Tx, now: Date, events: readonly RecordedEvent[], contracts: Map<string, ContractFacts>): Promise<void> {
  const owners = [...new Set([...contracts.values()].flatMap((c) => [c.client_id, c.freelancer_id]))];
  const endpoints = await tx.query<{ id: string; user_id: string; events: string[] }>('select id, user_id, events from webhook_endpoints where user_id = any($1::text[]) and deleted_at is null', [owners]);
  if (endpoints.rows.length === 0) return;
  const deliveries: Array<{ endpoint: string; event: string; body: string }> = [];
  for (const e of events) {
    const c = contracts.get(e.contract_id)!;
    for (const ep of endpoints.rows) {
      if (ep.user_id !== c.client_id && ep.user_id !== c.freelancer_id) continue;
      if (!ep.events.includes('*') && !ep.events.includes(e.type)) continue;
      const body = { id: e.id, object: 'event', type: e.type, created_at: e.created_at.toISOString(), contract: e.contract_id, milestone: e.milestone_id, dispute: e.dispute_id, data: e.data };
      deliveries.push({ endpoint: ep.id, event: e.id, body: canonicalJson(body) });
    }
  }
  if (deliveries.length === 0) return;
  await tx.query(
    `insert into outbox (channel, webhook_endpoint_id, event_id, payload, next_attempt_at, created_at)
     select 'webhook', endpoint, event, jsonb_build_object('body', body), $4, $4 from unnest($1::text[], $2::text[], $3::text[]) as w(endpoint, event, body)
     on conflict do nothing`,
    [deliveries.map((d) => d.endpoint), deliveries.map((d) => d.event), deliveries.map((d) => d.body), now],
  );
}
