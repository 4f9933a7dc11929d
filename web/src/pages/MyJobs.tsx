// My Jobs (/jobs): what needs the viewer's action now, soonest deadline first:
// offers to answer, milestones to fund, work to submit or review, refunds to
// approve, and disputes waiting on them. Which milestone asks what of whom is
// read from the state machine table (contract/actions.ts), not decided here.

import { Deadline, Empty, ErrorState, Loading, Money, PageHeader } from '../components/ui.tsx';
import { api, query } from '../lib/api.ts';
import { humanize } from '../lib/format.ts';
import { useResource } from '../lib/hooks.ts';
import { Link } from '../lib/router.tsx';
import { useMe } from '../lib/session.tsx';
import type { Contract, Currency, Dispute, List, User } from '../lib/types.ts';
import { milestoneActions, milestoneDeadline, type MilestoneUiAction } from './contract/actions.ts';
import { viewerOf, waitsOn } from './dispute/viewer.ts';

/** At most this many pages of 100 are read (the newest 500 contracts and disputes). */
const MAX_PAGES = 5;

interface Job {
  key: string;
  what: string;
  where: string;
  amount?: { amount: number; currency: Currency };
  deadline?: { at: string; label: string };
  link: { to: string; label: string };
}

/** The milestone action that waits on the viewer, per the table; `approve` alone waits on no one. */
const WAITING_ON_ME: Partial<Record<MilestoneUiAction, { what: string; cta: string }>> = {
  fund: { what: 'Fund the milestone', cta: 'Fund it' },
  submit: { what: 'Submit your work', cta: 'Submit work' },
  request_changes: { what: 'Review the submitted work', cta: 'Review work' },
  approve_refund: { what: 'Approve the refund or file a dispute', cta: 'Answer the refund request' },
};

const DISPUTE_ASKS: Record<string, { what: string; label: string }> = {
  response: { what: 'Respond to the dispute', label: 'Respond by' },
  proposal_decision: { what: 'Accept or reject the proposal', label: 'Decide by' },
  arbitration_opt_in: { what: 'Decide whether to go to arbitration', label: 'Opt in by' },
};

async function allPages<T extends { id: string }>(path: string): Promise<{ rows: T[]; cut: boolean }> {
  const rows: T[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const list = await api.get<List<T>>(`${path}${query({ limit: 100, starting_after: rows[rows.length - 1]?.id })}`);
    rows.push(...list.data);
    if (!list.has_more) return { rows, cut: false };
  }
  return { rows, cut: true };
}

function contractJobs(c: Contract): Job[] {
  const other = c.your_role === 'client' ? c.freelancer.name : c.client.name;
  const jobs: Job[] = [];
  if (c.status === 'offered' && c.your_role === 'freelancer') {
    jobs.push({ key: c.id, what: 'Accept or decline the offer', where: `${c.title} · from ${other}`, link: { to: `/contracts/${c.id}`, label: `Review offer: ${c.title}` } });
  }
  for (const m of c.milestones) {
    const ask = milestoneActions(m, c.your_role, c.status)
      .map((a) => WAITING_ON_ME[a])
      .find(Boolean);
    if (!ask) continue;
    jobs.push({
      key: m.id,
      what: ask.what,
      where: `${c.title} · ${m.title} · with ${other}`,
      amount: { amount: m.escrow_amount || m.amount, currency: m.currency },
      deadline: milestoneDeadline(m) ?? undefined,
      link: { to: `/contracts/${c.id}`, label: `${ask.cta}: ${m.title}` },
    });
  }
  return jobs;
}

function disputeJob(d: Dispute, me: User): Job | null {
  const next = d.next_deadline;
  if (!next || !waitsOn(next, viewerOf(d, me))) return null;
  const ask = DISPUTE_ASKS[next.kind] ?? { what: humanize(next.kind), label: 'Due' };
  return {
    key: d.id,
    what: ask.what,
    where: `${d.contract_title} · ${d.milestone_title}`,
    amount: { amount: d.amount_requested, currency: d.currency },
    deadline: { at: next.due_at, label: ask.label },
    link: { to: `/disputes/${d.id}`, label: `See Dispute: ${d.milestone_title}` },
  };
}

/** Soonest deadline first; jobs with no deadline after, in the order found. */
function bySoonest(a: Job, b: Job): number {
  if (a.deadline && b.deadline) return Date.parse(a.deadline.at) - Date.parse(b.deadline.at);
  return a.deadline ? -1 : b.deadline ? 1 : 0;
}

export function MyJobsPage() {
  const me = useMe();
  const { data, error } = useResource(`jobs:${me.id}`, async () => {
    const [contracts, disputes] = await Promise.all([allPages<Contract>('/v1/contracts'), allPages<Dispute>('/v1/disputes')]);
    return { contracts: contracts.rows, disputes: disputes.rows, cut: contracts.cut || disputes.cut };
  });
  const jobs = data ? [...data.contracts.flatMap(contractJobs), ...data.disputes.map((d) => disputeJob(d, me)).filter((j): j is Job => j !== null)].sort(bySoonest) : [];
  return (
    <div className="jobs-page">
      <PageHeader title="My Jobs" eyebrow={`Signed in as ${me.name}`}>
        <Link to="/contracts" className="button">
          View All Contracts
        </Link>
        <Link to="/contracts/new" className="button button-primary">
          New contract
        </Link>
      </PageHeader>
      <h2 className="section-title">Needs your action</h2>
      {error && <ErrorState error={error} />}
      {!data && !error && <Loading what="Looking for what needs you" />}
      {data && jobs.length === 0 && <Empty>Nothing needs your action right now. Your contracts are in View All Contracts.</Empty>}
      {data?.cut && <p className="alert alert-info">This list looks at your newest 500 contracts and disputes; older ones are in View All Contracts.</p>}
      {jobs.length > 0 && (
        <ul className="job-list">
          {jobs.map((job) => (
            <JobItem key={job.key} job={job} />
          ))}
        </ul>
      )}
    </div>
  );
}

function JobItem({ job }: { job: Job }) {
  return (
    <li className="card job">
      <div className="job-main">
        <h3>{job.what}</h3>
        <p className="muted">
          {job.where}
          {job.amount && (
            <>
              {' · '}
              <Money amount={job.amount.amount} currency={job.amount.currency} />
            </>
          )}
        </p>
        {job.deadline && (
          <p className="job-deadline">
            <Deadline at={job.deadline.at} label={job.deadline.label} />
          </p>
        )}
      </div>
      <Link to={job.link.to} className="button button-primary">
        {job.link.label}
      </Link>
    </li>
  );
}
