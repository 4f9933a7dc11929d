// The dispute's record: every event from GET /v1/disputes/:id/events, oldest
// first, with who acted and the amounts it carried, and the last hash of the
// chain (the "Record fingerprint") that anyone with access can verify.

import { Money, Time } from '../../components/ui.tsx';
import { humanize } from '../../lib/format.ts';
import type { Currency, Dispute, DisputeEvent } from '../../lib/types.ts';
import { eventLabel } from './labels.ts';

/** The amounts an event's data may carry, in the order worth reading. */
const AMOUNT_KEYS: Array<[string, string]> = [
  ['amount_requested', 'requested'],
  ['escrow_amount', 'escrow'],
  ['amount', 'amount'],
  ['freelancer_amount', 'to freelancer'],
  ['client_amount', 'to client'],
  ['fee', 'service fee'],
  ['freelancer_net', 'freelancer nets'],
  ['fee_amount', 'fee'],
  ['arbitration_fee_amount', 'arbitration fee per party'],
];

function Amounts({ event, currency }: { event: DisputeEvent; currency: Currency }) {
  const shown = AMOUNT_KEYS.filter(([key]) => typeof event.data[key] === 'number');
  if (shown.length === 0) return null;
  const cur = (typeof event.data.currency === 'string' ? event.data.currency : currency) as Currency;
  return (
    <span className="event-amounts">
      {shown.map(([key, label], i) => (
        <span key={key}>
          {i > 0 && ' · '}
          {label} <Money amount={event.data[key] as number} currency={cur} />
        </span>
      ))}
    </span>
  );
}

const actorText = (event: DisputeEvent): string => (event.actor ? humanize(event.actor.role) : event.type.endsWith('_deadline_passed') || event.type.endsWith('_ended') ? 'Deadline' : 'Settle');

export function Record({ dispute, events }: { dispute: Dispute; events: DisputeEvent[] | undefined }) {
  return (
    <section className="card" aria-labelledby="record-heading">
      <h2 id="record-heading">Record</h2>
      {events ? (
        <ol className="timeline">
          {events.map((e) => (
            <li key={e.id}>
              <p className="event-title">
                <strong>{eventLabel(e.type)}</strong> <span className="muted">· {actorText(e)}</span>
              </p>
              <p className="when">
                <Time at={e.created_at} /> <Amounts event={e} currency={dispute.currency} />
              </p>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">Loading the record…</p>
      )}
      <p className="record-fingerprint">
        Record fingerprint: <code className="mono">{events?.at(-1)?.hash ?? dispute.events_hash}</code>
      </p>
    </section>
  );
}
