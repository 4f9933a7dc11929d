-- Storage for the sweeper's writes (docs/benchmarks.md, docs/postgres.md).
--
-- Every transfer rewrites the balance of its two accounts, and a batch of
-- 1,000 releases rewrites ~1,700 of them. `balance` is in no index, so with
-- room left on the page PostgreSQL updates the row in place (a HOT update)
-- instead of writing a new entry into each of the table's four indexes. New
-- pages of `accounts` keep 30 % free for that; existing pages get it as they
-- are rewritten.
alter table accounts set (fillfactor = 70);

-- No statement looks ledger entries up by transfer: the statement reads them
-- by account (`ledger_entries_account_idx`), a cursor by id (the primary key),
-- and the ledger check reads the whole table. The index only cost a random
-- insert per entry (4,000 per batch). The foreign key to transfers stays;
-- transfers are never deleted (a trigger refuses it), so it needs no index on
-- this side.
drop index ledger_entries_transfer_idx;
