// Who the viewer is in a dispute and which actions are open to them, read
// from the same DISPUTE_TRANSITIONS table the server enforces (STYLE habit 1),
// plus the per-person facts the table cannot know (already decided, already
// paid, the assigned arbitrator).

import { DISPUTE_TRANSITIONS, type DisputeAction } from '../../../../src/domain/dispute.ts';
import type { Dispute, DisputeViewer, User } from '../../lib/types.ts';

export function viewerOf(dispute: Dispute, me: User): DisputeViewer {
  if (me.id === dispute.client.id) return 'client';
  if (me.id === dispute.freelancer.id) return 'freelancer';
  return me.role === 'arbitrator' ? 'arbitrator' : 'staff';
}

/** The dispute's next deadline waits on this viewer: their party is named, or both are. */
export function waitsOn(next: NonNullable<Dispute['next_deadline']>, viewer: DisputeViewer): boolean {
  return (viewer === 'client' || viewer === 'freelancer') && (next.party === viewer || next.party === 'both');
}

/** The table says `viewer` may do `action` while the dispute is in its status. */
export function tableAllows(dispute: Dispute, viewer: DisputeViewer, action: DisputeAction): boolean {
  const party = viewer === 'client' || viewer === 'freelancer';
  return DISPUTE_TRANSITIONS.some((t) => t.action === action && t.from.includes(dispute.status) && (t.actor === viewer || (t.actor === 'party' && party)));
}

/** The party's own decision on the proposal, if any. */
export function decisionOf(dispute: Dispute, viewer: DisputeViewer): 'accepted' | 'rejected' | null {
  if (!dispute.proposal || (viewer !== 'client' && viewer !== 'freelancer')) return null;
  return viewer === 'client' ? dispute.proposal.client_decision : dispute.proposal.freelancer_decision;
}

export function hasPaidFee(dispute: Dispute, viewer: DisputeViewer): boolean {
  if (!dispute.arbitration) return false;
  return viewer === 'client' ? dispute.arbitration.client_paid : viewer === 'freelancer' ? dispute.arbitration.freelancer_paid : false;
}

/** Every action open to this viewer now: the table, narrowed by what this person already did. */
export function openActions(dispute: Dispute, viewer: DisputeViewer, me: User): Set<DisputeAction> {
  const open = new Set<DisputeAction>();
  for (const t of DISPUTE_TRANSITIONS) if (t.actor !== 'deadline' && tableAllows(dispute, viewer, t.action)) open.add(t.action);
  if (decisionOf(dispute, viewer)) open.delete('decide_proposal');
  if (hasPaidFee(dispute, viewer)) open.delete('opt_in');
  if (dispute.arbitration?.arbitrator?.id !== me.id) open.delete('award');
  return open;
}

/** "the client" / "you", for sentences about a side of the dispute. */
export function sideName(dispute: Dispute, viewer: DisputeViewer, side: 'client' | 'freelancer'): string {
  if (viewer === side) return 'you';
  return `${dispute[side].name} (the ${side})`;
}
