// Webhook endpoints for integrators: a member subscribes a URL to event types
// on their own contracts; every delivery is signed with the endpoint's secret,
// which is shown once, at creation.

import { notFound } from '../../domain/errors.ts';
import { newId, randomToken } from '../../lib/ids.ts';
import type { Deps } from '../deps.ts';
import { cursorSeq, pageLimit, toList, type PageOptions } from '../pagination.ts';

interface EndpointRow {
  id: string;
  url: string;
  events: string[];
  secret: string;
  created_at: Date;
}

const toObject = (e: EndpointRow, withSecret = false) => ({
  id: e.id,
  object: 'webhook_endpoint' as const,
  url: e.url,
  events: e.events,
  ...(withSecret ? { secret: e.secret } : {}),
  created_at: e.created_at.toISOString(),
});

export async function createWebhookEndpoint(deps: Deps, o: { user_id: string; url: string; events: string[] }) {
  const result = await deps.db.query<EndpointRow>(
    `insert into webhook_endpoints (id, user_id, url, events, secret, created_at) values ($1, $2, $3, $4, $5, $6) returning id, url, events, secret, created_at`,
    [newId('webhook_endpoint'), o.user_id, o.url, [...new Set(o.events)], `whsec_${randomToken(24)}`, deps.clock.now()],
  );
  return toObject(result.rows[0]!, true);
}

export async function listWebhookEndpoints(deps: Deps, userId: string, page: PageOptions) {
  const limit = pageLimit(page);
  const beforeSeq = await cursorSeq(deps.db, page.starting_after, 'select seq from webhook_endpoints where id = $1 and user_id = $2 and deleted_at is null', [userId]);
  const rows = await deps.db.query<EndpointRow>(
    `select id, url, events, secret, created_at from webhook_endpoints where user_id = $1 and deleted_at is null and ($2::int8 is null or seq < $2) order by seq desc limit $3`,
    [userId, beforeSeq, limit + 1],
  );
  return toList(rows.rows, limit, (e) => toObject(e));
}

export async function deleteWebhookEndpoint(deps: Deps, userId: string, id: string): Promise<void> {
  const result = await deps.db.query('update webhook_endpoints set deleted_at = $3 where id = $1 and user_id = $2 and deleted_at is null', [id, userId, deps.clock.now()]);
  if (result.rowCount === 0) throw notFound('webhook endpoint', 'id');
}
