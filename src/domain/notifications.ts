// Who hears what (PRODUCT.md "Notifications"): every event that asks someone
// to act or tells them money moved becomes a message to each person
// concerned, with what happened, what they must do, and by when. Pure: the
// event and its context in, the messages out; rendering happens in src/notify.

import type { Currency } from './money.ts';

export type Audience = 'client' | 'freelancer' | 'arbitrator';

export interface EventFacts {
  type: string;
  actor_role: string | null;
  data: Record<string, unknown>;
}

export interface NotificationContext {
  contract: { id: string; title: string };
  milestone: { id: string; title: string } | null;
  dispute: { id: string; arbitrator_id: string | null } | null;
  currency: Currency;
}

export interface PlannedNotification {
  to: Audience;
  /** One line: what happened. */
  subject: string;
  /** What the reader must do, or null when it is only news. */
  action: string | null;
  /** The deadline the reader must act by, if any (ISO). */
  deadline: string | null;
  /** Amounts to show, already named: [label, minor units]. */
  amounts: Array<[string, number]>;
  /** Where the reader acts: the dispute page when there is a dispute, else the contract. */
  page: 'contract' | 'dispute';
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const other = (role: string | null): Audience => (role === 'client' ? 'freelancer' : 'client');

/** The messages one event causes; empty for events nobody needs to hear about. */
export function plan(event: EventFacts, ctx: NotificationContext): PlannedNotification[] {
  const m = ctx.milestone ? `"${ctx.milestone.title}"` : `"${ctx.contract.title}"`;
  const d = event.data;
  const news = (to: Audience, subject: string, amounts: Array<[string, number]> = [], page: 'contract' | 'dispute' = 'contract'): PlannedNotification => ({ to, subject, action: null, deadline: null, amounts, page });
  const ask = (to: Audience, subject: string, action: string, deadline: string | null, amounts: Array<[string, number]> = [], page: 'contract' | 'dispute' = 'contract'): PlannedNotification => ({ to, subject, action, deadline, amounts, page });
  switch (event.type) {
    case 'contract.offered':
      return [ask('freelancer', `New contract offer: "${ctx.contract.title}"`, 'Review the offer and accept or decline it.', null)];
    case 'contract.accepted':
      return [ask('client', `Your offer "${ctx.contract.title}" was accepted`, 'Fund the first milestone so work can start.', null)];
    case 'contract.declined':
      return [news('client', `Your offer "${ctx.contract.title}" was declined`)];
    case 'contract.ended':
      return [news(other(event.actor_role), `The contract "${ctx.contract.title}" was ended by the ${event.actor_role}`)];
    case 'milestone.funded':
      return [news('freelancer', `Milestone ${m} is funded: the money is in escrow`, [['In escrow', num(d.amount)]])];
    case 'milestone.submitted':
      return [ask('client', `Work was submitted for ${m}`, 'Review the work: approve it or request changes. If you do nothing, the escrow is released automatically when the review period ends.', str(d.review_due_at))];
    case 'milestone.changes_requested':
      return [ask('freelancer', `Changes were requested on ${m}`, 'Read the request and submit the work again.', null)];
    case 'milestone.released': {
      const amounts: Array<[string, number]> = [['Released', num(d.amount)]];
      // Every release pays the service fee (PRODUCT.md "Money"): both parties see it and what the freelancer nets.
      if (typeof d.fee === 'number') amounts.push(['Service fee', d.fee], ['To the freelancer', num(d.net)]);
      const byDeadline = event.actor_role === 'deadline';
      return [
        news('freelancer', byDeadline ? `Payment released for ${m}: the review period ended` : `Payment released for ${m}`, amounts),
        news('client', byDeadline ? `Payment released for ${m}: the review period ended without a response` : `You released payment for ${m}`, amounts),
      ];
    }
    case 'milestone.bonus_paid':
      return [news('freelancer', `You received a bonus on ${m}`, [['Bonus', num(d.amount)]])];
    case 'milestone.refunded':
      return [news('client', `Escrow refunded to your balance for ${m}`, [['Refunded', num(d.amount)]]), news('freelancer', `Escrow for ${m} was refunded to the client`, [['Refunded', num(d.amount)]])];
    case 'milestone.refund_requested':
      return [ask('freelancer', `The client asks for the escrow of ${m} back`, 'Approve the refund, or file a dispute if you delivered the work. If you do nothing, the client is refunded when the window ends.', str(d.refund_due_at), [['Refund requested', num(d.amount)]])];
    case 'dispute.filed':
      return [
        ask('client', `A dispute was filed on ${m}`, 'Respond to the dispute within 5 business days: approve the payment or decline it with your reasons and documents. If you do not respond in time, the requested amount is released to the freelancer.', str(d.response_due_at), [['Requested', num(d.amount_requested)]], 'dispute'),
        news('freelancer', `Your dispute on ${m} was filed; the client has been asked to respond`, [['Requested', num(d.amount_requested)]], 'dispute'),
      ];
    case 'dispute.approved':
      return [news('freelancer', `The client approved your dispute on ${m}`, [['Approved', num(d.amount)]], 'dispute')];
    case 'dispute.declined':
      return [news('freelancer', `The client declined your dispute on ${m}; our team will review both sides`, [], 'dispute')];
    case 'dispute.proposal_issued': {
      const amounts: Array<[string, number]> = [['To the freelancer', num(d.freelancer_amount)], ['To the client', num(d.client_amount)]];
      const action = 'Accept or reject the proposal within 2 days. If either of you rejects it or does not answer in time, mediation ends.';
      return [ask('client', `A resolution was proposed for the dispute on ${m}`, action, str(d.due_at), amounts, 'dispute'), ask('freelancer', `A resolution was proposed for the dispute on ${m}`, action, str(d.due_at), amounts, 'dispute')];
    }
    case 'dispute.proposal_accepted':
    case 'dispute.proposal_rejected':
      return [news(other(event.actor_role), `The ${event.actor_role} ${event.type.endsWith('accepted') ? 'accepted' : 'rejected'} the proposal on ${m}`, [], 'dispute')];
    case 'dispute.not_resolved': {
      const action = 'You may opt in to binding arbitration by paying the arbitration fee. If only one party pays, the escrow goes to that party; if neither does, it returns to the client.';
      const amounts: Array<[string, number]> = [['Arbitration fee', num(d.arbitration_fee_amount)]];
      return [
        ask('client', `Notice of Non-Resolution: the dispute on ${m}`, action, str(d.arbitration_due_at), amounts, 'dispute'),
        ask('freelancer', `Notice of Non-Resolution: the dispute on ${m}`, action, str(d.arbitration_due_at), amounts, 'dispute'),
      ];
    }
    case 'dispute.arbitration_opt_in':
      return [news(other(event.actor_role), `The ${event.actor_role} opted in to arbitration on ${m}`, [['Fee paid', num(d.fee_amount)]], 'dispute')];
    case 'dispute.arbitration_started':
    case 'dispute.arbitrator_assigned': {
      const subject = `An arbitrator is assigned to the dispute on ${m}`;
      const arbitrator = ctx.dispute?.arbitrator_id ? [ask('arbitrator', `New case: the dispute on ${m}`, 'Read the case file and record a binding award.', null, [], 'dispute')] : [];
      return [news('client', subject, [], 'dispute'), news('freelancer', subject, [], 'dispute'), ...arbitrator];
    }
    case 'dispute.award_recorded': {
      const amounts: Array<[string, number]> = [['To the freelancer', num(d.freelancer_amount)], ['To the client', num(d.client_amount)]];
      return [news('client', `The arbitrator's award on ${m}`, amounts, 'dispute'), news('freelancer', `The arbitrator's award on ${m}`, amounts, 'dispute')];
    }
    case 'dispute.resolved': {
      const amounts: Array<[string, number]> = [['To the freelancer', num(d.freelancer_amount)], ['Service fee', num(d.fee)], ['To the client', num(d.client_amount)]];
      return [news('client', `The dispute on ${m} is resolved`, amounts, 'dispute'), news('freelancer', `The dispute on ${m} is resolved`, amounts, 'dispute')];
    }
    default:
      return [];
  }
}

export type ReminderKind = 'review' | 'refund' | 'response' | 'proposal' | 'arbitration';
/** Reminders go out this many hours before every deadline (PRODUCT.md "Time"). */
export const REMINDER_HOURS = [48, 24] as const;

const REMINDER_TEXT: Record<ReminderKind, { what: string; action: string; page: 'contract' | 'dispute' }> = {
  review: { what: 'review the submitted work on', action: 'Approve the work or request changes. If you do nothing, the escrow is released to the freelancer when the review period ends.', page: 'contract' },
  refund: { what: 'answer the refund request on', action: 'Approve the refund or file a dispute. If you do nothing, the client is refunded.', page: 'contract' },
  response: { what: 'respond to the dispute on', action: 'Approve the payment or decline with your reasons and documents. If you do not respond, the requested amount is released to the freelancer.', page: 'dispute' },
  proposal: { what: 'accept or reject the proposed resolution on', action: 'Accept or reject the proposal. Without both acceptances mediation ends.', page: 'dispute' },
  arbitration: { what: 'opt in to binding arbitration on', action: 'Pay the arbitration fee to opt in. If you do not, and the other party does, the escrow goes to them.', page: 'dispute' },
};

/** The reminder `hours` before a deadline of `kind`. */
export function reminder(kind: ReminderKind, hours: number, subjectTitle: string, deadline: string): Pick<PlannedNotification, 'subject' | 'action' | 'deadline' | 'page'> {
  const t = REMINDER_TEXT[kind];
  return { subject: `Reminder: ${hours} hours left to ${t.what} "${subjectTitle}"`, action: t.action, deadline, page: t.page };
}
