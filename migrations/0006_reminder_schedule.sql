-- The moment of each deadline's next reminder, kept on the row that holds
-- the deadline, so the reminder rules find what is due through an index
-- instead of computing `deadline − 48 h / 24 h` for every open window and
-- anti-joining `reminders_sent` (docs/benchmarks.md: 50 ms per look-up at
-- 100,000 open windows, a third of a sweep).
--
-- `next_reminder_at` is the moment of the earliest reminder of the running
-- deadline that no sweep has handled yet (sent, or recorded as skipped), or
-- null. Triggers set it whenever the running deadline changes, so no writer
-- can forget; the reminder rules (src/jobs/rules/reminders.ts) move it to the
-- next offset as they handle each one. `reminders_sent` stays the record of
-- what was claimed, and its primary key still makes each reminder go out once.

alter table milestones add column next_reminder_at timestamptz;
alter table disputes add column next_reminder_at timestamptz;

-- The earliest reminder moment of a deadline not yet in reminders_sent.
-- The offsets mirror REMINDER_HOURS in src/domain/notifications.ts (test/notifications.test.ts checks
-- that they agree). A deadline set again to an instant whose reminders were
-- already handled does not get them twice.
create function settle_first_reminder(subject text, reminder_kind text, due timestamptz) returns timestamptz
language sql stable as $$
  select min(due - make_interval(hours => h.hours))
    from unnest(array[48, 24]) as h(hours)
   where not exists (select 1 from reminders_sent r
                      where r.subject_id = subject and r.kind = reminder_kind and r.due_at = due and r.hours_before = h.hours)
$$;

-- A milestone's running deadline is its review or refund window (at most one
-- is set, by the checks of 0002). Milestones are created `pending`, without a
-- window, so only updates need the trigger.
create function settle_milestone_next_reminder() returns trigger language plpgsql as $$
begin
  new.next_reminder_at := case
    when new.review_due_at is not null then settle_first_reminder(new.id, 'review', new.review_due_at)
    when new.refund_due_at is not null then settle_first_reminder(new.id, 'refund', new.refund_due_at)
  end;
  return new;
end $$;

-- Fires only when a window changes; a window that ends with nothing left to
-- remind (the usual auto-release) costs no call.
create trigger milestones_next_reminder before update of review_due_at, refund_due_at on milestones
  for each row
  when ((old.review_due_at is distinct from new.review_due_at or old.refund_due_at is distinct from new.refund_due_at)
        and (new.review_due_at is not null or new.refund_due_at is not null or old.next_reminder_at is not null))
  execute function settle_milestone_next_reminder();

-- A dispute's running deadline follows its state, as runningDeadline() in
-- src/domain/dispute.ts.
create function settle_dispute_next_reminder() returns trigger language plpgsql as $$
begin
  new.next_reminder_at := case new.status
    when 'awaiting_response' then settle_first_reminder(new.id, 'response', new.response_due_at)
    when 'proposal_issued' then settle_first_reminder(new.id, 'proposal', new.proposal_due_at)
    when 'not_resolved' then settle_first_reminder(new.id, 'arbitration', new.arbitration_due_at)
  end;
  return new;
end $$;

create trigger disputes_next_reminder_insert before insert on disputes
  for each row execute function settle_dispute_next_reminder();
create trigger disputes_next_reminder_update before update of status, response_due_at, proposal_due_at, arbitration_due_at on disputes
  for each row
  when (old.status is distinct from new.status or old.response_due_at is distinct from new.response_due_at
        or old.proposal_due_at is distinct from new.proposal_due_at or old.arbitration_due_at is distinct from new.arbitration_due_at)
  execute function settle_dispute_next_reminder();

-- Rows with a running deadline when this ships.
update milestones
   set next_reminder_at = case when review_due_at is not null then settle_first_reminder(id, 'review', review_due_at)
                               else settle_first_reminder(id, 'refund', refund_due_at) end
 where review_due_at is not null or refund_due_at is not null;
update disputes
   set next_reminder_at = case status
         when 'awaiting_response' then settle_first_reminder(id, 'response', response_due_at)
         when 'proposal_issued' then settle_first_reminder(id, 'proposal', proposal_due_at)
         when 'not_resolved' then settle_first_reminder(id, 'arbitration', arbitration_due_at)
       end
 where status in ('awaiting_response', 'proposal_issued', 'not_resolved');

-- Holds only rows with a reminder to come: the rules read the first entry of their state.
create index milestones_next_reminder_idx on milestones (status, next_reminder_at) where next_reminder_at is not null;
create index disputes_next_reminder_idx on disputes (status, next_reminder_at) where next_reminder_at is not null;
