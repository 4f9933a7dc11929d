// The contract page (/contracts/:id): who is who, the money in escrow,
// released and refunded, and one region per milestone with the actions open to
// the viewer. After any action the contract is loaded again and a short
// message says what happened.

import { useState } from 'react';
import { ErrorState, Loading, Money, PageHeader, Stat, StatusBadge, Time } from '../components/ui.tsx';
import { api, ApiError } from '../lib/api.ts';
import { useResource } from '../lib/hooks.ts';
import { Link } from '../lib/router.tsx';
import type { Contract } from '../lib/types.ts';
import { AddMilestone, EndContract, OfferAnswer } from './contract/ContractActions.tsx';
import { MilestoneSection } from './contract/MilestoneSection.tsx';

const loadContract = (id: string) => api.get<Contract>(`/v1/contracts/${encodeURIComponent(id)}`);

export function ContractPage({ id }: { id: string }) {
  const loaded = useResource(`contract:${id}`, () => loadContract(id));
  // After an action: the contract as loaded again, shown together with the message saying what happened.
  const [after, setAfter] = useState<{ contract: Contract | undefined; notice: string }>();
  const [reloadError, setReloadError] = useState<ApiError>();
  const contract = after?.contract ?? loaded.data;
  const error = reloadError ?? loaded.error;
  const notice = after?.notice;
  if (error && !contract) return <ErrorState error={error} />;
  if (!contract) return <Loading what="Loading the contract" />;
  const done = async (message: string) => {
    try {
      setAfter({ contract: await loadContract(id), notice: message });
      setReloadError(undefined);
    } catch (e) {
      setAfter({ contract, notice: message });
      setReloadError(e instanceof ApiError ? e : undefined);
    }
  };
  const role = contract.your_role;
  const canEnd = contract.status === 'active' || (contract.status === 'offered' && role === 'client');
  const canAdd = role === 'client' && (contract.status === 'active' || contract.status === 'offered');
  return (
    <div className="contract-page">
      <p className="breadcrumb">
        <Link to="/jobs">My Jobs</Link> › <Link to="/contracts">All Contracts</Link>
      </p>
      <PageHeader title={contract.title} eyebrow="Contract">
        {canEnd && <EndContract contract={contract} onDone={done} />}
      </PageHeader>
      {notice && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      {error && <ErrorState error={error} />}
      <ContractSummary contract={contract} />
      {contract.status === 'offered' && role === 'freelancer' && <OfferAnswer contract={contract} onDone={done} />}
      {contract.status === 'offered' && role === 'client' && (
        <p className="alert alert-info">Waiting for {contract.freelancer.name} to accept your offer. You fund each milestone once the contract is active.</p>
      )}
      <h2 className="section-title">Milestones</h2>
      {contract.milestones.map((m) => (
        <MilestoneSection key={m.id} contract={contract} milestone={m} onDone={done} />
      ))}
      {canAdd && <AddMilestone contract={contract} onDone={done} />}
    </div>
  );
}

function ContractSummary({ contract }: { contract: Contract }) {
  const c = contract.currency;
  return (
    <div className="card contract-summary">
      <div className="grid grid-3 contract-stats">
        <Stat label="In escrow">
          <Money amount={contract.escrow_amount} currency={c} />
        </Stat>
        <Stat label="Released">
          <Money amount={contract.released_amount} currency={c} />
        </Stat>
        <Stat label="Refunded">
          <Money amount={contract.refunded_amount} currency={c} />
        </Stat>
      </div>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={contract.status} />
        </dd>
        <dt>You are</dt>
        <dd>the {contract.your_role}</dd>
        <dt>Client</dt>
        <dd>{contract.client.name}</dd>
        <dt>Freelancer</dt>
        <dd>{contract.freelancer.name}</dd>
        <dt>Currency</dt>
        <dd>{c.toUpperCase()}</dd>
        <dt>Offered</dt>
        <dd>
          <Time at={contract.created_at} />
        </dd>
        {contract.accepted_at && (
          <>
            <dt>Accepted</dt>
            <dd>
              <Time at={contract.accepted_at} />
            </dd>
          </>
        )}
        {contract.ended_at && (
          <>
            <dt>Ended</dt>
            <dd>
              <Time at={contract.ended_at} />
            </dd>
          </>
        )}
      </dl>
      {contract.description && <p className="contract-description">{contract.description}</p>}
    </div>
  );
}
