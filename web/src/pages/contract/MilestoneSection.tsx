// One milestone as a region named by its title: state, money, the running
// deadline, the work submitted and the changes asked for, and the actions the
// state machine table opens to the viewer.

import { useId, useState } from 'react';
import { Deadline, Money, StatusBadge, Time } from '../../components/ui.tsx';
import { Link } from '../../lib/router.tsx';
import type { Contract, Milestone } from '../../lib/types.ts';
import { milestoneActions, milestoneDeadline, type MilestoneUiAction } from './actions.ts';
import { FileLinks } from '../../components/FileLinks.tsx';
import { ApproveForm, ApproveRefundButton, FileDisputeForm, FundForm, RequestChangesForm, SubmitWorkForm } from './MilestoneForms.tsx';

type OpenForm = Extract<MilestoneUiAction, 'submit' | 'approve' | 'request_changes' | 'file_dispute'>;

const OPENERS: Record<OpenForm, { label: string; tone: string }> = {
  submit: { label: 'Submit work', tone: 'button-primary' },
  approve: { label: 'Approve & release', tone: 'button-primary' },
  request_changes: { label: 'Request changes', tone: '' },
  file_dispute: { label: 'File a dispute', tone: 'button-danger' },
};

/** What the state means for the viewer, in a sentence. */
function guidance(m: Milestone, role: Contract['your_role']): string | null {
  const mine = role === 'client';
  switch (m.status) {
    case 'pending':
      return mine ? 'Fund this milestone to let the freelancer start: the money is held in escrow until you release it.' : 'Waiting for the client to fund this milestone. Start work once it is funded.';
    case 'funded':
      return mine ? 'Funded. The freelancer submits work here when it is done.' : 'Funded: the money is in escrow. Submit your work when it is done.';
    case 'submitted':
      return mine ? 'Review the work: approve it, or request changes. If you do nothing, the payment is released when the review window ends.' : 'Waiting for the client to review your work.';
    case 'changes_requested':
      return mine ? 'Waiting for the freelancer to submit the changes.' : 'The client asked for changes. Submit the work again when it is ready.';
    case 'refund_requested':
      return mine
        ? 'You asked for the rest of the escrow back. The freelancer can approve the refund or file a dispute; if they do nothing, it returns to your balance.'
        : 'The client asks for the rest of the escrow back. Approve the refund, or file a dispute before the deadline; if you do nothing, it is refunded.';
    case 'in_dispute':
      return 'This milestone is in dispute: its escrow stays held until the dispute is resolved.';
    default:
      return null;
  }
}

export function MilestoneSection({ contract, milestone: m, onDone }: { contract: Contract; milestone: Milestone; onDone(message: string): void }) {
  const headingId = useId();
  const [open, setOpen] = useState<OpenForm | null>(null);
  const actions = milestoneActions(m, contract.your_role, contract.status);
  const deadline = milestoneDeadline(m);
  const done = (message: string) => {
    setOpen(null);
    onDone(message);
  };
  const text = guidance(m, contract.your_role);
  return (
    <section className="card milestone" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>{m.title}</h2>
        <StatusBadge status={m.status} />
      </div>
      <dl className="facts milestone-facts">
        <dt>Amount</dt>
        <dd>
          <Money amount={m.amount} currency={m.currency} />
        </dd>
        <dt>In escrow</dt>
        <dd>
          <Money amount={m.escrow_amount} currency={m.currency} />
        </dd>
        <dt>Released</dt>
        <dd>
          <Money amount={m.released_amount} currency={m.currency} />
        </dd>
        {m.refunded_amount > 0 && (
          <>
            <dt>Refunded</dt>
            <dd>
              <Money amount={m.refunded_amount} currency={m.currency} />
            </dd>
          </>
        )}
        {m.bonus_amount > 0 && (
          <>
            <dt>Bonus</dt>
            <dd>
              <Money amount={m.bonus_amount} currency={m.currency} />
            </dd>
          </>
        )}
        {m.due_date && (
          <>
            <dt>Due date</dt>
            <dd>{m.due_date}</dd>
          </>
        )}
      </dl>
      {deadline && (
        <p className="milestone-deadline">
          <Deadline at={deadline.at} label={deadline.label} />
        </p>
      )}
      {text && <p className="muted">{text}</p>}
      {m.dispute && (
        <p>
          <Link to={`/disputes/${m.dispute}`} className="button button-small">
            See Dispute
          </Link>
        </p>
      )}
      <History milestone={m} />
      {actions.includes('fund') && <FundForm milestone={m} onDone={done} />}
      {actions.includes('approve_refund') && (
        <div className="button-row">
          <ApproveRefundButton milestone={m} onDone={done} />
        </div>
      )}
      {open === null ? (
        <div className="button-row">
          {(Object.keys(OPENERS) as OpenForm[])
            .filter((a) => actions.includes(a))
            .map((a) => (
              <button key={a} type="button" className={`button ${OPENERS[a].tone}`} onClick={() => setOpen(a)}>
                {OPENERS[a].label}
              </button>
            ))}
        </div>
      ) : (
        <OpenedForm form={open} contract={contract} milestone={m} onDone={done} onCancel={() => setOpen(null)} />
      )}
    </section>
  );
}

function OpenedForm({ form, ...props }: { form: OpenForm; contract: Contract; milestone: Milestone; onDone(message: string): void; onCancel(): void }) {
  if (form === 'submit') return <SubmitWorkForm {...props} />;
  if (form === 'approve') return <ApproveForm {...props} />;
  if (form === 'request_changes') return <RequestChangesForm {...props} />;
  return <FileDisputeForm {...props} />;
}

/** Submissions and change requests, oldest first. */
function History({ milestone: m }: { milestone: Milestone }) {
  const entries = [
    ...m.submissions.map((s, i) => ({ at: s.submitted_at, key: `s${i}`, title: 'Work submitted', message: s.message, files: s.file_ids })),
    ...m.change_requests.map((c, i) => ({ at: c.requested_at, key: `c${i}`, title: 'Changes requested', message: c.message, files: [] as string[] })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  if (entries.length === 0) return null;
  return (
    <ol className="timeline milestone-history" aria-label={`History of ${m.title}`}>
      {entries.map((e) => (
        <li key={e.key}>
          <strong>{e.title}</strong>{' '}
          <span className="when">
            <Time at={e.at} />
          </span>
          <p className="history-message">{e.message}</p>
          <FileLinks ids={e.files} />
        </li>
      ))}
    </ol>
  );
}
