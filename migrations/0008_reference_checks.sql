-- References checked per statement instead of per row on the tables a release
-- writes (docs/decisions.md "References on the write path").
--
-- A declared foreign key checks each inserted row on its own: a query through
-- SPI and a share lock on the referenced row, 12 to 17 µs each on the
-- benchmark machine. A sweeper batch of 1,000 releases makes about 24,000 of
-- them, a third of its time in PostgreSQL. On these six tables the same rule
-- is kept by the database another way:
--
-- * inserts: one statement-level trigger per table looks up, for the whole
--   statement at once, every referenced row of every inserted row (an anti-join
--   of the statement's new rows against the referenced table's primary key),
--   and fails the statement with 23503, as a foreign key would;
-- * updates: the referencing columns can never be set again (they never are);
-- * the referenced side: a referenced row's key never changes and the row is
--   never deleted (transfers and events were immutable already; accounts,
--   users, contracts, milestones, disputes and notifications now say so too).
--   With nothing ever deleted there is no race for a share lock to prevent.
--
-- Every other foreign key stays as it was.

-- Arguments: triples of (referencing columns, referenced table, referenced
-- columns), columns comma-separated, as `foreign key (a, b) references t (x, y)`.
-- A row whose referencing columns are all null references nothing. The joins
-- are kept to index probes, so the check costs O(rows) whatever the size of
-- the referenced table.
create function settle_check_references() returns trigger language plpgsql
  set enable_hashjoin = off set enable_mergejoin = off as $$
declare
  i integer;
  child text[];
  parent text[];
  matches text;
  present text;
  missing text;
begin
  for i in 0 .. tg_nargs / 3 - 1 loop
    child := string_to_array(tg_argv[3 * i], ',');
    parent := string_to_array(tg_argv[3 * i + 2], ',');
    select string_agg(format('p.%I = n.%I', parent[k], child[k]), ' and '),
           string_agg(format('n.%I is not null', child[k]), ' and ')
      into matches, present
      from generate_subscripts(child, 1) as k;
    execute format('select n.%I::text from new_rows n where %s and not exists (select 1 from %I p where %s) limit 1',
                   child[1], present, tg_argv[3 * i + 1], matches)
      into missing;
    if missing is not null then
      raise exception 'insert on table % violates its reference (%) to %(%): % is not there',
        tg_table_name, tg_argv[3 * i], tg_argv[3 * i + 1], tg_argv[3 * i + 2], missing
        using errcode = '23503';
    end if;
  end loop;
  return null;
end $$;

-- Referenced rows keep their key and are never deleted; referencing columns are never re-pointed.
create function settle_forbid_key_change() returns trigger language plpgsql as $$
begin
  raise exception 'rows of % keep their key and what they reference, and are never deleted', tg_table_name
    using errcode = '23503';
end $$;

alter table transfers drop constraint transfers_debit_account_id_currency_fkey;
alter table transfers drop constraint transfers_credit_account_id_currency_fkey;
create trigger transfers_references after insert on transfers referencing new table as new_rows
  for each statement execute function settle_check_references(
    'debit_account_id,currency', 'accounts', 'id,currency',
    'credit_account_id,currency', 'accounts', 'id,currency');

alter table ledger_entries drop constraint ledger_entries_transfer_id_fkey;
alter table ledger_entries drop constraint ledger_entries_account_id_fkey;
create trigger ledger_entries_references after insert on ledger_entries referencing new table as new_rows
  for each statement execute function settle_check_references(
    'transfer_id', 'transfers', 'id',
    'account_id', 'accounts', 'id');

alter table pending_funds drop constraint pending_funds_user_id_fkey;
alter table pending_funds drop constraint pending_funds_source_transfer_id_fkey;
create trigger pending_funds_references after insert on pending_funds referencing new table as new_rows
  for each statement execute function settle_check_references(
    'user_id', 'users', 'id',
    'source_transfer_id', 'transfers', 'id');
create trigger pending_funds_references_fixed before update of user_id, source_transfer_id on pending_funds
  for each row execute function settle_forbid_key_change();

alter table events drop constraint events_contract_id_fkey;
alter table events drop constraint events_milestone_id_fkey;
alter table events drop constraint events_actor_id_fkey;
alter table events drop constraint events_dispute_id_fkey;
create trigger events_references after insert on events referencing new table as new_rows
  for each statement execute function settle_check_references(
    'contract_id', 'contracts', 'id',
    'milestone_id', 'milestones', 'id',
    'actor_id', 'users', 'id',
    'dispute_id', 'disputes', 'id');

alter table notifications drop constraint notifications_user_id_fkey;
alter table notifications drop constraint notifications_event_id_fkey;
alter table notifications drop constraint notifications_contract_id_fkey;
alter table notifications drop constraint notifications_dispute_id_fkey;
create trigger notifications_references after insert on notifications referencing new table as new_rows
  for each statement execute function settle_check_references(
    'user_id', 'users', 'id',
    'event_id', 'events', 'id',
    'contract_id', 'contracts', 'id',
    'dispute_id', 'disputes', 'id');
create trigger notifications_references_fixed before update of user_id, event_id, contract_id, dispute_id on notifications
  for each row execute function settle_forbid_key_change();

-- The webhook endpoint's key stays a foreign key: webhook deliveries are not on the release path.
alter table outbox drop constraint outbox_notification_id_fkey;
alter table outbox drop constraint outbox_event_id_fkey;
create trigger outbox_references after insert on outbox referencing new table as new_rows
  for each statement execute function settle_check_references(
    'notification_id', 'notifications', 'id',
    'event_id', 'events', 'id');
create trigger outbox_references_fixed before update of notification_id, event_id on outbox
  for each row execute function settle_forbid_key_change();

create trigger accounts_key_fixed before delete or update of id, currency on accounts
  for each row execute function settle_forbid_key_change();
create trigger users_key_fixed before delete or update of id on users
  for each row execute function settle_forbid_key_change();
create trigger contracts_key_fixed before delete or update of id on contracts
  for each row execute function settle_forbid_key_change();
create trigger milestones_key_fixed before delete or update of id on milestones
  for each row execute function settle_forbid_key_change();
create trigger disputes_key_fixed before delete or update of id on disputes
  for each row execute function settle_forbid_key_change();
create trigger notifications_key_fixed before delete or update of id on notifications
  for each row execute function settle_forbid_key_change();
