// The in-app inbox: GET /v1/notifications (newest first, with the unread
// count) and POST /v1/notifications/{id}/read.

import { notFound } from '../../domain/errors.ts';
import type { Deps } from '../deps.ts';
import { cursorSeq, pageLimit, toList, type PageOptions } from '../pagination.ts';

interface NotificationRow {
  id: string;
  type: string;
  subject: string;
  body: string;
  action: string | null;
  link: string;
  deadline_at: Date | null;
  contract_id: string | null;
  dispute_id: string | null;
  read_at: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, type, subject, body, action, link, deadline_at, contract_id, dispute_id, read_at, created_at';

const toObject = (n: NotificationRow) => ({
  id: n.id,
  object: 'notification' as const,
  type: n.type,
  subject: n.subject,
  body: n.body,
  action: n.action,
  link: n.link,
  deadline_at: n.deadline_at?.toISOString() ?? null,
  contract: n.contract_id,
  dispute: n.dispute_id,
  read_at: n.read_at?.toISOString() ?? null,
  created_at: n.created_at.toISOString(),
});

export async function listNotifications(deps: Deps, userId: string, page: PageOptions & { unread?: boolean | undefined }) {
  const limit = pageLimit(page);
  const beforeSeq = await cursorSeq(deps.db, page.starting_after, 'select seq from notifications where id = $1 and user_id = $2', [userId]);
  const rows = await deps.db.query<NotificationRow>(
    `select ${COLUMNS} from notifications where user_id = $1 and ($2::int8 is null or seq < $2) and (not $3 or read_at is null) order by seq desc limit $4`,
    [userId, beforeSeq, page.unread ?? false, limit + 1],
  );
  const unread = await deps.db.query<{ n: number }>('select count(*)::int8 as n from notifications where user_id = $1 and read_at is null', [userId]);
  return { ...toList(rows.rows, limit, toObject), unread_count: unread.rows[0]!.n };
}

export async function markRead(deps: Deps, userId: string, id: string) {
  const result = await deps.db.query<NotificationRow>(
    `update notifications set read_at = coalesce(read_at, $3) where id = $1 and user_id = $2 returning ${COLUMNS}`,
    [id, userId, deps.clock.now()],
  );
  if (!result.rows[0]) throw notFound('notification', 'id');
  return toObject(result.rows[0]);
}
