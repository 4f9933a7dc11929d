-- TRUNCATE fires no row triggers, so the triggers that keep history immutable
-- (`settle_forbid_change`) and referenced rows in place
-- (`settle_forbid_key_change`, 0008) did not stop it. Where a declared foreign
-- key pointed at a table, TRUNCATE failed anyway; 0008 replaced those on the
-- release path with statement checks, so `truncate transfers` would have
-- emptied the ledger without a word. A table whose rows may not be deleted may
-- not be truncated either.

do $$
declare
  t text;
begin
  foreach t in array array['transfers', 'ledger_entries', 'submissions', 'change_requests', 'events', 'files',
                           'dispute_statements', 'dispute_messages', 'dispute_proposals', 'proposal_decisions',
                           'arbitration_opt_ins', 'dispute_awards', 'file_citations'] loop
    execute format('create trigger %I before truncate on %I for each statement execute function settle_forbid_change()', t || '_no_truncate', t);
  end loop;
  foreach t in array array['accounts', 'users', 'contracts', 'milestones', 'disputes', 'notifications'] loop
    execute format('create trigger %I before truncate on %I for each statement execute function settle_forbid_key_change()', t || '_no_truncate', t);
  end loop;
end $$;
