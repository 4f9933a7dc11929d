// The dispute state machine (PRODUCT.md "Disputes"), as data. Each row is
// (state, action, actor) → next state, with the deadline the next state arms.
//
//   file ─→ awaiting_response ─approve / response deadline─→ resolved
//               │ decline
//               ▼
//           in_review ─proposal (staff)─→ proposal_issued ─both accept─→ resolved
//               │                              │ reject / 2 days
//   withdraw (freelancer) from                 ▼
//   awaiting_response or in_review ─→ withdrawn   not_resolved ─both pay─→ in_arbitration ─award─→ resolved
//                                                  │ 7 days: one paid → that party wins; none → client
//                                                  ▼
//                                               resolved

import { AppError, assert, conflict, forbidden } from './errors.ts';

export const DISPUTE_STATES = ['awaiting_response', 'in_review', 'proposal_issued', 'not_resolved', 'in_arbitration', 'resolved', 'withdrawn'] as const;
export type DisputeState = (typeof DISPUTE_STATES)[number];
export const OPEN_DISPUTE_STATES: readonly DisputeState[] = ['awaiting_response', 'in_review', 'proposal_issued', 'not_resolved', 'in_arbitration'];

export type DisputeActor = 'client' | 'freelancer' | 'party' | 'staff' | 'arbitrator' | 'deadline';
export type DisputeAction =
  | 'approve'
  | 'decline'
  | 'response_deadline'
  | 'withdraw'
  | 'message'
  | 'propose'
  | 'decide_proposal'
  | 'proposal_deadline'
  | 'opt_in'
  | 'arbitration_deadline'
  | 'award';

export type DisputeDeadline = 'response' | 'proposal' | 'arbitration' | null;

export interface DisputeTransition {
  from: readonly DisputeState[];
  action: DisputeAction;
  actor: DisputeActor;
  /** `decided`: resolved or not, depending on the other party (decisions, opt-ins). */
  to: DisputeState | 'decided';
  arms: DisputeDeadline;
}

export const DISPUTE_TRANSITIONS: readonly DisputeTransition[] = [
  { from: ['awaiting_response'], action: 'approve', actor: 'client', to: 'resolved', arms: null },
  { from: ['awaiting_response'], action: 'decline', actor: 'client', to: 'in_review', arms: null },
  { from: ['awaiting_response'], action: 'response_deadline', actor: 'deadline', to: 'resolved', arms: null },
  { from: ['awaiting_response', 'in_review'], action: 'withdraw', actor: 'freelancer', to: 'withdrawn', arms: null },
  { from: OPEN_DISPUTE_STATES, action: 'message', actor: 'party', to: 'decided', arms: null },
  { from: ['in_review', 'proposal_issued', 'not_resolved', 'in_arbitration'], action: 'message', actor: 'staff', to: 'decided', arms: null },
  { from: ['in_review'], action: 'propose', actor: 'staff', to: 'proposal_issued', arms: 'proposal' },
  { from: ['proposal_issued'], action: 'decide_proposal', actor: 'party', to: 'decided', arms: null },
  { from: ['proposal_issued'], action: 'proposal_deadline', actor: 'deadline', to: 'not_resolved', arms: 'arbitration' },
  { from: ['not_resolved'], action: 'opt_in', actor: 'party', to: 'decided', arms: null },
  { from: ['not_resolved'], action: 'arbitration_deadline', actor: 'deadline', to: 'resolved', arms: null },
  { from: ['in_arbitration'], action: 'award', actor: 'arbitrator', to: 'resolved', arms: null },
];

/** Windows (PRODUCT.md "Disputes"): business days for the response, calendar days after. */
export const RESPONSE_BUSINESS_DAYS = 5;
export const PROPOSAL_TARGET_MS = 2 * 24 * 60 * 60 * 1000;
export const PROPOSAL_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;
export const ARBITRATION_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export const FILING_REASONS = ['work_delivered_not_paid', 'contract_ended_without_payment', 'partial_payment', 'other'] as const;
export const DECLINE_REASONS = ['work_not_delivered', 'requirements_not_met', 'quality_issues', 'deadline_missed', 'other'] as const;
export const DESCRIPTION_MIN_CHARS = 20;
export const DESCRIPTION_MAX_CHARS = 5000;

