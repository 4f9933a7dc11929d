// Words for the dispute's codes: reasons, outcomes, record events and who
// the next deadline waits on, phrased for the person reading the page.

import { DECLINE_REASONS, FILING_REASONS, type OutcomeKind } from '../../../../src/domain/dispute.ts';
import { humanize } from '../../lib/format.ts';
import type { Dispute, DisputeViewer } from '../../lib/types.ts';
import { waitsOn } from './viewer.ts';

const FILING_LABELS: Record<(typeof FILING_REASONS)[number], string> = {
  work_delivered_not_paid: 'Work delivered but not paid',
  contract_ended_without_payment: 'Contract ended without payment',
  partial_payment: 'Only partly paid',
  other: 'Other',
};

const DECLINE_LABELS: Record<(typeof DECLINE_REASONS)[number], string> = {
  work_not_delivered: 'Work not delivered',
  requirements_not_met: 'Requirements not met',
  quality_issues: 'Quality issues',
  deadline_missed: 'Deadline missed',
  other: 'Other',
};

export const DECLINE_OPTIONS = DECLINE_REASONS.map((value) => ({ value, label: DECLINE_LABELS[value] }));

export function reasonLabel(code: string | null): string {
  if (!code) return '—';
  return (FILING_LABELS as Record<string, string>)[code] ?? (DECLINE_LABELS as Record<string, string>)[code] ?? humanize(code);
}

const OUTCOME_LABELS: Record<OutcomeKind, string> = {
  client_approved: 'The client approved the requested amount.',
  response_deadline_missed: 'The client did not respond in time, so the requested amount was released.',
  proposal_accepted: 'Both sides accepted Settle’s proposal.',
  arbitration_default: 'Only one side opted in to arbitration, so the escrow went to that side.',
  arbitration_not_pursued: 'Neither side opted in to arbitration, so the escrow returned to the client.',
  arbitration_award: 'The arbitrator’s binding award decided it.',
  withdrawn: 'The freelancer withdrew the dispute.',
};

export const outcomeLabel = (kind: string): string => (OUTCOME_LABELS as Record<string, string>)[kind] ?? humanize(kind);

const EVENT_LABELS: Record<string, string> = {
  'dispute.filed': 'Dispute filed',
  'dispute.approved': 'Client approved the request',
  'dispute.declined': 'Client declined, with a statement',
  'dispute.withdrawn': 'Freelancer withdrew the dispute',
  'dispute.message_added': 'Message added',
  'dispute.proposal_issued': 'Settle issued a proposal',
  'dispute.proposal_accepted': 'Proposal accepted',
  'dispute.proposal_rejected': 'Proposal rejected',
  'dispute.not_resolved': 'Notice of Non-Resolution',
  'dispute.arbitration_opt_in': 'Opted in to arbitration (fee paid)',
  'dispute.arbitration_started': 'Arbitration started',
  'dispute.arbitrator_assigned': 'Arbitrator assigned',
  'dispute.award_recorded': 'Arbitrator recorded the award',
  'dispute.response_deadline_passed': 'The client’s response deadline passed',
  'dispute.arbitration_window_ended': 'The arbitration opt-in window ended',
  'dispute.resolved': 'Dispute resolved; money moved',
};

export const eventLabel = (type: string): string => EVENT_LABELS[type] ?? humanize(type.replace(/^dispute\./, ''));

const possessive = (party: string): string => (party === 'both' ? 'both sides’' : `the ${party}’s`);

/** The words before the deadline's time, for this viewer ("Your response is due"). */
export function deadlineLabel(viewer: DisputeViewer, next: NonNullable<Dispute['next_deadline']>): string {
  const mine = waitsOn(next, viewer);
  switch (next.kind) {
    case 'response':
      return viewer === 'client' ? 'Your response is due' : 'Waiting for the client’s response, due';
    case 'proposal_target':
      return viewer === 'staff' ? 'Proposal target' : 'Settle aims to issue a proposal by';
    case 'proposal_decision':
      return mine ? 'Your decision on the proposal is due' : `Waiting for ${possessive(next.party)} decision on the proposal, due`;
    case 'arbitration_opt_in':
      return mine ? 'Opt in to arbitration by' : `Waiting for ${possessive(next.party)} arbitration opt-in, closes`;
    default:
      return humanize(next.kind);
  }
}
