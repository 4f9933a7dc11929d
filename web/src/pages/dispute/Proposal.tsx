// Mediation (PRODUCT.md "Disputes" 2–3): staff's proposal form in review,
// with the client's share computed as the freelancer's is typed; then the
// proposal as issued, each side's decision, and Accept / Reject for a party
// who has not answered yet.

import { useState, type FormEvent } from 'react';
import { errorFor, FormError, MoneyField, TextArea } from '../../components/Form.tsx';
import { Deadline, Money, Stat, Time } from '../../components/ui.tsx';
import { api } from '../../lib/api.ts';
import { parseMoney } from '../../lib/format.ts';
import { useAction } from '../../lib/hooks.ts';
import type { Dispute, DisputeViewer } from '../../lib/types.ts';
import type { Done } from './ClientResponse.tsx';
import { decisionOf } from './viewer.ts';

/** "Client receives $400.00" as the freelancer's share is typed; a hint when it is not a valid share. */
export function ClientShare({ dispute, typed }: { dispute: Dispute; typed: string }) {
  const minor = parseMoney(typed, dispute.currency);
  if (minor === null || minor > dispute.escrow_amount) {
    return (
      <p className="split-preview muted" role="status">
        Enter an amount between <Money amount={0} currency={dispute.currency} /> and <Money amount={dispute.escrow_amount} currency={dispute.currency} />.
      </p>
    );
  }
  return (
    <p className="split-preview" role="status">
      Client receives <Money amount={dispute.escrow_amount - minor} currency={dispute.currency} />
    </p>
  );
}

export function ProposalForm({ dispute, onDone }: { dispute: Dispute; onDone: Done }) {
  const [freelancer, setFreelancer] = useState('');
  const [explanation, setExplanation] = useState('');
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const amount = parseMoney(freelancer, dispute.currency);
    const ok = await action.run((key) => {
      if (amount === null) throw new Error('Enter the freelancer’s share as an amount, e.g. 600.00.');
      return api.post<Dispute>(`/v1/disputes/${dispute.id}/proposal`, { freelancer_amount: amount, explanation }, { idempotencyKey: key });
    });
    if (ok) onDone('Proposal issued. Both sides have 2 days to accept or reject it.');
  };
  return (
    <section className="card" aria-labelledby="proposal-form-heading">
      <h2 id="proposal-form-heading">Proposal</h2>
      <form onSubmit={submit} noValidate aria-label="Proposal">
        <p className="muted">
          Split the <Money amount={dispute.escrow_amount} currency={dispute.currency} /> in escrow. The proposal is not binding; each side has 2 days to accept or reject it.
        </p>
        <MoneyField
          label="Freelancer receives"
          currency={dispute.currency}
          value={freelancer}
          onValue={setFreelancer}
          hint={
            <>
              From <Money amount={0} currency={dispute.currency} /> to <Money amount={dispute.escrow_amount} currency={dispute.currency} />; Settle’s service fee comes off the freelancer’s share.
            </>
          }
          error={errorFor(action.error, 'freelancer_amount')}
        />
        <ClientShare dispute={dispute} typed={freelancer} />
        <TextArea label="Explanation" value={explanation} onValue={setExplanation} rows={5} error={errorFor(action.error, 'explanation')} />
        <FormError error={action.error} fields={['freelancer_amount', 'explanation']} />
        <button type="submit" className="button button-primary" disabled={action.pending}>
          Issue proposal
        </button>
      </form>
    </section>
  );
}

const decisionText = (d: 'accepted' | 'rejected' | null, open: boolean) => (d === 'accepted' ? 'Accepted' : d === 'rejected' ? 'Rejected' : open ? 'No answer yet' : 'Did not answer');

function Decide({ dispute, onDone }: { dispute: Dispute; onDone: Done }) {
  const action = useAction();
  const decide = async (verb: 'accept' | 'reject') => {
    const ok = await action.run((key) => api.post<Dispute>(`/v1/disputes/${dispute.id}/proposal/${verb}`, {}, { idempotencyKey: key }));
    if (ok) onDone(verb === 'accept' ? 'You accepted the proposal.' : 'You rejected the proposal. Either side may now opt in to binding arbitration.');
  };
  return (
    <>
      <div className="button-row">
        <button type="button" className="button button-primary" disabled={action.pending} onClick={() => void decide('accept')}>
          Accept proposal
        </button>
        <button type="button" className="button button-danger" disabled={action.pending} onClick={() => void decide('reject')}>
          Reject proposal
        </button>
      </div>
      <FormError error={action.error} />
    </>
  );
}

export function ProposalView({ dispute, viewer, canDecide, onDone }: { dispute: Dispute; viewer: DisputeViewer; canDecide: boolean; onDone: Done }) {
  const proposal = dispute.proposal;
  if (!proposal) return null;
  const mine = decisionOf(dispute, viewer);
  return (
    <section className="card" aria-labelledby="proposal-heading">
      <h2 id="proposal-heading">Settle’s proposal</h2>
      <div className="grid grid-2 split">
        <Stat label={`${dispute.freelancer.name} (freelancer) receives`} note={decisionText(proposal.freelancer_decision, dispute.status === 'proposal_issued')} noteTone="muted">
          <Money amount={proposal.freelancer_amount} currency={dispute.currency} />
        </Stat>
        <Stat label={`${dispute.client.name} (client) receives`} note={decisionText(proposal.client_decision, dispute.status === 'proposal_issued')} noteTone="muted">
          <Money amount={proposal.client_amount} currency={dispute.currency} />
        </Stat>
      </div>
      <p className="statement-text">{proposal.explanation}</p>
      <p className="muted">
        Issued <Time at={proposal.issued_at} />.{' '}
        {dispute.status === 'proposal_issued' && <Deadline at={proposal.due_at} label="Answers due" />}
      </p>
      {mine && <p className="alert alert-info">{mine === 'accepted' ? 'You accepted this proposal.' : 'You rejected this proposal.'}</p>}
      {canDecide && <Decide dispute={dispute} onDone={onDone} />}
    </section>
  );
}
