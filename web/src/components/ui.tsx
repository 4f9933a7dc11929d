// Small display pieces every page uses: money, times in the viewer's zone,
// a live countdown, status badges, loading and error states.

import type { ReactNode } from 'react';
import type { ApiError } from '../lib/api.ts';
import { formatCountdown, formatMoney, formatTime, humanize } from '../lib/format.ts';
import { useServerNow, useZone } from '../lib/session.tsx';
import type { Currency } from '../lib/types.ts';

export function Money({ amount, currency, className }: { amount: number; currency: Currency; className?: string }) {
  return <span className={`money${className ? ` ${className}` : ''}`}>{formatMoney(amount, currency)}</span>;
}

/** A time in the viewer's zone with the zone named; `exact` for deadlines (weekday, seconds). */
export function Time({ at, exact = false }: { at: string; exact?: boolean }) {
  const zone = useZone();
  return (
    <time dateTime={at} title={`${at} (UTC) · shown in ${zone}`}>
      {formatTime(at, zone, exact)}
    </time>
  );
}

/** "Due Tue, Dec 15, 2026, 11:59:59 PM EST (America/New_York) — 3 days 4 h 2 min left". */
export function Deadline({ at, label = 'Due' }: { at: string; label?: string }) {
  const zone = useZone();
  const now = useServerNow();
  const left = Date.parse(at) - now;
  return (
    <span className="deadline">
      {label} <Time at={at} exact /> <span className="muted">({zone})</span>{' '}
      <span className={`countdown${left <= 0 ? ' countdown-passed' : left < 48 * 3600_000 ? ' countdown-soon' : ''}`} role="timer" aria-live="off">
        {left > 0 ? `${formatCountdown(left)} left` : 'deadline passed'}
      </span>
    </span>
  );
}

const TONE: Record<string, string> = {
  pending: 'neutral',
  offered: 'info',
  active: 'ok',
  funded: 'info',
  submitted: 'warn',
  changes_requested: 'warn',
  paid: 'ok',
  refund_requested: 'warn',
  refunded: 'neutral',
  in_dispute: 'bad',
  cancelled: 'neutral',
  declined: 'neutral',
  ended: 'neutral',
  awaiting_response: 'bad',
  in_review: 'warn',
  proposal_issued: 'info',
  not_resolved: 'bad',
  in_arbitration: 'warn',
  resolved: 'ok',
  withdrawn: 'neutral',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONE[status] ?? 'neutral'}`}>{humanize(status)}</span>;
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="loading" role="status">
      {what}…
    </p>
  );
}

export function ErrorState({ error, children }: { error: ApiError; children?: ReactNode }) {
  return (
    <div className="alert alert-error" role="alert">
      <p>{error.status === 404 ? 'Not found, or you do not have access to it.' : error.message}</p>
      {children}
    </div>
  );
}

export function PageHeader({ title, children, eyebrow }: { title: ReactNode; children?: ReactNode; eyebrow?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        {eyebrow && <p className="eyebrow">{eyebrow}</p>}
        <h1>{title}</h1>
      </div>
      {children && <div className="page-actions">{children}</div>}
    </header>
  );
}

/** A labelled figure (money, a date) in a card, with an optional note under it. */
export function Stat({ label, note, noteTone = 'hint', children }: { label: ReactNode; note?: ReactNode; noteTone?: 'hint' | 'muted'; children: ReactNode }) {
  return (
    <div className="stat">
      <p className="stat-label">{label}</p>
      <p className="stat-value">{children}</p>
      {note && <p className={noteTone}>{note}</p>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
