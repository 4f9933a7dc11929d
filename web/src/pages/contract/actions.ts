// Which milestone actions a viewer sees, read from the state machine tables
// (src/domain/milestone.ts, src/domain/dispute.ts) by the viewer's role and the
// milestone's state: the page never decides this with its own ifs.

import { MILESTONE_TRANSITIONS, type MilestoneAction } from '../../../../src/domain/milestone.ts';
import { DISPUTABLE_MILESTONE_STATES } from '../../../../src/domain/dispute.ts';
import type { Contract, Milestone } from '../../lib/types.ts';

export type PartyRole = Contract['your_role'];

/** The person-facing actions on a milestone; `file_dispute` comes from the dispute rules. */
export type MilestoneUiAction = Extract<MilestoneAction, 'fund' | 'submit' | 'request_changes' | 'approve' | 'approve_refund'> | 'file_dispute';

/** Milestone actions a person starts from the milestone itself (ending a contract is contract-level). */
const PERSON_ACTIONS: readonly MilestoneAction[] = ['fund', 'submit', 'request_changes', 'approve', 'approve_refund'];

/** Fund and submit need an active contract (docs/milestones.md); the rest look only at the milestone. */
const NEEDS_ACTIVE_CONTRACT: readonly MilestoneAction[] = ['fund', 'submit'];

export function milestoneActions(milestone: Milestone, role: PartyRole, contractStatus: Contract['status']): MilestoneUiAction[] {
  const actions = MILESTONE_TRANSITIONS.filter(
    (t) => t.actor === role && PERSON_ACTIONS.includes(t.action) && t.from.includes(milestone.status) && (contractStatus === 'active' || !NEEDS_ACTIVE_CONTRACT.includes(t.action)),
  ).map((t) => t.action as MilestoneUiAction);
  if (role === 'freelancer' && (DISPUTABLE_MILESTONE_STATES as readonly string[]).includes(milestone.status)) actions.push('file_dispute');
  return [...new Set(actions)];
}

/** The running deadline of a milestone, with what it means for the viewer. */
export function milestoneDeadline(milestone: Milestone): { at: string; label: string } | null {
  if (milestone.status === 'submitted' && milestone.review_due_at) return { at: milestone.review_due_at, label: 'Auto-release' };
  if (milestone.status === 'refund_requested' && milestone.refund_due_at) return { at: milestone.refund_due_at, label: 'Refund due' };
  return null;
}
