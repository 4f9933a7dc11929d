// The staff review queue: every dispute that reached review, oldest first
// (GET /v1/disputes for staff, src/app/disputes/list-disputes.ts), with the
// 2-day proposal target and the ones past it flagged "Overdue".

import { useState } from 'react';
import { SelectField } from '../components/Form.tsx';
import { Deadline, Empty, ErrorState, Loading, Money, PageHeader, StatusBadge, Time } from '../components/ui.tsx';
import { api, query } from '../lib/api.ts';
import { humanize } from '../lib/format.ts';
import { useResource } from '../lib/hooks.ts';
import { Link, useRouter } from '../lib/router.tsx';
import type { Dispute, DisputeState, List } from '../lib/types.ts';
import { DISPUTE_STATES } from '../../../src/domain/dispute.ts';

/** States a dispute in the queue can be in: it reached review, so never awaiting a response. */
const QUEUE_STATES: readonly DisputeState[] = DISPUTE_STATES.filter((s) => s !== 'awaiting_response');

export function ReviewQueuePage() {
  const { search, navigate } = useRouter();
  const status = QUEUE_STATES.find((s) => s === search.get('status')) ?? '';
  const setStatus = (value: string) => navigate(`/review${query({ status: value })}`, { replace: true });
  const queue = useResource(`review:${status}`, () => api.get<List<Dispute>>(`/v1/disputes${query({ status, limit: 100 })}`));
  return (
    <>
      <PageHeader title="Review queue" eyebrow="Staff">
        <div className="filter">
          <SelectField
            label="Status"
            value={status}
            onValue={setStatus}
            placeholder="All statuses"
            options={QUEUE_STATES.map((s) => ({ value: s, label: humanize(s) }))}
          />
        </div>
      </PageHeader>
      <p className="muted">Oldest first. Staff aim to issue a proposal within 2 days of a dispute entering review; rows past that target are flagged.</p>
      {queue.error && <ErrorState error={queue.error} />}
      {!queue.data && !queue.error && <Loading what="Loading the queue" />}
      {queue.data && queue.data.data.length === 0 && <Empty>{status ? `No disputes ${humanize(status).toLowerCase()}.` : 'The queue is empty: no dispute has reached review.'}</Empty>}
      {queue.data && queue.data.data.length > 0 && <QueueTable disputes={queue.data.data} />}
      {queue.data?.has_more && <p className="muted">Showing the oldest 100; filter by status to see others.</p>}
    </>
  );
}

function QueueTable({ disputes }: { disputes: Dispute[] }) {
  return (
    <div className="table-wrap">
      <table aria-label="Disputes in review">
        <thead>
          <tr>
            <th scope="col">Dispute</th>
            <th scope="col">Parties</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Requested
            </th>
            <th scope="col">In review since</th>
            <th scope="col">Proposal target</th>
            <th scope="col">
              <span className="visually-hidden">Open</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {disputes.map((d) => (
            <tr key={d.id} className={d.review_overdue ? 'row-flag' : undefined}>
              <td>
                <strong>{d.milestone_title}</strong>
                <br />
                <span className="muted">{d.contract_title}</span>
                {d.review_overdue && (
                  <>
                    {' '}
                    <span className="badge badge-bad">Overdue</span>
                  </>
                )}
              </td>
              <td>
                {d.client.name} (client)
                <br />
                {d.freelancer.name} (freelancer)
              </td>
              <td>
                <StatusBadge status={d.status} />
              </td>
              <td className="num">
                <Money amount={d.amount_requested} currency={d.currency} />
              </td>
              <td>{d.review_started_at ? <Time at={d.review_started_at} /> : '—'}</td>
              <td>{d.proposal_target_at && d.status === 'in_review' ? <Deadline at={d.proposal_target_at} label="" /> : d.proposal ? 'Proposal issued' : '—'}</td>
              <td>
                <Link to={`/disputes/${d.id}`} aria-label={`Open ${d.milestone_title} (${d.contract_title})`}>
                  Open
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
