// The contract page (/contracts/:id): who is who, the money in escrow,
// released and refunded, and one region per milestone with the actions open to
// the viewer. After any action the contract is loaded again and a short
// message says what happened.

import { useState } from 'react';
import { ErrorState, Loading, Money, PageHeader, Stat, StatusBadge, Time } from '../components/ui.tsx';
import { api } from '../lib/api.ts';
import { useResource } from '../lib/hooks.ts';
import { Link } from '../lib/router.tsx';
import type { Contract } from '../lib/types.ts';
import { AddMilestone, EndContract, OfferAnswer } from './contract/ContractActions.tsx';
import { MilestoneSection } from './contract/MilestoneSection.tsx';

const loadContract = (id: string) => api.get<Contract>(`/v1/contracts/${encodeURIComponent(id)}`);

export function ContractPage({ id }: { id: string }) {
  const loaded = useResource(`contract:${id}`, () => loadContract(id));
  const [notice, setNotice] = useState('');
  const contract = loaded.data;
  if (loaded.error && !contract) return <ErrorState error={loaded.error} />;
  if (!contract) return <Loading what="Loading the contract" />;
  // The message appears with the contract as loaded again after the action, never before it.
  const done = async (message: string) => {
    setNotice('');
    await loaded.reload();
    setNotice(message);
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
      {loaded.error && <ErrorState error={loaded.error} />}
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
