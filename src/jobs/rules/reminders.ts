// Reminders 48 h and 24 h before every deadline, to whoever must act (PRODUCT.md
// "Time"): the client before the review window and the dispute response ends,
// the freelancer before the refund window ends, each party that has not
// decided on a proposal or paid its arbitration fee. They are derived from
// the deadline columns and the state, so acting (or the state moving on)
// cancels them by itself; `reminders_sent` makes each go out once per person,
// deadline instant and offset. A reminder whose moment came before its
// deadline was armed (a window resumed with less than 48 h left), or passed
// while a later one is already due, is recorded as skipped instead of sent,
// and none is sent once the deadline has passed.

import { REMINDER_HOURS, reminder, type ReminderKind } from '../../domain/notifications.ts';
import { insertNotifications, type NewNotification } from '../../app/notify/enqueue.ts';
import type { Rule } from '../engine.ts';

/**
 * Who must act before which deadline: (subject, user, due, contract, dispute, title, armed) rows.
 * `armed_at` is when the deadline was set: a milestone's window is set by the
 * transition into its state (which writes `updated_at`), and a withdrawn
 * dispute can re-arm it with less than 48 h left. Dispute windows always start
 * full (5 business days, 2 days, 7 days), so theirs is null.
 */
const CANDIDATES: Record<ReminderKind, string> = {
  review: `select m.id as subject_id, c.client_id as user_id, m.review_due_at as due_at, c.id as contract_id, null::text as dispute_id, m.title, m.updated_at as armed_at
             from milestones m join contracts c on c.id = m.contract_id where m.status = 'submitted'`,
  refund: `select m.id, c.freelancer_id, m.refund_due_at, c.id, null::text, m.title, m.updated_at
             from milestones m join contracts c on c.id = m.contract_id where m.status = 'refund_requested'`,
  response: `select d.id, c.client_id, d.response_due_at, c.id, d.id, m.title, null::timestamptz
               from disputes d join contracts c on c.id = d.contract_id join milestones m on m.id = d.milestone_id where d.status = 'awaiting_response'`,
  proposal: `select d.id, p.user_id, d.proposal_due_at, c.id, d.id, m.title, null::timestamptz
               from disputes d join contracts c on c.id = d.contract_id join milestones m on m.id = d.milestone_id
               cross join lateral (values ('client', c.client_id), ('freelancer', c.freelancer_id)) as p(party, user_id)
              where d.status = 'proposal_issued' and not exists (select 1 from proposal_decisions x where x.dispute_id = d.id and x.party = p.party)`,
  arbitration: `select d.id, p.user_id, d.arbitration_due_at, c.id, d.id, m.title, null::timestamptz
                  from disputes d join contracts c on c.id = d.contract_id join milestones m on m.id = d.milestone_id
                  cross join lateral (values ('client', c.client_id), ('freelancer', c.freelancer_id)) as p(party, user_id)
                 where d.status = 'not_resolved' and not exists (select 1 from arbitration_opt_ins x where x.dispute_id = d.id and x.party = p.party)`,
};

function pendingReminders(kind: ReminderKind): string {
  return `select c.*, h.hours, c.due_at - make_interval(hours => h.hours) as remind_at
            from (${CANDIDATES[kind]}) as c(subject_id, user_id, due_at, contract_id, dispute_id, title, armed_at)
            cross join unnest($1::int[]) as h(hours)
           where not exists (select 1 from reminders_sent r where r.subject_id = c.subject_id and r.kind = '${kind}'
                              and r.due_at = c.due_at and r.hours_before = h.hours and r.user_id = c.user_id)`;
}

interface DueReminder {
  subject_id: string;
  user_id: string;
  due_at: Date;
  contract_id: string;
  dispute_id: string | null;
  title: string;
  armed_at: Date | null;
  hours: number;
  remind_at: Date;
}

function reminderRule(kind: ReminderKind): Rule {
  return {
    name: `reminder_${kind}`,
    async nextDue(db) {
      const r = await db.query<{ due: Date | null }>(`select min(remind_at) as due from (${pendingReminders(kind)}) as p`, [REMINDER_HOURS]);
      return r.rows[0]?.due ?? null;
    },
    async runBatch(deps, now, until, limit) {
      return deps.db.transaction(async (tx) => {
        const due = await tx.query<DueReminder>(`select * from (${pendingReminders(kind)}) as p where remind_at < $2 and remind_at <= $3 order by remind_at limit $4`, [REMINDER_HOURS, now, until, limit]);
        if (due.rows.length === 0) return 0;
        // Claim each reminder once, whatever else is sweeping.
        const claimed = await tx.query<{ subject_id: string; hours_before: number; user_id: string; due_at: Date }>(
          `insert into reminders_sent (subject_id, kind, due_at, hours_before, user_id, sent_at)
           select subject_id, $5, due_at, hours, user_id, $6 from unnest($1::text[], $2::timestamptz[], $3::int[], $4::text[]) as r(subject_id, due_at, hours, user_id)
           on conflict do nothing returning subject_id, hours_before, user_id, due_at`,
          [due.rows.map((r) => r.subject_id), due.rows.map((r) => r.due_at), due.rows.map((r) => r.hours), due.rows.map((r) => r.user_id), kind, now],
        );
        const mine = new Set(claimed.rows.map((r) => `${r.subject_id}|${r.hours_before}|${r.user_id}|${r.due_at.getTime()}`));
        const rows: NewNotification[] = [];
        for (const r of due.rows) {
          if (!mine.has(`${r.subject_id}|${r.hours}|${r.user_id}|${r.due_at.getTime()}`)) continue;
          const nextOffset = REMINDER_HOURS.find((h) => h < r.hours);
          const superseded = nextOffset !== undefined && now.getTime() >= r.due_at.getTime() - nextOffset * 3_600_000;
          // A deadline armed after this reminder's moment (a window resumed with less than 48 h left) skips it.
          const armedLater = r.armed_at !== null && r.remind_at.getTime() < r.armed_at.getTime();
          if (superseded || armedLater || now.getTime() >= r.due_at.getTime()) continue;
          const text = reminder(kind, r.hours, r.title, r.due_at.toISOString());
          rows.push({
            user_id: r.user_id,
            event_id: null,
            type: `reminder.${kind}`,
            subject: text.subject,
            body: `Milestone: ${r.title}`,
            action: text.action,
            link: text.page === 'dispute' && r.dispute_id ? `/disputes/${r.dispute_id}` : `/contracts/${r.contract_id}`,
            deadline_at: r.due_at,
            contract_id: r.contract_id,
            dispute_id: r.dispute_id,
          });
        }
        await insertNotifications(tx, now, rows);
        return due.rows.length;
      });
    },
  };
}

export const REMINDER_RULES: readonly Rule[] = (['review', 'refund', 'response', 'proposal', 'arbitration'] as const).map(reminderRule);
