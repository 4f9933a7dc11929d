// Binding arbitration (PRODUCT.md "Disputes" 4–5): the fee each side pays to
// opt in and who has paid, the assigned arbitrator, and the award. Parties
// opt in here; the assigned arbitrator downloads the case file and records
// the award, confirmed first because it is final.

import { useState, type FormEvent } from 'react';
import { errorFor, FormError, MoneyField, SelectField, TextArea } from '../../components/Form.tsx';
import { Money, Time } from '../../components/ui.tsx';
import { api } from '../../lib/api.ts';
import { parseMoney } from '../../lib/format.ts';
import { useAction } from '../../lib/hooks.ts';
import type { Dispute } from '../../lib/types.ts';
import type { Done } from './ClientResponse.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ClientShare } from './Proposal.tsx';

const PAY_WITH = [
  { value: 'pm_card_visa', label: 'Card' },
  { value: 'balance', label: 'Balance' },
];

export function OptIn({ dispute, onDone }: { dispute: Dispute; onDone: Done }) {
  const [method, setMethod] = useState('pm_card_visa');
  const action = useAction();
  const fee = dispute.arbitration?.fee_amount ?? 0;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run((key) => api.post<Dispute>(`/v1/disputes/${dispute.id}/arbitration`, { payment_method: method }, { idempotencyKey: key }));
    if (ok) onDone('Your arbitration fee is paid. If the other side pays too, an arbitrator decides; if not, the escrow comes to you when the window closes.');
  };
  return (
    <form onSubmit={submit} className="opt-in" aria-label="Opt in to arbitration">
      <SelectField label="Pay with" options={PAY_WITH} value={method} onValue={setMethod} />
      <FormError error={action.error} />
      <button type="submit" className="button button-primary" disabled={action.pending}>
        Opt in to arbitration — pay <Money amount={fee} currency={dispute.currency} />
      </button>
    </form>
  );
}

function AwardForm({ dispute, onDone }: { dispute: Dispute; onDone: Done }) {
  const [freelancer, setFreelancer] = useState('');
  const [decision, setDecision] = useState('');
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const amount = parseMoney(freelancer, dispute.currency);
  const review = (event: FormEvent) => {
    event.preventDefault();
    action.clear();
    setConfirming(true);
  };
  const submit = async () => {
    const ok = await action.run((key) => {
      if (amount === null) throw new Error('Enter the freelancer’s award as an amount, e.g. 600.00.');
      return api.post<Dispute>(`/v1/disputes/${dispute.id}/award`, { freelancer_amount: amount, decision }, { idempotencyKey: key });
    });
    setConfirming(false);
    if (ok) onDone('Award recorded. The money has moved as awarded.');
  };
  return (
    <form onSubmit={review} noValidate aria-label="Award" className="award-form">
      <h3>Award</h3>
      <MoneyField label="Award to freelancer" currency={dispute.currency} value={freelancer} onValue={setFreelancer} error={errorFor(action.error, 'freelancer_amount')} />
      <ClientShare dispute={dispute} typed={freelancer} />
      <TextArea label="Decision" value={decision} onValue={setDecision} rows={6} hint="Give the reasons; both sides receive them." error={errorFor(action.error, 'decision')} />
      <FormError error={action.error} fields={['freelancer_amount', 'decision']} />
      <button type="submit" className="button button-primary">
        Issue award
      </button>
      <ConfirmDialog open={confirming} title="Awards are final and binding" confirmLabel="Yes, issue award" pending={action.pending} onConfirm={submit} onCancel={() => setConfirming(false)}>
        {amount !== null && amount <= dispute.escrow_amount ? (
          <p>
            {dispute.freelancer.name} (freelancer) receives <Money amount={amount} currency={dispute.currency} /> and {dispute.client.name} (client) gets{' '}
            <Money amount={dispute.escrow_amount - amount} currency={dispute.currency} /> back. The money moves at once.
          </p>
        ) : (
          <p>The amount is not a share of the escrow; the award will be refused.</p>
        )}
      </ConfirmDialog>
    </form>
  );
}

function FeeStatus({ dispute }: { dispute: Dispute }) {
  const a = dispute.arbitration!;
  const row = (name: string, role: string, paid: boolean) => (
    <li>
      {name} ({role}): {paid ? <strong>paid</strong> : 'not paid'}
    </li>
  );
  return (
    <>
      <p>
        Fee per party: <Money amount={a.fee_amount} currency={dispute.currency} />
      </p>
      <ul className="fee-status" aria-label="Arbitration fees">
        {row(dispute.client.name, 'client', a.client_paid)}
        {row(dispute.freelancer.name, 'freelancer', a.freelancer_paid)}
      </ul>
    </>
  );
}

interface ArbitrationProps {
  dispute: Dispute;
  canOptIn: boolean;
  canAward: boolean;
  onDone: Done;
}

export function Arbitration({ dispute, canOptIn, canAward, onDone }: ArbitrationProps) {
  const a = dispute.arbitration;
  if (!a) return null;
  return (
    <section className="card" aria-labelledby="arbitration-heading">
      <h2 id="arbitration-heading">Arbitration</h2>
      {dispute.status === 'not_resolved' && (
        <p className="muted">
          Mediation ended without agreement. Each side may opt in to binding arbitration by paying its fee. If only one side pays, the escrow goes to that side and its fee is refunded; if
          neither pays, the escrow returns to the client.
        </p>
      )}
      <FeeStatus dispute={dispute} />
      {a.arbitrator && (
        <p>
          Arbitrator: <strong>{a.arbitrator.name}</strong>
          {a.started_at && (
            <>
              {' '}
              (since <Time at={a.started_at} />)
            </>
          )}
        </p>
      )}
      {a.award && (
        <div className="award">
          <h3>Award</h3>
          <p>
            {dispute.freelancer.name} (freelancer) receives <Money amount={a.award.freelancer_amount} currency={dispute.currency} />; {dispute.client.name} (client) receives{' '}
            <Money amount={a.award.client_amount} currency={dispute.currency} />. Decided <Time at={a.award.decided_at} />.
          </p>
          <p className="statement-text">{a.award.decision}</p>
        </div>
      )}
      {canOptIn && <OptIn dispute={dispute} onDone={onDone} />}
      {canAward && (
        <>
          <p>
            <a className="button" href={`/v1/disputes/${dispute.id}/case_file`} download>
              Download case file (PDF)
            </a>
          </p>
          <AwardForm dispute={dispute} onDone={onDone} />
        </>
      )}
    </section>
  );
}
