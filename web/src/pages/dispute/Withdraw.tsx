// The freelancer's withdrawal before a proposal: confirmed in a dialog, since
// the dispute then closes and the milestone goes back to where it was.

import { useState } from 'react';
import { FormError } from '../../components/Form.tsx';
import { api } from '../../lib/api.ts';
import { useAction } from '../../lib/hooks.ts';
import type { Dispute } from '../../lib/types.ts';
import type { Done } from './ClientResponse.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';

export function Withdraw({ dispute, onDone }: { dispute: Dispute; onDone: Done }) {
  const [open, setOpen] = useState(false);
  const action = useAction();
  const confirm = async () => {
    const ok = await action.run((key) => api.post<Dispute>(`/v1/disputes/${dispute.id}/withdraw`, {}, { idempotencyKey: key }));
    setOpen(false);
    if (ok) onDone('You withdrew the dispute. The milestone is back where it was, with the time it had left.');
  };
  return (
    <section className="card" aria-labelledby="withdraw-heading">
      <h2 id="withdraw-heading">Withdraw</h2>
      <p className="muted">You may withdraw until Settle issues a proposal. The milestone then returns to its earlier state with the time that was left on its clock.</p>
      <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
        Withdraw dispute
      </button>
      <FormError error={action.error} />
      <ConfirmDialog open={open} title="Withdraw this dispute?" confirmLabel="Yes, withdraw" danger pending={action.pending} onConfirm={confirm} onCancel={() => setOpen(false)}>
        <p>The dispute closes for good; you can’t reopen it, though you may file a new one while the milestone still allows it.</p>
      </ConfirmDialog>
    </section>
  );
}
