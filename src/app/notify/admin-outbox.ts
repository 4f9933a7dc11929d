// GET /v1/admin/outbox: deliveries for the operator, by status, so dead
// emails and webhooks (all attempts failed) are visible and can be followed up.

import type { Deps } from '../deps.ts';
import { pageLimit, toList, type PageOptions } from '../pagination.ts';

interface OutboxRow {
  seq: number;
  channel: 'email' | 'webhook';
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  notification_id: string | null;
  webhook_endpoint_id: string | null;
  event_id: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export async function listOutbox(deps: Deps, o: PageOptions & { status?: 'pending' | 'sent' | 'dead' | undefined }) {
  const limit = pageLimit(o);
  const after = o.starting_after ? Number(o.starting_after.replace(/^obx_/, '')) : null;
  const rows = await deps.db.query<OutboxRow>(
    `select seq, channel, status, attempts, next_attempt_at, last_error, notification_id, webhook_endpoint_id, event_id, created_at, sent_at
       from outbox where ($1::text is null or status = $1) and ($2::int8 is null or seq < $2) order by seq desc limit $3`,
    [o.status ?? null, Number.isSafeInteger(after) ? after : null, limit + 1],
  );
  return toList(rows.rows, limit, (r) => ({
    id: `obx_${r.seq}`,
    object: 'outbox_delivery' as const,
    channel: r.channel,
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.next_attempt_at.toISOString(),
    last_error: r.last_error,
    notification: r.notification_id,
    webhook_endpoint: r.webhook_endpoint_id,
    event: r.event_id,
    created_at: r.created_at.toISOString(),
    sent_at: r.sent_at?.toISOString() ?? null,
  }));
}
