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
//
// The row that holds the deadline (milestone or dispute) also holds the
// moment of its next reminder, `next_reminder_at` (migrations/0006): set by a
// trigger whenever the running deadline changes, moved on to the next offset
// here. So finding what is due is one index probe, not a pass over every open
// window. A batch locks its governing rows (SKIP LOCKED, state re-checked),
// handles one offset of each, and moves each row on.

import { assert } from '../../domain/errors.ts';
import { REMINDER_HOURS, reminder, type ReminderKind } from '../../domain/notifications.ts';
import { insertNotifications, type NewNotification } from '../../app/notify/enqueue.ts';
import type { Rule } from '../engine.ts';

const HOUR_MS = 3_600_000;

/** The row that holds each kind's deadline, the state in which it runs, and the deadline column. */
const GOVERNING: Record<ReminderKind, { table: 'milestones' | 'disputes'; state: string; column: string }> = {
  review: { table: 'milestones', state: 'submitted', column: 'review_due_at' },
  refund: { table: 'milestones', state: 'refund_requested', column: 'refund_due_at' },
  response: { table: 'disputes', state: 'awaiting_response', column: 'response_due_at' },
  proposal: { table: 'disputes', state: 'proposal_issued', column: 'proposal_due_at' },
  arbitration: { table: 'disputes', state: 'not_resolved', column: 'arbitration_due_at' },
};

/**
 * Who must act on the governing rows `$1` (ids): (subject, user, due, contract, dispute, title, armed, remind_at) rows.
 * `armed_at` is when the deadline was set: a milestone's window is set by the
 * transition into its state (which writes `updated_at`), and a withdrawn
 * dispute can re-arm it with less than 48 h left. Dispute windows always start
 * full (5 business days, 2 days, 7 days), so theirs is null.
 */
const CANDIDATES: Record<ReminderKind, string> = {
  review: `select m.id as subject_id, c.client_id as user_id, m.review_due_at as due_at, c.id as contract_id, null::text as dispute_id, m.title, m.updated_at as armed_at, m.next_reminder_at as remind_at
             from milestones m join contracts c on c.id = m.contract_id where m.id = any($1::text[])
            order by m.next_reminder_at, m.seq`,
  refund: `select m.id as subject_id, c.freelancer_id as user_id, m.refund_due_at as due_at, c.id as contract_id, null::text as dispute_id, m.title, m.updated_at as armed_at, m.next_reminder_at as remind_at
             from milestones m join contracts c on c.id = m.contract_id where m.id = any($1::text[])
            order by m.next_reminder_at, m.seq`,
  response: `select d.id as subject_id, c.client_id as user_id, d.response_due_at as due_at, c.id as contract_id, d.id as dispute_id, m.title, null::timestamptz as armed_at, d.next_reminder_at as remind_at
               from disputes d join contracts c on c.id = d.contract_id join milestones m on m.id = d.milestone_id where d.id = any($1::text[])
              order by d.next_reminder_at, d.seq`,
  proposal: `select d.id as subject_id, p.user_id, d.proposal_due_at as due_at, c.id as contract_id, d.id as dispute_id, m.title, null::timestamptz as armed_at, d.next_reminder_at as remind_at
               from disputes d join contracts c on c.id = d.contract_id join milestones m on m.id = d.milestone_id
               cross join lateral (values (1, 'client', c.client_id), (2, 'freelancer', c.freelancer_id)) as p(n, party, user_id)
              where d.id = any($1::text[]) and not exists (select 1 from proposal_decisions x where x.dispute_id = d.id and x.party = p.party)
              order by d.next_reminder_at, d.seq, p.n`,
  arbitration: `select d.id as subject_id, p.user_id, d.arbitration_due_at as due_at, c.id as contract_id, d.id as dispute_id, m.title, null::timestamptz as armed_at, d.next_reminder_at as remind_at
                  from disputes d join contracts c on c.id = d.contract_id join milestones m on m.id = d.milestone_id
                  cross join lateral (values (1, 'client', c.client_id), (2, 'freelancer', c.freelancer_id)) as p(n, party, user_id)
                 where d.id = any($1::text[]) and not exists (select 1 from arbitration_opt_ins x where x.dispute_id = d.id and x.party = p.party)
                 order by d.next_reminder_at, d.seq, p.n`,
};

interface DueReminder {
  subject_id: string;
  user_id: string;
  due_at: Date;
  contract_id: string;
  dispute_id: string | null;
  title: string;
  armed_at: Date | null;
  remind_at: Date;
}

