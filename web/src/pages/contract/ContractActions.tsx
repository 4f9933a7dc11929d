// Contract-level actions: answering an offer (freelancer), ending the
// contract with a confirmation that says what happens to the escrow for the
// viewer's role (PRODUCT.md "Milestones"), and adding a milestone (client).

import { useState, type FormEvent } from 'react';
import { FormError, MoneyField, TextArea, TextField, errorFor } from '../../components/Form.tsx';
import { Money } from '../../components/ui.tsx';
import { api } from '../../lib/api.ts';
import { parseMoney } from '../../lib/format.ts';
import { useAction } from '../../lib/hooks.ts';
import type { Contract } from '../../lib/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';

interface Props {
  contract: Contract;
  onDone(message: string): void;
}

export function OfferAnswer({ contract, onDone }: Props) {
  const action = useAction();
  const answer = async (choice: 'accept' | 'decline') => {
    const ok = await action.run((key) => api.post(`/v1/contracts/${contract.id}/${choice}`, {}, { idempotencyKey: key }));
    if (ok) onDone(choice === 'accept' ? 'Offer accepted. The client funds each milestone before you start on it.' : 'Offer declined.');
  };
  return (
    <div className="card offer-card">
      <h2>Offer from {contract.client.name}</h2>
      <p>Accept to start the contract. Nothing is charged to you; the client pays each milestone into escrow before you work on it.</p>
      <FormError error={action.error} />
      <div className="button-row">
        <button type="button" className="button button-primary" onClick={() => answer('accept')} disabled={action.pending}>
          Accept offer
        </button>
        <button type="button" className="button" onClick={() => answer('decline')} disabled={action.pending}>
          Decline offer
        </button>
      </div>
    </div>
  );
}

/** What ending does to this viewer's money, from the rules for their role. */
function EndingExplained({ contract }: { contract: Contract }) {
  const escrow = <Money amount={contract.escrow_amount} currency={contract.currency} />;
  const pending = contract.milestones.filter((m) => m.status === 'pending').length;
  return (
    <>
      {pending > 0 && <p>Milestones not yet funded ({pending}) are cancelled.</p>}
      {contract.escrow_amount === 0 ? (
        <p>No money is held in escrow, so no money moves.</p>
      ) : contract.your_role === 'client' ? (
        <p>
          Every milestone still holding escrow ({escrow} in all) gets an escrow refund request. The freelancer has 7 days to approve the refund or file a dispute;
          if they do nothing, the money returns to your balance.
        </p>
      ) : (
        <p>The escrow not yet released to you ({escrow}) goes back to the client now. You keep what was already released.</p>
      )}
      <p>This cannot be undone.</p>
    </>
  );
}

export function EndContract({ contract, onDone }: Props) {
  const action = useAction();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const confirm = async () => {
    const body = reason.trim() ? { reason: reason.trim() } : {};
    const ok = await action.run((key) => api.post(`/v1/contracts/${contract.id}/end`, body, { idempotencyKey: key }));
    if (ok) {
      setOpen(false);
      onDone('Contract ended.');
    }
  };
  return (
    <>
      <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
        End contract
      </button>
      <ConfirmDialog open={open} title="End this contract?" confirmLabel="Yes, end contract" danger pending={action.pending} onConfirm={confirm} onCancel={() => setOpen(false)}>
        <EndingExplained contract={contract} />
        <TextArea label="Reason (optional)" value={reason} onValue={setReason} rows={2} error={errorFor(action.error, 'reason')} />
        <FormError error={action.error} fields={['reason']} />
      </ConfirmDialog>
    </>
  );
}

export function AddMilestone({ contract, onDone }: Props) {
  const action = useAction();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [amountText, setAmountText] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [localAmount, setLocalAmount] = useState<string>();
  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Add milestone
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const amount = parseMoney(amountText, contract.currency);
    setLocalAmount(amount === null || amount <= 0 ? 'Enter an amount above zero, such as 250.00.' : undefined);
    if (amount === null || amount <= 0) return;
    const body = { title, amount, ...(dueDate ? { due_date: dueDate } : {}) };
    const ok = await action.run((key) => api.post(`/v1/contracts/${contract.id}/milestones`, body, { idempotencyKey: key }));
    if (ok) {
      setOpen(false);
      setTitle('');
      setAmountText('');
      setDueDate('');
      onDone(`Milestone “${title}” added.`);
    }
  };
  return (
    <form className="card milestone-form" onSubmit={submit} aria-label="Add a milestone" noValidate>
      <h2>Add a milestone</h2>
      <div className="form-row">
        <TextField label="Milestone title" value={title} onValue={setTitle} error={errorFor(action.error, 'title')} />
        <MoneyField label="Amount" currency={contract.currency} value={amountText} onValue={setAmountText} error={localAmount ?? errorFor(action.error, 'amount')} />
        <TextField label="Due date (optional)" type="date" value={dueDate} onValue={setDueDate} error={errorFor(action.error, 'due_date')} />
      </div>
      <FormError error={action.error} fields={['title', 'amount', 'due_date']} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={action.pending}>
          Add milestone
        </button>
        <button type="button" className="button button-quiet" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
