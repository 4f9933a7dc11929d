// Both sides' statements as filed: the freelancer's filing and the client's
// response, each with its reason, description and files. Statements never
// change once submitted, so they are shown as a record, not as editable text.

import { Money, Time } from '../../components/ui.tsx';
import type { Dispute } from '../../lib/types.ts';
import { FileLinks } from '../../components/FileLinks.tsx';
import { reasonLabel } from './labels.ts';

function Filing({ dispute }: { dispute: Dispute }) {
  return (
    <article className="statement" aria-label="The freelancer’s filing">
      <h3>
        {dispute.freelancer.name} <span className="muted">(freelancer) filed</span>
      </h3>
      <dl className="facts">
        <dt>Filed</dt>
        <dd>
          <Time at={dispute.filed_at} />
        </dd>
        <dt>Reason</dt>
        <dd>{reasonLabel(dispute.reason_code)}</dd>
        <dt>Requested</dt>
        <dd>
          <Money amount={dispute.amount_requested} currency={dispute.currency} /> of <Money amount={dispute.escrow_amount} currency={dispute.currency} /> in escrow
        </dd>
      </dl>
      <p className="statement-text">{dispute.description}</p>
      <FileLinks ids={dispute.file_ids} label="Files from the freelancer" />
    </article>
  );
}

function Response({ dispute }: { dispute: Dispute }) {
  const response = dispute.response;
  if (!response) {
    return (
      <article className="statement" aria-label="The client’s response">
        <h3>
          {dispute.client.name} <span className="muted">(client)</span>
        </h3>
        <p className="muted">{dispute.status === 'withdrawn' ? 'The dispute was withdrawn before the client responded.' : 'The client has not responded yet.'}</p>
      </article>
    );
  }
  return (
    <article className="statement" aria-label="The client’s response">
      <h3>
        {dispute.client.name} <span className="muted">(client) {response.decision}</span>
      </h3>
      <dl className="facts">
        <dt>Responded</dt>
        <dd>
          <Time at={response.responded_at} />
        </dd>
        <dt>Decision</dt>
        <dd>{response.decision === 'approved' ? 'Approved the requested amount' : 'Declined'}</dd>
        {response.reason_code && (
          <>
            <dt>Reason</dt>
            <dd>{reasonLabel(response.reason_code)}</dd>
          </>
        )}
      </dl>
      {response.description && <p className="statement-text">{response.description}</p>}
      <FileLinks ids={response.file_ids} label="Files from the client" />
    </article>
  );
}

export function Statements({ dispute }: { dispute: Dispute }) {
  return (
    <section className="card" aria-labelledby="statements-heading">
      <h2 id="statements-heading">Statements</h2>
      <div className="grid grid-2">
        <Filing dispute={dispute} />
        <Response dispute={dispute} />
      </div>
    </section>
  );
}
