// The dispute page (/disputes/:id): everything a client, freelancer, staff
// member or arbitrator needs to see about one dispute, and the actions the
// dispute state machine (DISPUTE_TRANSITIONS) opens to this viewer now.
// After every action the dispute and its record are loaded again.

import { useCallback, useState } from 'react';
import { ErrorState, Loading } from '../components/ui.tsx';
import { api } from '../lib/api.ts';
import { useResource } from '../lib/hooks.ts';
import { useMe, useSession } from '../lib/session.tsx';
import type { Dispute, DisputeEvent, List } from '../lib/types.ts';
import { Arbitration } from './dispute/Arbitration.tsx';
import { ClientResponse } from './dispute/ClientResponse.tsx';
import { DisputeHeader } from './dispute/Header.tsx';
import { Messages } from './dispute/Messages.tsx';
import { ProposalForm, ProposalView } from './dispute/Proposal.tsx';
import { Record } from './dispute/Record.tsx';
import { Statements } from './dispute/Statements.tsx';
import { Withdraw } from './dispute/Withdraw.tsx';
import { openActions, viewerOf } from './dispute/viewer.ts';

export function DisputePage({ id }: { id: string }) {
  const me = useMe();
  const { refreshClock } = useSession();
  const path = `/v1/disputes/${encodeURIComponent(id)}`;
  const dispute = useResource(id, () => api.get<Dispute>(path));
  const events = useResource(id, () => api.get<List<DisputeEvent>>(`${path}/events`));
  const [notice, setNotice] = useState('');
  const reloadDispute = dispute.reload;
  const reloadEvents = events.reload;
  // The success message appears with the reloaded dispute, so it is announced with the state it describes.
  const onDone = useCallback(
    async (message: string) => {
      setNotice('');
      window.dispatchEvent(new Event('settle:notifications-changed'));
      void refreshClock().catch(() => undefined);
      await Promise.all([reloadDispute(), reloadEvents()]);
      setNotice(message);
    },
    [reloadDispute, reloadEvents, refreshClock],
  );

  if (!dispute.data) return dispute.error ? <ErrorState error={dispute.error} /> : <Loading what="Loading the dispute" />;
  const d = dispute.data;
  const viewer = viewerOf(d, me);
  const open = openActions(d, viewer, me);
  return (
    <div className="dispute-page">
      <DisputeHeader dispute={d} viewer={viewer} />
      <div className="dispute-notice" role="status">
        {notice && <p className="alert alert-ok">{notice}</p>}
      </div>
      {open.has('approve') && open.has('decline') && <ClientResponse dispute={d} onDone={onDone} key={`respond-${d.status}`} />}
      {open.has('propose') && <ProposalForm dispute={d} onDone={onDone} />}
      {open.has('withdraw') && <Withdraw dispute={d} onDone={onDone} />}
      <ProposalView dispute={d} viewer={viewer} canDecide={open.has('decide_proposal')} onDone={onDone} />
      <Arbitration dispute={d} canOptIn={open.has('opt_in')} canAward={open.has('award')} onDone={onDone} />
      <Statements dispute={d} />
      <Messages dispute={d} canPost={open.has('message')} onDone={onDone} />
      <Record dispute={d} events={events.data?.data} />
      {(dispute.error ?? events.error) && <ErrorState error={(dispute.error ?? events.error)!} />}
    </div>
  );
}