/** The offset (hours before the deadline) a reminder moment stands for. */
function offsetOf(due: Date, remindAt: Date): number {
  const hours = (due.getTime() - remindAt.getTime()) / HOUR_MS;
  assert((REMINDER_HOURS as readonly number[]).includes(hours), `a reminder moment is ${REMINDER_HOURS.join(' or ')} h before its deadline`);
  return hours;
}

/** The moment of the reminder after the one `hours` before `due`, or null after the last. */
function nextMoment(due: Date, hours: number): Date | null {
  const next = REMINDER_HOURS.find((h) => h < hours);
  return next === undefined ? null : new Date(due.getTime() - next * HOUR_MS);
}

function reminderRule(kind: ReminderKind): Rule {
  const { table, state, column } = GOVERNING[kind];
  return {
    name: `reminder_${kind}`,
    async nextDue(db) {
      const r = await db.query<{ due: Date | null }>(`select min(next_reminder_at) as due from ${table} where status = '${state}' and next_reminder_at is not null`);
      return r.rows[0]?.due ?? null;
    },
    async runBatch(deps, now, until, limit) {
      return deps.db.transaction(async (tx) => {
        const picked = await tx.query<{ id: string; due_at: Date; remind_at: Date }>(
          `select id, ${column} as due_at, next_reminder_at as remind_at from ${table}
            where status = '${state}' and next_reminder_at is not null and next_reminder_at < $1 and next_reminder_at <= $2
            order by next_reminder_at, seq limit $3 for no key update skip locked`,
          [now, until, limit],
        );
        if (picked.rows.length === 0) return 0;
        const due = (await tx.query<DueReminder>(CANDIDATES[kind], [picked.rows.map((r) => r.id)])).rows;
        // Claim each reminder once, whatever else is sweeping.
        const claimed =
          due.length === 0
            ? []
            : (
                await tx.query<{ subject_id: string; hours_before: number; user_id: string; due_at: Date }>(
                  `insert into reminders_sent (subject_id, kind, due_at, hours_before, user_id, sent_at)
                   select subject_id, $5, due_at, hours, user_id, $6 from unnest($1::text[], $2::timestamptz[], $3::int[], $4::text[]) as r(subject_id, due_at, hours, user_id)
                   on conflict do nothing returning subject_id, hours_before, user_id, due_at`,
                  [due.map((r) => r.subject_id), due.map((r) => r.due_at), due.map((r) => offsetOf(r.due_at, r.remind_at)), due.map((r) => r.user_id), kind, now],
                )
              ).rows;
        const mine = new Set(claimed.map((r) => `${r.subject_id}|${r.hours_before}|${r.user_id}|${r.due_at.getTime()}`));
        const rows: NewNotification[] = [];
        for (const r of due) {
          const hours = offsetOf(r.due_at, r.remind_at);
          if (!mine.has(`${r.subject_id}|${hours}|${r.user_id}|${r.due_at.getTime()}`)) continue;
          const nextOffset = REMINDER_HOURS.find((h) => h < hours);
          const superseded = nextOffset !== undefined && now.getTime() >= r.due_at.getTime() - nextOffset * HOUR_MS;
          // A deadline armed after this reminder's moment (a window resumed with less than 48 h left) skips it.
          const armedLater = r.armed_at !== null && r.remind_at.getTime() < r.armed_at.getTime();
          if (superseded || armedLater || now.getTime() >= r.due_at.getTime()) continue;
          const text = reminder(kind, hours, r.title, r.due_at.toISOString());
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
        // Each governing row moves on to its next reminder (or none), whether or not anyone was left to remind.
        await tx.query(`update ${table} t set next_reminder_at = v.next from unnest($1::text[], $2::timestamptz[]) as v(id, next) where t.id = v.id`, [
          picked.rows.map((r) => r.id),
          picked.rows.map((r) => nextMoment(r.due_at, offsetOf(r.due_at, r.remind_at))),
        ]);
        // Reminders handled, plus rows that had nobody left to remind: more than 0 whenever something was due.
        const withReminders = new Set(due.map((r) => r.subject_id));
        return due.length + picked.rows.filter((r) => !withReminders.has(r.id)).length;
      });
    },
  };
}

export const REMINDER_RULES: readonly Rule[] = (['review', 'refund', 'response', 'proposal', 'arbitration'] as const).map(reminderRule);
