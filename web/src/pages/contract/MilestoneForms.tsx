// The forms behind each milestone action (fund, submit work, approve, request
// changes, approve a refund, file a dispute). Each posts one API call with the
// action's idempotency key, shows the API's error under the field it names,
// and hands a short success message back to the page, which reloads.

import { useState, type FormEvent } from 'react';
import { DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS, FILING_REASONS } from '../../../../src/domain/dispute.ts';
import { FilesField, FormActions, FormError, MoneyField, SelectField, TextArea, errorFor } from '../../components/Form.tsx';
import { Money } from '../../components/ui.tsx';
import { api } from '../../lib/api.ts';
import { feePercent, releaseNet, useFees } from '../../lib/fees.ts';
import { formatMoney, moneyInputValue, parseMoney } from '../../lib/format.ts';
import { useAction } from '../../lib/hooks.ts';
import { useRouter } from '../../lib/router.tsx';
import { useSession } from '../../lib/session.tsx';
import type { Contract, Dispute, FileObject, Milestone } from '../../lib/types.ts';

export interface ActionProps {
  contract: Contract;
  milestone: Milestone;
  onDone(message: string): void;
  onCancel(): void;
}

const CARD = 'pm_card_visa';

/** Pay with: the sandbox's test card that is declined is offered only with the sandbox clock. */
function paymentOptions(sandbox: boolean) {
  const options = [
    { value: CARD, label: 'Card' },
    { value: 'balance', label: 'Balance' },
  ];
  return sandbox ? [...options, { value: 'pm_card_declined', label: 'Declined test card (sandbox)' }] : options;
}

export function FundForm({ milestone, onDone }: Omit<ActionProps, 'onCancel' | 'contract'>) {
  const { clock } = useSession();
  const action = useAction();
  const [method, setMethod] = useState(CARD);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run((key) => api.post(`/v1/milestones/${milestone.id}/fund`, { payment_method: method }, { idempotencyKey: key }));
    if (ok) onDone(`${milestone.title} is funded: ${formatMoney(milestone.amount, milestone.currency)} is held in escrow.`);
  };
  return (
    <form className="milestone-form inline-form" onSubmit={submit} aria-label={`Fund ${milestone.title}`}>
      <SelectField label="Pay with" options={paymentOptions(clock?.mode === 'manual')} value={method} onValue={setMethod} error={errorFor(action.error, 'payment_method')} />
      <button type="submit" className="button button-primary" disabled={action.pending}>
        {action.pending ? 'Funding…' : 'Fund milestone'}
      </button>
      <FormError error={action.error} fields={['payment_method']} />
    </form>
  );
}

export function SubmitWorkForm({ milestone, onDone, onCancel }: Omit<ActionProps, 'contract'>) {
  const action = useAction();
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<FileObject[]>([]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = { message, file_ids: files.map((f) => f.id) };
    const ok = await action.run((key) => api.post(`/v1/milestones/${milestone.id}/submit`, body, { idempotencyKey: key }));
    if (ok) onDone(`Work on ${milestone.title} is sent for review.`);
  };
  return (
    <form className="milestone-form" onSubmit={submit} aria-label={`Submit work on ${milestone.title}`}>
      <TextArea label="Message" value={message} onValue={setMessage} required hint="What you delivered, and where to find it." error={errorFor(action.error, 'message')} />
      <FilesField label="Attachments" files={files} onFiles={setFiles} error={errorFor(action.error, 'file_ids')} />
      <p className="hint">The client then has 14 days to approve or ask for changes; if they do nothing, the payment is released to you.</p>
      <FormError error={action.error} fields={['message', 'file_ids']} />
      <FormActions label="Send for review" pendingLabel="Sending…" pending={action.pending} onCancel={onCancel} />
    </form>
  );
}

