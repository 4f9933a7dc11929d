// The frame around every signed-in page: the brand, the navigation a role
// needs (members: My Jobs, All Contracts, Balance; staff: the review queue;
// arbitrators: their cases), the unread count, the sandbox clock banner.

import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../lib/api.ts';
import { Link, useRouter } from '../lib/router.tsx';
import { useMe, useServerNow, useSession, useZone } from '../lib/session.tsx';
import { formatTime } from '../lib/format.ts';
import type { NotificationList } from '../lib/types.ts';

/** How often the unread count is refreshed while a page stays open. */
const UNREAD_POLL_MS = 20_000;

function useUnreadCount(): number | undefined {
  const { path } = useRouter();
  const [count, setCount] = useState<number>();
  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .get<NotificationList>('/v1/notifications?limit=1')
        .then((list) => live && setCount(list.unread_count))
        .catch(() => undefined);
    void load();
    const timer = window.setInterval(load, UNREAD_POLL_MS);
    const onChanged = () => void load();
    window.addEventListener('settle:notifications-changed', onChanged);
    return () => {
      live = false;
      window.clearInterval(timer);
      window.removeEventListener('settle:notifications-changed', onChanged);
    };
  }, [path]);
  return count;
}

function SandboxBanner() {
  const { clock } = useSession();
  const zone = useZone();
  const now = useServerNow();
  if (clock?.mode !== 'manual') return null;
  return (
    <div className="sandbox-banner" role="note">
      Sandbox clock: <strong>{formatTime(new Date(now).toISOString(), zone, true)}</strong> ({zone}) — time moves only when the operator advances it.{' '}
      <Link to="/operator">Operator panel</Link>
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const me = useMe();
  const { signOut } = useSession();
  const { navigate } = useRouter();
  const unread = useUnreadCount();
  const zone = useZone();
  const member = me.role === 'member';
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SandboxBanner />
      <header className="topbar">
        <Link to={member ? '/jobs' : me.role === 'staff' ? '/review' : '/cases'} className="brand" aria-label="Settle home">
          <span className="brand-mark" aria-hidden="true">
            S
          </span>
          Settle
        </Link>
        <nav aria-label="Main">
          <ul>
            {member && (
              <>
                <li>
                  <Link to="/jobs">My Jobs</Link>
                </li>
                <li>
                  <Link to="/contracts">All Contracts</Link>
                </li>
                <li>
                  <Link to="/balance">Balance</Link>
                </li>
              </>
            )}
            {me.role === 'staff' && (
              <li>
                <Link to="/review">Review queue</Link>
              </li>
            )}
            {me.role === 'arbitrator' && (
              <li>
                <Link to="/cases">Cases</Link>
              </li>
            )}
            <li>
              <Link to="/notifications" aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}>
                Notifications{unread ? <span className="count-badge" aria-hidden="true">{unread}</span> : null}
              </Link>
            </li>
          </ul>
        </nav>
        <div className="account">
          <Link to="/settings" className="account-name" title={`Times are shown in ${zone}`}>
            {me.name}
          </Link>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              void signOut().then(() => navigate('/login', { replace: true }));
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">
        <span>Settle · payment protection for fixed-price work</span>
        <span>Times shown in {zone}</span>
      </footer>
    </div>
  );
}