/** Milestone states from which the freelancer may file. */
export const DISPUTABLE_MILESTONE_STATES = ['submitted', 'changes_requested', 'refund_requested'] as const;

export type OutcomeKind = 'client_approved' | 'response_deadline_missed' | 'proposal_accepted' | 'arbitration_default' | 'arbitration_not_pursued' | 'arbitration_award' | 'withdrawn';

const STATE_CODES: Record<DisputeState, string> = {
  awaiting_response: 'dispute_awaiting_response',
  in_review: 'dispute_in_review',
  proposal_issued: 'dispute_proposal_issued',
  not_resolved: 'dispute_not_resolved',
  in_arbitration: 'dispute_in_arbitration',
  resolved: 'dispute_resolved',
  withdrawn: 'dispute_withdrawn',
};

/**
 * The transition for `action` by `actor` (`client`/`freelancer` also match
 * `party` rows). 403 when the action is another role's, 409 naming the state when
 * the state does not allow it.
 */
export function disputeTransition(state: DisputeState, action: DisputeAction, actor: Exclude<DisputeActor, 'party'>): DisputeTransition {
  const candidates = DISPUTE_TRANSITIONS.filter((t) => t.action === action);
  assert(candidates.length > 0, `dispute action ${action} is in the table`);
  const matches = (t: DisputeTransition) => t.actor === actor || (t.actor === 'party' && (actor === 'client' || actor === 'freelancer'));
  const byActor = candidates.filter(matches);
  if (byActor.length === 0) throw forbidden(`Only the ${candidates.map((t) => (t.actor === 'party' ? 'client or freelancer' : t.actor)).join(' or ')} can do this.`);
  const found = byActor.find((t) => t.from.includes(state));
  if (!found) throw conflict(STATE_CODES[state], `This dispute is ${state.replace(/_/g, ' ')}; that is not possible now.`);
  return found;
}

/** The deadline the dispute's state runs, if any (the staff review target only flags the queue). */
export function runningDeadline(d: { status: DisputeState; response_due_at: Date; proposal_due_at: Date | null; arbitration_due_at: Date | null }): Date | null {
  if (d.status === 'awaiting_response') return d.response_due_at;
  if (d.status === 'proposal_issued') return d.proposal_due_at;
  if (d.status === 'not_resolved') return d.arbitration_due_at;
  return null;
}

/**
 * 409 once the running deadline has passed (now is later than it) but the
 * sweeper has not settled it yet: the deadline's rule decides, not a late action.
 */
export function assertDeadlineNotPassed(d: Parameters<typeof runningDeadline>[0], now: Date): void {
  const due = runningDeadline(d);
  if (due && now.getTime() > due.getTime()) throw conflict('dispute_deadline_passed', 'This dispute’s deadline has passed and it is being settled by its deadline rule.');
}

/** The split of a dispute's escrow: the freelancer's share (before fee) and the client's. */
export interface Split {
  freelancer_amount: number;
  client_amount: number;
}

export function splitEscrow(escrow: number, freelancerAmount: number, param = 'freelancer_amount'): Split {
  if (!Number.isSafeInteger(freelancerAmount) || freelancerAmount < 0 || freelancerAmount > escrow) {
    throw new AppError('invalid_request', 'amount_exceeds_escrow', `The freelancer's share must be between 0 and ${escrow}, the escrow in dispute.`, param);
  }
  return { freelancer_amount: freelancerAmount, client_amount: escrow - freelancerAmount };
}

/**
 * After the arbitration window: whoever paid alone wins the whole escrow and
 * gets the fee back; if nobody paid the escrow returns to the client.
 */
export function arbitrationDefault(escrow: number, freelancerPaid: boolean, clientPaid: boolean): { kind: OutcomeKind; split: Split; refund_fee_to: 'client' | 'freelancer' | null } {
  assert(!(freelancerPaid && clientPaid), 'both paid means arbitration, not a default');
  if (freelancerPaid) return { kind: 'arbitration_default', split: { freelancer_amount: escrow, client_amount: 0 }, refund_fee_to: 'freelancer' };
  if (clientPaid) return { kind: 'arbitration_default', split: { freelancer_amount: 0, client_amount: escrow }, refund_fee_to: 'client' };
  return { kind: 'arbitration_not_pursued', split: { freelancer_amount: 0, client_amount: escrow }, refund_fee_to: null };
}