/** Amount to release (defaults to all escrow) and an optional bonus; a partial release asks the freelancer for the rest back. */
export function ApproveForm({ milestone, onDone, onCancel }: Omit<ActionProps, 'contract'>) {
  const currency = milestone.currency;
  const action = useAction();
  const [amountText, setAmountText] = useState(moneyInputValue(milestone.escrow_amount, currency));
  const [bonusText, setBonusText] = useState('');
  const [local, setLocal] = useState<{ amount?: string; bonus?: string }>({});
  const amount = parseMoney(amountText, currency);
  const bonus = bonusText.trim() === '' ? 0 : parseMoney(bonusText, currency);
  const rest = amount !== null && amount <= milestone.escrow_amount ? milestone.escrow_amount - amount : null;
  const fees = useFees();
  const released = amount !== null && amount > 0 && amount <= milestone.escrow_amount ? releaseNet(bonus ? [amount, bonus] : [amount], fees?.service_fee_bps ?? 0) : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: { amount?: string; bonus?: string } = {};
    if (amount === null || amount <= 0) errors.amount = `Enter an amount above zero, such as ${moneyInputValue(milestone.escrow_amount, currency)}.`;
    else if (amount > milestone.escrow_amount) errors.amount = `At most ${formatMoney(milestone.escrow_amount, currency)}, what this milestone holds in escrow.`;
    if (bonus === null) errors.bonus = 'Enter an amount such as 50.00, or leave it empty.';
    setLocal(errors);
    if (errors.amount || errors.bonus) return;
    const body = { amount: amount!, ...(bonus ? { bonus } : {}) };
    const ok = await action.run((key) => api.post(`/v1/milestones/${milestone.id}/approve`, body, { idempotencyKey: key }));
    if (ok) onDone(`${formatMoney(amount!, currency)} released${bonus ? ` with a ${formatMoney(bonus, currency)} bonus` : ''} to the freelancer.`);
  };
  return (
    <form className="milestone-form" onSubmit={submit} aria-label={`Approve ${milestone.title}`} noValidate>
      <div className="form-row">
        <MoneyField label="Amount to release" currency={currency} value={amountText} onValue={setAmountText} error={local.amount ?? errorFor(action.error, 'amount')} />
        <MoneyField
          label="Bonus (optional)"
          currency={currency}
          value={bonusText}
          onValue={setBonusText}
          hint="Paid on top, from your balance if it covers it, else by card."
          error={local.bonus ?? errorFor(action.error, 'bonus', 'payment_method')}
        />
      </div>
      {fees && released && (
        <p className="hint" role="note">
          The freelancer receives <Money amount={released.net} currency={currency} /> after Settle’s {feePercent(fees.service_fee_bps)} service fee (
          <Money amount={released.fee} currency={currency} />
          ), held for 5 days before they can pay it out.
        </p>
      )}
      {rest !== null && rest > 0 && (
        <p className="alert alert-info">
          The remaining <Money amount={rest} currency={currency} /> becomes a refund request: the freelancer has 7 days to approve it or file a dispute; if they do
          nothing it returns to your balance.
        </p>
      )}
      <FormError error={action.error} fields={['amount', 'bonus', 'payment_method']} />
      <FormActions label="Release payment" pendingLabel="Releasing…" pending={action.pending} onCancel={onCancel} />
    </form>
  );
}

export function RequestChangesForm({ milestone, onDone, onCancel }: Omit<ActionProps, 'contract'>) {
  const action = useAction();
  const [message, setMessage] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run((key) => api.post(`/v1/milestones/${milestone.id}/request_changes`, { message }, { idempotencyKey: key }));
    if (ok) onDone(`Changes requested on ${milestone.title}. The review window stops until the work comes back.`);
  };
  return (
    <form className="milestone-form" onSubmit={submit} aria-label={`Request changes on ${milestone.title}`}>
      <TextArea label="What needs to change" value={message} onValue={setMessage} required error={errorFor(action.error, 'message')} />
      <FormError error={action.error} fields={['message']} />
      <FormActions label="Send request" pendingLabel="Sending…" pending={action.pending} onCancel={onCancel} />
    </form>
  );
}

