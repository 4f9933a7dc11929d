// The in-app inbox: every notification with its deadline and a link to the
// page where the person acts. Opening one marks it read; the nav's unread
// badge (components/Layout.tsx) hears about it through a window event.

import { useState, type MouseEvent } from 'react';
import { Deadline, Empty, ErrorState, Loading, PageHeader, Time } from '../components/ui.tsx';
import { api, query } from '../lib/api.ts';
import { useAction, useResource } from '../lib/hooks.ts';
import { useRouter } from '../lib/router.tsx';
import type { Notification, NotificationList } from '../lib/types.ts';

const PAGE = 20;

/** Tells the nav's unread badge to count again. */
const announceChange = () => window.dispatchEvent(new Event('settle:notifications-changed'));

/** Only in-app paths are followed, so a link can never leave the app. */
const inAppPath = (link: string): string => (link.startsWith('/') && !link.startsWith('//') ? link : '/');

export function NotificationsPage() {
  const [rows, setRows] = useState<Notification[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [unread, setUnread] = useState(0);
  const more = useAction();
  const first = useResource('notifications', async () => {
    const list = await api.get<NotificationList>(`/v1/notifications${query({ limit: PAGE })}`);
    setRows(list.data);
    setHasMore(list.has_more);
    setUnread(list.unread_count);
    return list;
  });
  const loadMore = () =>
    void more.run(async () => {
      const list = await api.get<NotificationList>(`/v1/notifications${query({ limit: PAGE, starting_after: rows.at(-1)?.id })}`);
      setRows((old) => [...old, ...list.data]);
      setHasMore(list.has_more);
      setUnread(list.unread_count);
    });
  const markedRead = (updated: Notification) => {
    setRows((old) => old.map((n) => (n.id === updated.id ? updated : n)));
    setUnread((count) => Math.max(0, count - 1));
    announceChange();
  };
  return (
    <>
      <PageHeader title={first.data ? `Notifications (${unread} unread)` : 'Notifications'} />
      {first.error && <ErrorState error={first.error} />}
      {first.loading && !first.data && <Loading what="Loading notifications" />}
      {first.data && rows.length === 0 && <Empty>Nothing here yet. When something needs you, or money moves, it appears here and in your email.</Empty>}
      {rows.length > 0 && (
        <ul className="inbox" aria-label="Notifications">
          {rows.map((n) => (
            <NotificationItem key={n.id} notification={n} onRead={markedRead} />
          ))}
        </ul>
      )}
      {more.error && <ErrorState error={more.error} />}
      {hasMore && (
        <button type="button" className="button" onClick={loadMore} disabled={more.pending}>
          {more.pending ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}

function NotificationItem({ notification: n, onRead }: { notification: Notification; onRead(n: Notification): void }) {
  const { navigate } = useRouter();
  const action = useAction();
  const unread = n.read_at === null;
  const markRead = async (): Promise<boolean> => {
    if (!unread) return true;
    let updated: Notification | undefined;
    const ok = await action.run(async (key) => {
      updated = await api.post<Notification>(`/v1/notifications/${encodeURIComponent(n.id)}/read`, {}, { idempotencyKey: key });
    });
    if (ok && updated) onRead(updated);
    return ok;
  };
  const target = inAppPath(n.link);
  const open = async (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      void markRead();
      return;
    }
    event.preventDefault();
    await markRead();
    navigate(target);
  };
  const headingId = `notification-${n.id}`;
  return (
    <li className={`card inbox-item${unread ? ' inbox-unread' : ''}`} aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId} className="inbox-subject">
          {unread && <span className="unread-dot" aria-label="Unread" role="img" />}
          {n.subject}
        </h2>
        <span className="muted">
          <Time at={n.created_at} />
        </span>
      </div>
      <p className="inbox-body">{n.body}</p>
      {n.deadline_at && (
        <p>
          <Deadline at={n.deadline_at} />
        </p>
      )}
      {action.error && <ErrorState error={action.error} />}
      <div className="button-row">
        <a className="button button-primary button-small" href={target} onClick={(e) => void open(e)} aria-label={`Open: ${n.subject}`}>
          Open
        </a>
        {unread && (
          <button type="button" className="button button-small" onClick={() => void markRead()} disabled={action.pending} aria-label={`Mark as read: ${n.subject}`}>
            Mark as read
          </button>
        )}
        {!unread && <span className="muted">Read</span>}
      </div>
    </li>
  );
}
