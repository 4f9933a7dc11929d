// The client's one response to a dispute (PRODUCT.md "Disputes" 1): "Yes, I
// approve" releases the requested amount; "Decline" states a reason, a
// description and evidence, confirmed in a dialog because it can never be
// edited afterwards. The API's errors come back under the fields they name.

import { useState, type FormEvent } from 'react';
import { DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS } from '../../../../src/domain/dispute.ts';
import { errorFor, FilesField, FormActions, FormError, SelectField, TextArea } from '../../components/Form.tsx';
import { Money } from '../../components/ui.tsx';
import { api } from '../../lib/api.ts';
import { formatBytes } from '../../lib/format.ts';
import { useAction } from '../../lib/hooks.ts';
import type { Dispute, FileObject } from '../../lib/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DECLINE_OPTIONS, reasonLabel } from './labels.ts';

export type Done = (message: string) => void;

function Approve({ dispute, onDone }: { dispute: Dispute; onDone: Done }) {
  const [open, setOpen] = useState(false);
  const action = useAction();
  const rest = dispute.escrow_amount - dispute.amount_requested;
  const confirm = async () => {
    const ok = await action.run((key) => api.post<Dispute>(`/v1/disputes/${dispute.id}/approve`, {}, { idempotencyKey: key }));
    setOpen(false);
    if (ok) onDone(`You approved: ${dispute.freelancer.name} is paid the requested amount.`);
  };
  return (
    <>
      <button type="button" className="button button-primary" onClick={() => setOpen(true)}>
        Yes, I approve
      </button>
      <FormError error={action.error} />
      <ConfirmDialog open={open} title="Release the requested payment?" confirmLabel="Yes, release payment" pending={action.pending} onConfirm={confirm} onCancel={() => setOpen(false)}>
        <p>
          Settle releases <Money amount={dispute.amount_requested} currency={dispute.currency} /> to {dispute.freelancer.name} (the freelancer) and the dispute ends.
        </p>
        {rest > 0 && (
          <p>
            The rest of the escrow, <Money amount={rest} currency={dispute.currency} />, returns to you.
          </p>
        )}
        <p>This can’t be undone.</p>
      </ConfirmDialog>
    </>
  );
}

function DeclineSummary({ reason, description, files }: { reason: string; description: string; files: FileObject[] }) {
  return (
    <dl className="facts decline-summary">
      <dt>Reason</dt>
      <dd>{reason ? reasonLabel(reason) : <span className="muted">none chosen</span>}</dd>
      <dt>Description</dt>
      <dd className="statement-text">{description.trim() || <span className="muted">empty</span>}</dd>
      <dt>Attachments</dt>
      <dd>{files.length ? files.map((f) => `${f.filename} (${formatBytes(f.size)})`).join(', ') : 'none'}</dd>
    </dl>
  );
}

function DeclineForm({ dispute, onDone, onCancel }: { dispute: Dispute; onDone: Done; onCancel(): void }) {
  const [reason, setReason] = useState('');
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<FileObject[]>([]);
  const [reviewing, setReviewing] = useState(false);
  const action = useAction();
  const review = (event: FormEvent) => {
    event.preventDefault();
    action.clear();
    setReviewing(true);
  };
  const submit = async () => {
    const body = { reason_code: reason, description, file_ids: files.map((f) => f.id) };
    const ok = await action.run((key) => api.post<Dispute>(`/v1/disputes/${dispute.id}/decline`, body, { idempotencyKey: key }));
    setReviewing(false);
    if (ok) onDone('Your response was sent. Settle’s staff will review both sides and propose a split.');
  };
  const count = description.trim().length;
  return (
    <form className="card decline-form" onSubmit={review} noValidate aria-labelledby="decline-heading">
      <h3 id="decline-heading">Decline the request</h3>
      <p className="muted">Tell Settle’s staff what was agreed and how it was or was not met, and attach your evidence.</p>
      <SelectField label="Reason" options={DECLINE_OPTIONS} placeholder="Choose a reason" value={reason} onValue={setReason} error={errorFor(action.error, 'reason_code')} required />
      <TextArea
        label="Description"
        value={description}
        onValue={setDescription}
        maxLength={DESCRIPTION_MAX_CHARS}
        rows={6}
        hint={`${count} / ${DESCRIPTION_MAX_CHARS} characters (at least ${DESCRIPTION_MIN_CHARS})`}
        error={errorFor(action.error, 'description')}
        required
      />
      <FilesField label="Attachments" files={files} onFiles={setFiles} error={errorFor(action.error, 'file_ids')} />
      <FormError error={action.error} fields={['reason_code', 'description', 'file_ids']} />
      <FormActions label="Review and send" onCancel={onCancel} />
      <ConfirmDialog open={reviewing} title="Check your response" confirmLabel="Submit response" pending={action.pending} onConfirm={submit} onCancel={() => setReviewing(false)}>
        <p className="alert alert-warn">You won't be able to edit details after submission.</p>
        <DeclineSummary reason={reason} description={description} files={files} />
      </ConfirmDialog>
    </form>
  );
}

/** The client's buttons while the dispute awaits their response. */
export function ClientResponse({ dispute, onDone }: { dispute: Dispute; onDone: Done }) {
  const [declining, setDeclining] = useState(false);
  return (
    <section className="card" aria-labelledby="respond-heading">
      <h2 id="respond-heading">Your response</h2>
      <p>
        {dispute.freelancer.name} asks for <Money amount={dispute.amount_requested} currency={dispute.currency} /> of the <Money amount={dispute.escrow_amount} currency={dispute.currency} /> in
        escrow. Approve to release it, or decline and explain why.
      </p>
      <div className="button-row">
        <Approve dispute={dispute} onDone={onDone} />
        {!declining && (
          <button type="button" className="button button-danger" onClick={() => setDeclining(true)}>
            Decline
          </button>
        )}
      </div>
      {declining && <DeclineForm dispute={dispute} onDone={onDone} onCancel={() => setDeclining(false)} />}
    </section>
  );
}