export function ApproveRefundButton({ milestone, onDone }: Omit<ActionProps, 'onCancel' | 'contract'>) {
  const action = useAction();
  const approve = async () => {
    const ok = await action.run((key) => api.post(`/v1/milestones/${milestone.id}/refund/approve`, {}, { idempotencyKey: key }));
    if (ok) onDone(`Refund approved: ${formatMoney(milestone.escrow_amount, milestone.currency)} goes back to the client.`);
  };
  return (
    <>
      <button type="button" className="button" onClick={approve} disabled={action.pending}>
        {action.pending ? 'Approving…' : 'Approve refund'}
      </button>
      <FormError error={action.error} />
    </>
  );
}

export function FileDisputeForm({ milestone, onCancel }: Omit<ActionProps, 'contract' | 'onDone'>) {
  const currency = milestone.currency;
  const { navigate } = useRouter();
  const action = useAction();
  const [amountText, setAmountText] = useState(moneyInputValue(milestone.escrow_amount, currency));
  const [reason, setReason] = useState('');
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<FileObject[]>([]);
  const [local, setLocal] = useState<{ amount?: string; reason?: string; description?: string }>({});
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const amount = parseMoney(amountText, currency);
    const errors: typeof local = {};
    if (amount === null || amount <= 0) errors.amount = 'Enter an amount above zero.';
    else if (amount > milestone.escrow_amount) errors.amount = `At most ${formatMoney(milestone.escrow_amount, currency)}, what this milestone holds in escrow.`;
    if (!reason) errors.reason = 'Choose a reason.';
    const length = description.trim().length;
    if (length < DESCRIPTION_MIN_CHARS) errors.description = `Describe what happened in at least ${DESCRIPTION_MIN_CHARS} characters.`;
    if (length > DESCRIPTION_MAX_CHARS) errors.description = `At most ${DESCRIPTION_MAX_CHARS} characters.`;
    setLocal(errors);
    if (Object.keys(errors).length) return;
    let dispute: Dispute | undefined;
    const body = { milestone_id: milestone.id, amount: amount!, reason_code: reason, description, file_ids: files.map((f) => f.id) };
    const ok = await action.run(async (key) => {
      dispute = await api.post<Dispute>('/v1/disputes', body, { idempotencyKey: key });
    });
    if (ok && dispute) navigate(`/disputes/${dispute.id}`);
  };
  return (
    <form className="milestone-form" onSubmit={submit} aria-label={`File a dispute on ${milestone.title}`} noValidate>
      <p className="hint">
        The client has 5 business days to respond. Escrow in this milestone: <Money amount={milestone.escrow_amount} currency={currency} />.
      </p>
      <MoneyField label="Amount requested" currency={currency} value={amountText} onValue={setAmountText} error={local.amount ?? errorFor(action.error, 'amount')} />
      <SelectField label="Reason" options={FILING_REASONS} placeholder="Choose a reason" value={reason} onValue={setReason} error={local.reason ?? errorFor(action.error, 'reason_code')} />
      <TextArea
        label="Description"
        value={description}
        onValue={setDescription}
        maxLength={DESCRIPTION_MAX_CHARS}
        hint={`${DESCRIPTION_MIN_CHARS}–${DESCRIPTION_MAX_CHARS} characters: what was agreed, what you delivered, what is unpaid.`}
        error={local.description ?? errorFor(action.error, 'description')}
      />
      <FilesField label="Attachments" files={files} onFiles={setFiles} error={errorFor(action.error, 'file_ids')} />
      <FormError error={action.error} fields={['amount', 'reason_code', 'description', 'file_ids']} />
      <FormActions label="File dispute" pendingLabel="Filing…" pending={action.pending} tone="danger" onCancel={onCancel} />
    </form>
  );
}
