// All Contracts (/contracts): every contract the viewer is a party to, newest
// first, filtered by status, with the money per contract and a "See Dispute"
// link for each milestone that has a dispute (the article's path: My Jobs →
// All Contracts → See Dispute).

import { useEffect, useState } from 'react';
import { OPEN_DISPUTE_STATES } from '../../../src/domain/dispute.ts';
import { FormError, SelectField } from '../components/Form.tsx';
import { Empty, ErrorState, Loading, Money, PageHeader, StatusBadge } from '../components/ui.tsx';
import { api, query, type ApiError } from '../lib/api.ts';
import { humanize } from '../lib/format.ts';
import { useResource } from '../lib/hooks.ts';
import { Link, useRouter } from '../lib/router.tsx';
import type { Contract, ContractStatus, Dispute, DisputeState, List } from '../lib/types.ts';

const STATUSES: readonly ContractStatus[] = ['offered', 'active', 'declined', 'ended'];
const PAGE_SIZE = 20;

/** Statuses of the viewer's disputes by id (the first 100, newest first), to tell open ones from closed. */
function useDisputeStatuses(): Map<string, DisputeState> {
  const { data } = useResource('disputes:all', () => api.get<List<Dispute>>('/v1/disputes?limit=100'));
  return new Map((data?.data ?? []).map((d) => [d.id, d.status]));
}

export function ContractsPage() {
  const { search, navigate } = useRouter();
  const raw = search.get('status') ?? '';
  const status = (STATUSES as readonly string[]).includes(raw) ? raw : '';
  const first = useResource(`contracts:${status}`, () => api.get<List<Contract>>(`/v1/contracts${query({ status, limit: PAGE_SIZE })}`));
  const [more, setMore] = useState<{ rows: Contract[]; has_more: boolean } | null>(null);
  const [moreError, setMoreError] = useState<ApiError>();
  const [loadingMore, setLoadingMore] = useState(false);
  const disputes = useDisputeStatuses();
  useEffect(() => setMore(null), [status]);

  const rows = [...(first.data?.data ?? []), ...(more?.rows ?? [])];
  const hasMore = more ? more.has_more : (first.data?.has_more ?? false);
  const loadMore = async () => {
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await api.get<List<Contract>>(`/v1/contracts${query({ status, limit: PAGE_SIZE, starting_after: rows[rows.length - 1]?.id })}`);
      setMore({ rows: [...(more?.rows ?? []), ...page.data], has_more: page.has_more });
    } catch (e) {
      setMoreError(e as ApiError);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div className="contracts-page">
      <PageHeader title="All Contracts" eyebrow={<Link to="/jobs">My Jobs</Link>}>
        <Link to="/contracts/new" className="button button-primary">
          New contract
        </Link>
      </PageHeader>
      <div className="filters">
        <SelectField
          label="Status"
          value={status}
          options={[{ value: '', label: 'All' }, ...STATUSES.map((s) => ({ value: s, label: humanize(s) }))]}
          onValue={(value) => navigate(`/contracts${query({ status: value })}`, { replace: true })}
        />
      </div>
      {first.error && <ErrorState error={first.error} />}
      {!first.data && !first.error && <Loading what="Loading your contracts" />}
      {first.data && rows.length === 0 && <Empty>{status ? `No ${status} contracts.` : 'No contracts yet. Start one with New contract, or wait for an offer.'}</Empty>}
      {rows.length > 0 && <ContractsTable rows={rows} disputes={disputes} />}
      <FormError error={moreError} />
      {hasMore && (
        <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}

function ContractsTable({ rows, disputes }: { rows: Contract[]; disputes: Map<string, DisputeState> }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Your contracts, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Contract</th>
            <th scope="col">Other party</th>
            <th scope="col">Your role</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              In escrow
            </th>
            <th scope="col" className="num">
              Released
            </th>
            <th scope="col">Disputes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                <Link to={`/contracts/${c.id}`}>{c.title}</Link>
              </th>
              <td>{c.your_role === 'client' ? c.freelancer.name : c.client.name}</td>
              <td>{humanize(c.your_role)}</td>
              <td>
                <StatusBadge status={c.status} />
              </td>
              <td className="num">
                <Money amount={c.escrow_amount} currency={c.currency} />
              </td>
              <td className="num">
                <Money amount={c.released_amount} currency={c.currency} />
              </td>
              <td>
                <DisputeLinks contract={c} disputes={disputes} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DisputeLinks({ contract, disputes }: { contract: Contract; disputes: Map<string, DisputeState> }) {
  const withDispute = contract.milestones.filter((m) => m.dispute);
  if (withDispute.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="dispute-links">
      {withDispute.map((m) => {
        const state = disputes.get(m.dispute!);
        const open = state ? OPEN_DISPUTE_STATES.includes(state) : m.status === 'in_dispute';
        return (
          <li key={m.id}>
            <Link to={`/disputes/${m.dispute}`}>See Dispute</Link> <span className="muted">{m.title}</span> {state ? <StatusBadge status={state} /> : open ? <StatusBadge status="in_dispute" /> : null}
          </li>
        );
      })}
    </ul>
  );
}
