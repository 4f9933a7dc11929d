-- Indexes for reads that must not scan (test/query-plans.test.ts checks the
-- plans, docs/benchmarks.md has the numbers).
--
-- Every contract and milestone object names the milestone's latest dispute,
-- open or closed (src/app/contracts/rows.ts `milestoneObjects`). The only
-- index on disputes.milestone_id is the partial one that keeps a single open
-- dispute per milestone, so closed disputes were found by reading the whole
-- table on every GET of a contract or milestone.
create index disputes_milestone_idx on disputes (milestone_id, seq);

-- The expiry rules (src/jobs/rules/housekeeping.ts) ask for the oldest row
-- on every sweep, once a second, and delete in that order: their due columns
-- need an index of their own like every other deadline.
create index sessions_expires_idx on sessions (expires_at);
create index sign_in_failures_failed_idx on sign_in_failures (failed_at);
