-- Events whose notifications are written after their own transaction.
--
-- A sweeper batch releases up to 1,000 milestones in one transaction. Writing
-- their 2,000 notifications and 2,000 outbox emails in that same transaction
-- were 40 % of the batch's time, and its milestones stayed locked throughout
-- (docs/benchmarks.md). Such a batch instead queues its events here, one row
-- per batch, in its own transaction: the row commits with the release or not
-- at all, so no event is left without its notifications. The
-- `notification_fanout` rule (src/jobs/rules/notification-fanout.ts) writes
-- them in a transaction of their own, one row at a time, and deletes the row
-- in that transaction; the unique (event, person) index makes a second pass
-- write nothing.
--
-- A queue, not the record: rows are deleted once their notifications exist.

create table notification_queue (
  seq bigserial primary key,
  event_ids text[] not null check (cardinality(event_ids) between 1 and 4000),
  queued_at timestamptz not null
);
