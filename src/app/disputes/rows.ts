// Dispute rows, who may see them, and the dispute object of API.md.
//
// Visibility (PRODUCT.md "People"): the contract's two parties always; staff
// once the dispute reached review (the client declined); an arbitrator only
// the cases assigned to it. Anyone else gets 404, as if it did not exist.

import { notFound } from '../../domain/errors.ts';
import type { DisputeState, OutcomeKind } from '../../domain/dispute.ts';
import type { Currency } from '../../domain/money.ts';
import type { Queryable } from '../../db/port.ts';
import type { Role } from '../users/user-object.ts';

export interface DisputeRow {
  id: string;
  contract_id: string;
  milestone_id: string;
  status: DisputeState;
  currency: Currency;
  amount_requested: number;
  escrow_amount: number;
  filed_by: string;
  filed_at: Date;
  response_due_at: Date;
  response_deadline_basis: Record<string, unknown>;
  review_started_at: Date | null;
  proposal_target_at: Date | null;
  proposal_due_at: Date | null;
  arbitration_due_at: Date | null;
  arbitration_fee_amount: number | null;
  arbitrator_id: string | null;
  arbitration_started_at: Date | null;
  outcome_kind: OutcomeKind | null;
  outcome_freelancer_amount: number | null;
  outcome_client_amount: number | null;
  resolved_at: Date | null;
  event_count: number;
  last_hash: string;
  client_id: string;
  freelancer_id: string;
}

export type Viewer = 'client' | 'freelancer' | 'staff' | 'arbitrator';

export const DISPUTE_SELECT = `select d.id, d.contract_id, d.milestone_id, d.status, d.currency, d.amount_requested, d.escrow_amount, d.filed_by, d.filed_at,
  d.response_due_at, d.response_deadline_basis, d.review_started_at, d.proposal_target_at, d.proposal_due_at, d.arbitration_due_at,
  d.arbitration_fee_amount, d.arbitrator_id, d.arbitration_started_at, d.outcome_kind, d.outcome_freelancer_amount, d.outcome_client_amount,
  d.resolved_at, d.event_count, d.last_hash, c.client_id, c.freelancer_id
  from disputes d join contracts c on c.id = d.contract_id`;

export function viewerOf(d: Pick<DisputeRow, 'client_id' | 'freelancer_id' | 'review_started_at' | 'arbitrator_id'>, user: { id: string; role: Role }): Viewer | undefined {
  if (d.client_id === user.id) return 'client';
  if (d.freelancer_id === user.id) return 'freelancer';
  if (user.role === 'staff' && d.review_started_at !== null) return 'staff';
  if (user.role === 'arbitrator' && d.arbitrator_id === user.id) return 'arbitrator';
  return undefined;
}

/** The dispute if `user` may see it (404 otherwise); the row locked when asked. */
export async function loadDisputeFor(q: Queryable, disputeId: string, user: { id: string; role: Role }, options: { lock?: boolean } = {}) {
  const result = await q.query<DisputeRow>(`${DISPUTE_SELECT} where d.id = $1 ${options.lock ? 'for no key update of d' : ''}`, [disputeId]);
  const dispute = result.rows[0];
  const viewer = dispute && viewerOf(dispute, user);
  if (!dispute || !viewer) throw notFound('dispute', 'id');
  return { dispute, viewer };
}

