// Notifications: the in-app inbox, webhook endpoints, and the operator's view of the outbox.

import { z } from 'zod';
import { listOutbox } from '../../app/notify/admin-outbox.ts';
import { listNotifications, markRead } from '../../app/notify/inbox.ts';
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints } from '../../app/notify/webhook-endpoints.ts';
import type { Router } from '../route.ts';
import * as s from '../schemas.ts';

const notification = z.object({
  id: z.string(),
  object: z.literal('notification'),
  type: z.string(),
  subject: z.string(),
  body: z.string(),
  action: z.string().nullable(),
  link: z.string(),
  deadline_at: s.timestamp.nullable(),
  contract: z.string().nullable(),
  dispute: z.string().nullable(),
  read_at: s.timestamp.nullable(),
  created_at: s.timestamp,
});
const endpoint = z.object({ id: z.string(), object: z.literal('webhook_endpoint'), url: z.string(), events: z.array(z.string()), secret: z.string().optional(), created_at: s.timestamp });
const eventType = z.string().regex(/^(\*|[a-z_]+\.[a-z_]+)$/, { error: 'must be an event type such as "dispute.filed", or "*" for all' });

export function notificationRoutes(r: Router): void {
  r.add({
    method: 'GET',
    path: '/v1/notifications',
    access: 'user',
    tag: 'Notifications',
    summary: 'The in-app inbox, newest first, with the unread count',
    query: s.listQuery.extend({ unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
    response: s.listOf(notification).extend({ unread_count: z.number().int() }),
    handler: ({ ctx, user, query }) => listNotifications(ctx.deps, user.id, query),
  });

  r.add({
    method: 'POST',
    path: '/v1/notifications/:id/read',
    access: 'user',
    tag: 'Notifications',
    summary: 'Mark a notification read',
    status: 200,
    params: s.idParam,
    response: notification,
    handler: ({ ctx, user, params }) => markRead(ctx.deps, user.id, params.id),
  });

  r.add({
    method: 'POST',
    path: '/v1/webhook_endpoints',
    access: 'user',
    tag: 'Webhooks',
    summary: 'Subscribe a URL to events on your contracts; the signing secret is shown only now',
    body: z.strictObject({
      url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000),
      events: z.array(eventType).min(1, { error: 'name at least one event type, or "*"' }).max(50),
    }),
    response: endpoint,
    handler: ({ ctx, user, body }) => createWebhookEndpoint(ctx.deps, { user_id: user.id, ...body }),
  });

  r.add({
    method: 'GET',
    path: '/v1/webhook_endpoints',
    access: 'user',
    tag: 'Webhooks',
    summary: 'Your webhook endpoints',
    query: s.listQuery,
    response: s.listOf(endpoint),
    handler: ({ ctx, user, query }) => listWebhookEndpoints(ctx.deps, user.id, query),
  });

  r.add({
    method: 'DELETE',
    path: '/v1/webhook_endpoints/:id',
    access: 'user',
    tag: 'Webhooks',
    summary: 'Delete a webhook endpoint',
    status: 204,
    params: s.idParam,
    handler: async ({ ctx, user, params }) => {
      await deleteWebhookEndpoint(ctx.deps, user.id, params.id);
      return undefined;
    },
  });

  r.add({
    method: 'GET',
    path: '/v1/admin/outbox',
    access: 'operator',
    tag: 'Operator',
    summary: 'Email and webhook deliveries, e.g. ?status=dead for those that failed every attempt',
    query: s.listQuery.extend({ status: z.enum(['pending', 'sent', 'dead']).optional() }),
    response: s.listOf(z.object({ id: z.string(), object: z.literal('outbox_delivery') }).passthrough()),
    handler: ({ ctx, query }) => listOutbox(ctx.deps, query),
  });
}
