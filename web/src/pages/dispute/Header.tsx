// The top of the dispute page: what is disputed, between whom, how much,
// where it stands, who got what once resolved, and the next deadline phrased
// for the viewer with its exact local time and a live countdown.

import { Deadline, Money, Stat, StatusBadge, Time } from '../../components/ui.tsx';
import { Link } from '../../lib/router.tsx';
import type { Dispute, DisputeViewer } from '../../lib/types.ts';
import { deadlineLabel, outcomeLabel } from './labels.ts';
import { sideName } from './viewer.ts';

function Outcome({ dispute, viewer }: { dispute: Dispute; viewer: DisputeViewer }) {
  const outcome = dispute.outcome;
  if (!outcome) return null;
  const freelancer = sideName(dispute, viewer, 'freelancer');
  const client = sideName(dispute, viewer, 'client');
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return (
    <div className="alert alert-ok dispute-outcome">
      <p>
        <strong>{outcomeLabel(outcome.kind)}</strong> Resolved <Time at={outcome.resolved_at} />.
      </p>
      {outcome.kind !== 'withdrawn' && (
        <p>
          {capital(freelancer)} {viewer === 'freelancer' ? 'receive' : 'receives'} <Money amount={outcome.freelancer_amount} currency={dispute.currency} />{' '}
          (before Settle’s service fee); {client} {viewer === 'client' ? 'get' : 'gets'} <Money amount={outcome.client_amount} currency={dispute.currency} /> back.
        </p>
      )}
    </div>
  );
}

export function DisputeHeader({ dispute, viewer }: { dispute: Dispute; viewer: DisputeViewer }) {
  const next = dispute.next_deadline;
  return (
    <>
      <header className="page-header">
        <div>
          <p className="eyebrow">Dispute · {dispute.contract_title}</p>
          <h1>{dispute.milestone_title}</h1>
          <p className="muted">
            <Link to={`/contracts/${dispute.contract}`}>{dispute.contract_title}</Link>: {dispute.client.name} (client) and {dispute.freelancer.name} (freelancer)
          </p>
        </div>
        <div className="page-actions">
          <StatusBadge status={dispute.status} />
        </div>
      </header>
      <div className="grid grid-3 dispute-stats">
        <Stat label="Amount requested">
          <Money amount={dispute.amount_requested} currency={dispute.currency} />
        </Stat>
        <Stat label="Escrow in dispute">
          <Money amount={dispute.escrow_amount} currency={dispute.currency} />
        </Stat>
        <div className="stat">
          <p className="stat-label">Filed</p>
          <p className="dispute-filed">
            <Time at={dispute.filed_at} />
          </p>
        </div>
      </div>
      <Outcome dispute={dispute} viewer={viewer} />
      {next && (
        <p className="card dispute-deadline">
          <Deadline at={next.due_at} label={deadlineLabel(viewer, next)} />
        </p>
      )}
      {viewer === 'staff' && dispute.review_overdue && <p className="badge badge-bad">Overdue</p>}
    </>
  );
}
