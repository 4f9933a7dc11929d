// An arbitrator's cases: the disputes assigned to them (GET /v1/disputes for
// an arbitrator), with the escrow at stake, whether both fees are paid, the
// case file (PDF) and a link to the dispute page where the award is given.

import { Empty, ErrorState, Loading, Money, PageHeader, StatusBadge } from '../components/ui.tsx';
import { api } from '../lib/api.ts';
import { useResource } from '../lib/hooks.ts';
import { Link } from '../lib/router.tsx';
import type { Dispute, List } from '../lib/types.ts';

export function CasesPage() {
  const cases = useResource('cases', () => api.get<List<Dispute>>('/v1/disputes?limit=100'));
  return (
    <>
      <PageHeader title="Cases" eyebrow="Arbitration" />
      <p className="muted">Disputes assigned to you for binding arbitration, newest first. Read the case file, then give the award on the case's page; an award is final.</p>
      {cases.error && <ErrorState error={cases.error} />}
      {!cases.data && !cases.error && <Loading what="Loading your cases" />}
      {cases.data && cases.data.data.length === 0 && <Empty>No cases assigned to you yet.</Empty>}
      {cases.data && cases.data.data.length > 0 && <CaseTable cases={cases.data.data} />}
    </>
  );
}

function FeesPaid({ d }: { d: Dispute }) {
  const a = d.arbitration;
  if (!a) return <>—</>;
  const paid = [a.client_paid && 'client', a.freelancer_paid && 'freelancer'].filter(Boolean);
  return (
    <>
      {paid.length === 2 ? 'Both parties' : paid.length === 1 ? `Only the ${paid[0]}` : 'Neither party'}
      <br />
      <span className="muted">
        <Money amount={a.fee_amount} currency={d.currency} /> each
      </span>
    </>
  );
}

function CaseTable({ cases }: { cases: Dispute[] }) {
  return (
    <div className="table-wrap">
      <table aria-label="Your cases">
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Parties</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Escrow
            </th>
            <th scope="col">Fees paid</th>
            <th scope="col">Links</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((d) => (
            <tr key={d.id}>
              <td>
                <strong>{d.milestone_title}</strong>
                <br />
                <span className="muted">{d.contract_title}</span>
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
                <Money amount={d.escrow_amount} currency={d.currency} />
              </td>
              <td>
                <FeesPaid d={d} />
              </td>
              <td>
                <div className="button-row">
                  <Link to={`/disputes/${d.id}`} aria-label={`Open case ${d.milestone_title} (${d.contract_title})`}>
                    Open case
                  </Link>
                  <a href={`/v1/disputes/${encodeURIComponent(d.id)}/case_file`} download aria-label={`Case file (PDF) for ${d.milestone_title}`}>
                    Case file (PDF)
                  </a>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
