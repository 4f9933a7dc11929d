// The transactional outbox's delivering side. Bounded batches: rows are
// claimed with FOR UPDATE SKIP LOCKED and a lease (so two dispatchers never
// send the same row at once, and a crashed one's rows come back after the
// lease), delivered outside the transaction, then marked sent, or retried
// with exponential backoff, or `dead` after the last attempt (visible to the
// operator). A retry re-sends the same Message-ID / webhook id, so a receiver
// can drop a duplicate.

import { createHmac } from 'node:crypto';
import type { Deps } from '../app/deps.ts';
import { render } from '../notify/render.ts';
import type { MailTransport } from '../notify/transport.ts';

export const OUTBOX_BATCH = 100;
export const OUTBOX_MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 60 * 60_000;
const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookSender {
  send(url: string, headers: Record<string, string>, body: string): Promise<void>;
}

export const fetchWebhookSender: WebhookSender = {
  async send(url, headers, body) {
    const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    if (res.status < 200 || res.status >= 300) throw new Error(`webhook endpoint answered ${res.status}`);
  },
};

/** `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, as Stripe signs its webhooks. */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}

interface Claimed {
  seq: number;
  channel: 'email' | 'webhook';
  attempts: number;
  notification_id: string | null;
  webhook_endpoint_id: string | null;
  payload: { body?: string };
}

export interface Channels {
  mail: MailTransport;
  webhooks: WebhookSender;
}

/** Delivers one batch of due rows; returns how many were sent. */
export async function dispatchOutbox(deps: Deps, channels: Channels, limit = OUTBOX_BATCH): Promise<{ sent: number; failed: number }> {
  const now = deps.clock.now();
  const claimed = await deps.db.query<Claimed>(
    `update outbox o set leased_until = $2, attempts = o.attempts + 1
      where o.seq in (select seq from outbox where status = 'pending' and next_attempt_at <= $1 and (leased_until is null or leased_until < $1)
                       order by next_attempt_at, seq limit $3 for update skip locked)
      returning o.seq, o.channel, o.attempts, o.notification_id, o.webhook_endpoint_id, o.payload`,
    [now, new Date(now.getTime() + LEASE_MS), limit],
  );
  let sent = 0;
  let failed = 0;
  // UPDATE … RETURNING does not keep the claim order: deliver oldest first.
  for (const row of claimed.rows.sort((a, b) => a.seq - b.seq)) {
    try {
      if (row.channel === 'email') await sendEmail(deps, channels.mail, row.notification_id!);
      else await sendWebhook(deps, channels.webhooks, row.webhook_endpoint_id!, row.payload.body!);
      await deps.db.query(`update outbox set status = 'sent', sent_at = $2, leased_until = null, last_error = null where seq = $1`, [row.seq, deps.clock.now()]);
      sent++;
    } catch (error) {
      failed++;
      const dead = row.attempts >= OUTBOX_MAX_ATTEMPTS;
      await deps.db.query(`update outbox set status = $2, next_attempt_at = $3, leased_until = null, last_error = $4 where seq = $1`, [
        row.seq,
        dead ? 'dead' : 'pending',
        new Date(deps.clock.now().getTime() + backoffMs(row.attempts)),
        String(error instanceof Error ? error.message : error).slice(0, 1000),
      ]);
    }
  }
  return { sent, failed };
}

async function sendEmail(deps: Deps, mail: MailTransport, notificationId: string): Promise<void> {
  const found = await deps.db.query<{ subject: string; action: string | null; deadline_at: Date | null; link: string; body: string; name: string; email: string; time_zone: string }>(
    `select n.subject, n.action, n.deadline_at, n.link, n.body, u.name, u.email, u.time_zone
       from notifications n join users u on u.id = n.user_id where n.id = $1`,
    [notificationId],
  );
  const n = found.rows[0]!;
  const message = render(
    { subject: n.subject, action: n.action, deadline: n.deadline_at?.toISOString() ?? null, facts: n.body.split('\n').filter(Boolean), link: deps.config.baseUrl + n.link },
    { name: n.name, email: n.email, time_zone: n.time_zone },
  );
  await mail.send({ to: n.email, subject: message.subject, text: message.text, html: message.html, message_id: `<${notificationId}@settle>` });
}

async function sendWebhook(deps: Deps, webhooks: WebhookSender, endpointId: string, body: string): Promise<void> {
  const ep = (await deps.db.query<{ url: string; secret: string; deleted_at: Date | null }>('select url, secret, deleted_at from webhook_endpoints where id = $1', [endpointId])).rows[0]!;
  if (ep.deleted_at) return; // deleted since: nothing to deliver
  await webhooks.send(ep.url, { 'content-type': 'application/json', 'user-agent': 'Settle-Webhooks/1', 'settle-signature': signWebhook(ep.secret, body, deps.clock.now()) }, body);
}
