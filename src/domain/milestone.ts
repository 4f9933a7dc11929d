// The milestone state machine (PRODUCT.md "Milestones"), as data: each row is
// (state, action, actor) → next state, with the deadline the next state arms.
// Use cases, docs (docs/milestones.md), the web app and the tests read this
// table; `transition()` is the only way a milestone changes state.
//
//   pending ─fund→ funded ─submit→ submitted ─approve / 14 days→ paid
//                                   │   ▲
//                   request_changes │   │ submit (new 14 days)
//                                   ▼   │
//                              changes_requested
//
//   approve in part ─→ refund_requested ─approve_refund / 7 days→ refunded (or paid if
//   client ends contract ─↗                                       anything was released)
//   freelancer ends contract: escrow back to the client now → refunded (or paid)
//   contract ends: pending → cancelled

import { conflict, forbidden, assert } from './errors.ts';

export const MILESTONE_STATES = [
  'pending',
  'funded',
  'submitted',
  'changes_requested',
  'paid',
  'refund_requested',
  'refunded',
  'in_dispute',
  'cancelled',
] as const;
export type MilestoneState = (typeof MILESTONE_STATES)[number];

export type MilestoneActor = 'client' | 'freelancer' | 'deadline' | 'system';

export type MilestoneAction =
  | 'fund'
  | 'submit'
  | 'request_changes'
  | 'approve'
  | 'review_window_ends'
  | 'approve_refund'
  | 'refund_window_ends'
  | 'client_ends_contract'
  | 'freelancer_ends_contract'
  | 'contract_ends_unfunded';

/** Which clock a state runs. */
export type Deadline = 'review' | 'refund' | null;

/** `settled`: all escrow is gone; the state is `paid` if the freelancer got anything, else `refunded`. */
export type Target = MilestoneState | 'settled' | 'approved';

export interface MilestoneTransition {
  from: readonly MilestoneState[];
  action: MilestoneAction;
  actor: MilestoneActor;
  to: Target;
  arms: Deadline;
}

/** States in which the milestone still holds escrow that someone may be owed. */
export const HOLDS_ESCROW: readonly MilestoneState[] = ['funded', 'submitted', 'changes_requested', 'refund_requested'];

export const MILESTONE_TRANSITIONS: readonly MilestoneTransition[] = [
  { from: ['pending'], action: 'fund', actor: 'client', to: 'funded', arms: null },
  { from: ['funded', 'changes_requested'], action: 'submit', actor: 'freelancer', to: 'submitted', arms: 'review' },
  { from: ['submitted'], action: 'request_changes', actor: 'client', to: 'changes_requested', arms: null },
  // In full: `paid`. In part: the rest gets a refund request (`refund_requested`, 7 days).
  // A refund request already open keeps its own window.
  { from: HOLDS_ESCROW, action: 'approve', actor: 'client', to: 'approved', arms: 'refund' },
  { from: ['submitted'], action: 'review_window_ends', actor: 'deadline', to: 'paid', arms: null },
  { from: ['refund_requested'], action: 'approve_refund', actor: 'freelancer', to: 'settled', arms: null },
  { from: ['refund_requested'], action: 'refund_window_ends', actor: 'deadline', to: 'settled', arms: null },
  { from: ['funded', 'submitted', 'changes_requested'], action: 'client_ends_contract', actor: 'client', to: 'refund_requested', arms: 'refund' },
  { from: HOLDS_ESCROW, action: 'freelancer_ends_contract', actor: 'freelancer', to: 'settled', arms: null },
  { from: ['pending'], action: 'contract_ends_unfunded', actor: 'system', to: 'cancelled', arms: null },
];

/** Windows, exact to the millisecond: N days = N × 24 h (PRODUCT.md "Time"). */
export const REVIEW_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
export const REFUND_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

const WHY_NOT: Partial<Record<MilestoneAction, string>> = {
  fund: 'Only a pending milestone can be funded.',
  submit: 'Work can be submitted only on a funded milestone, or after changes were requested.',
  request_changes: 'Changes can be requested only on submitted work.',
  approve: 'Only a milestone that holds escrow can be approved.',
  approve_refund: 'There is no open refund request on this milestone.',
};

const CODE_BY_STATE: Partial<Record<MilestoneState, string>> = {
  pending: 'milestone_not_funded',
  paid: 'milestone_settled',
  refunded: 'milestone_settled',
  cancelled: 'milestone_cancelled',
  in_dispute: 'milestone_in_dispute',
};

/**
 * The transition for `action` by `actor` from `state`. Throws 403 when the
 * action belongs to the other party, 409 with a code saying why when the state
 * does not allow it.
 */
export function transition(state: MilestoneState, action: MilestoneAction, actor: MilestoneActor): MilestoneTransition {
  const candidates = MILESTONE_TRANSITIONS.filter((t) => t.action === action);
  assert(candidates.length > 0, `milestone action ${action} is in the table`);
  const byActor = candidates.filter((t) => t.actor === actor);
  if (byActor.length === 0) {
    const owner = candidates[0]!.actor;
    throw forbidden(`Only the ${owner} can do this.`);
  }
  const found = byActor.find((t) => t.from.includes(state));
  if (!found) {
    throw conflict(CODE_BY_STATE[state] ?? 'milestone_state_invalid', `${WHY_NOT[action] ?? 'This milestone cannot do that now.'} It is ${state.replace('_', ' ')}.`);
  }
  return found;
}

/** The state after all escrow is gone. */
export function settledState(releasedAmount: number): 'paid' | 'refunded' {
  return releasedAmount > 0 ? 'paid' : 'refunded';
}

/** Deadline instant a transition arms, from the instant it happened. */
export function armedDeadline(arms: Deadline, at: Date): { review_due_at: Date | null; refund_due_at: Date | null } {
  return {
    review_due_at: arms === 'review' ? new Date(at.getTime() + REVIEW_WINDOW_MS) : null,
    refund_due_at: arms === 'refund' ? new Date(at.getTime() + REFUND_WINDOW_MS) : null,
  };
}

export interface ApprovalDecision {
  next: 'paid' | 'refund_requested';
  review_due_at: null;
  refund_due_at: Date | null;
}

/**
 * After the client releases `amount` of `escrow`: all of it → `paid`; part of
 * it → the rest waits on a refund request. An open refund request keeps its
 * own window; a new one runs 7 days from now.
 */
export function decideApproval(o: { state: MilestoneState; escrow: number; amount: number; refund_due_at: Date | null; now: Date }): ApprovalDecision {
  assert(o.amount > 0 && o.amount <= o.escrow, 'approval amount within the escrow');
  if (o.amount === o.escrow) return { next: 'paid', review_due_at: null, refund_due_at: null };
  const refundDue = o.state === 'refund_requested' && o.refund_due_at ? o.refund_due_at : armedDeadline('refund', o.now).refund_due_at;
  return { next: 'refund_requested', review_due_at: null, refund_due_at: refundDue };
}