interface StatementRow {
  kind: 'filing' | 'response';
  decision: 'approved' | 'declined' | null;
  reason_code: string | null;
  description: string | null;
  file_ids: string[];
  created_at: Date;
}
interface ProposalRow {
  freelancer_amount: number;
  client_amount: number;
  explanation: string;
  issued_at: Date;
  due_at: Date;
}
interface DecisionRow {
  party: 'client' | 'freelancer';
  decision: 'accepted' | 'rejected';
}
interface MessageRow {
  id: string;
  author_id: string;
  author_name: string;
  author_role: string;
  body: string;
  file_ids: string[];
  created_at: Date;
}
interface AwardRow {
  freelancer_amount: number;
  client_amount: number;
  decision: string;
  decided_at: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface DisputeParts {
  statements: StatementRow[];
  proposal: ProposalRow | undefined;
  decisions: DecisionRow[];
  optIns: Array<{ party: 'client' | 'freelancer' }>;
  messages: MessageRow[];
  award: AwardRow | undefined;
  arbitrator: { id: string; name: string } | undefined;
  names: NamesRow;
}

/** What the contract and its people are called, so a reader (staff too) knows what the case is about. */
interface NamesRow {
  contract_title: string;
  milestone_title: string;
  client_name: string;
  freelancer_name: string;
}

export async function disputeParts(q: Queryable, d: DisputeRow): Promise<DisputeParts> {
  // One after another: inside a transaction they share one connection, which runs one query at a time anyway.
  const statements = await q.query<StatementRow>('select kind, decision, reason_code, description, file_ids, created_at from dispute_statements where dispute_id = $1', [d.id]);
  const proposal = await q.query<ProposalRow>('select freelancer_amount, client_amount, explanation, issued_at, due_at from dispute_proposals where dispute_id = $1', [d.id]);
  const decisions = await q.query<DecisionRow>('select party, decision from proposal_decisions where dispute_id = $1', [d.id]);
  const optIns = await q.query<{ party: 'client' | 'freelancer' }>('select party from arbitration_opt_ins where dispute_id = $1', [d.id]);
  const messages = await q.query<MessageRow>(
    `select m.id, m.author_id, u.name as author_name, m.author_role, m.body, m.file_ids, m.created_at
       from dispute_messages m join users u on u.id = m.author_id where m.dispute_id = $1 order by m.seq`,
    [d.id],
  );
  const award = await q.query<AwardRow>('select freelancer_amount, client_amount, decision, decided_at from dispute_awards where dispute_id = $1', [d.id]);
  const arbitrator = d.arbitrator_id ? (await q.query<{ id: string; name: string }>('select id, name from users where id = $1', [d.arbitrator_id])).rows[0] : undefined;
  const names = await q.query<NamesRow>(
    `select c.title as contract_title, m.title as milestone_title, cu.name as client_name, fu.name as freelancer_name
       from contracts c join milestones m on m.id = $2 join users cu on cu.id = c.client_id join users fu on fu.id = c.freelancer_id
      where c.id = $1`,
    [d.contract_id, d.milestone_id],
  );
  return {
    statements: statements.rows,
    proposal: proposal.rows[0],
    decisions: decisions.rows,
    optIns: optIns.rows,
    messages: messages.rows,
    award: award.rows[0],
    arbitrator,
    names: names.rows[0]!,
  };
}

/** What is due next, by when, from whom; null when nothing is. */
export function nextDeadline(d: DisputeRow, parts: Pick<DisputeParts, 'decisions' | 'optIns'>) {
  const waitingOn = (done: Array<{ party: string }>) => {
    const missing = (['client', 'freelancer'] as const).filter((p) => !done.some((x) => x.party === p));
    return missing.length === 2 ? 'both' : (missing[0] ?? 'both');
  };
  switch (d.status) {
    case 'awaiting_response':
      return { kind: 'response', due_at: d.response_due_at.toISOString(), party: 'client' };
    case 'in_review':
      return d.proposal_target_at ? { kind: 'proposal_target', due_at: d.proposal_target_at.toISOString(), party: 'staff' } : null;
    case 'proposal_issued':
      return { kind: 'proposal_decision', due_at: d.proposal_due_at!.toISOString(), party: waitingOn(parts.decisions) };
    case 'not_resolved':
      return { kind: 'arbitration_opt_in', due_at: d.arbitration_due_at!.toISOString(), party: waitingOn(parts.optIns) };
    default:
      return null;
  }
}

export function toDisputeObject(d: DisputeRow, parts: DisputeParts, now: Date) {
  const filing = parts.statements.find((s) => s.kind === 'filing')!;
  const response = parts.statements.find((s) => s.kind === 'response');
  const decisionOf = (party: 'client' | 'freelancer') => parts.decisions.find((x) => x.party === party)?.decision ?? null;
  const inArbitrationPhase = d.arbitration_due_at !== null;
  return {
    id: d.id,
    object: 'dispute' as const,
    contract: d.contract_id,
    milestone: d.milestone_id,
    contract_title: parts.names.contract_title,
    milestone_title: parts.names.milestone_title,
    client: { id: d.client_id, name: parts.names.client_name },
    freelancer: { id: d.freelancer_id, name: parts.names.freelancer_name },
    status: d.status,
    currency: d.currency,
    amount_requested: d.amount_requested,
    escrow_amount: d.escrow_amount,
    reason_code: filing.reason_code!,
    description: filing.description!,
    file_ids: filing.file_ids,
    filed_at: d.filed_at.toISOString(),
    response_due_at: d.response_due_at.toISOString(),
    response_deadline_basis: d.response_deadline_basis,
    response: response
      ? { decision: response.decision!, reason_code: response.reason_code, description: response.description, file_ids: response.file_ids, responded_at: response.created_at.toISOString() }
      : null,
    review_started_at: iso(d.review_started_at),
    proposal_target_at: iso(d.proposal_target_at),
    review_overdue: d.status === 'in_review' && d.proposal_target_at !== null && now.getTime() > d.proposal_target_at.getTime(),
    proposal: parts.proposal
      ? {
          freelancer_amount: parts.proposal.freelancer_amount,
          client_amount: parts.proposal.client_amount,
          explanation: parts.proposal.explanation,
          issued_at: parts.proposal.issued_at.toISOString(),
          due_at: parts.proposal.due_at.toISOString(),
          freelancer_decision: decisionOf('freelancer'),
          client_decision: decisionOf('client'),
        }
      : null,
    arbitration: inArbitrationPhase
      ? {
          due_at: d.arbitration_due_at!.toISOString(),
          fee_amount: d.arbitration_fee_amount!,
          freelancer_paid: parts.optIns.some((x) => x.party === 'freelancer'),
          client_paid: parts.optIns.some((x) => x.party === 'client'),
          started_at: iso(d.arbitration_started_at),
          arbitrator: parts.arbitrator ?? null,
          award: parts.award
            ? { freelancer_amount: parts.award.freelancer_amount, client_amount: parts.award.client_amount, decision: parts.award.decision, decided_at: parts.award.decided_at.toISOString() }
            : null,
        }
      : null,
    outcome: d.outcome_kind
      ? { kind: d.outcome_kind, freelancer_amount: d.outcome_freelancer_amount!, client_amount: d.outcome_client_amount!, resolved_at: d.resolved_at!.toISOString() }
      : null,
    next_deadline: nextDeadline(d, parts),
    messages: parts.messages.map((m) => ({
      id: m.id,
      author: { id: m.author_id, name: m.author_name, role: m.author_role },
      body: m.body,
      file_ids: m.file_ids,
      created_at: m.created_at.toISOString(),
    })),
    events_hash: d.last_hash,
  };
}
export type DisputeObject = ReturnType<typeof toDisputeObject>;

export async function disputeObject(q: Queryable, disputeId: string, user: { id: string; role: Role }, now: Date): Promise<DisputeObject> {
  const { dispute } = await loadDisputeFor(q, disputeId, user);
  return toDisputeObject(dispute, await disputeParts(q, dispute), now);
}
