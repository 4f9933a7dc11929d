-- Disputes, files and the hash-chained record. Statements (filing, response),
-- messages, proposals, decisions, opt-ins and awards are rows that never
-- change: a trigger refuses UPDATE and DELETE on them. The `disputes` row holds
-- only state, deadlines and the outcome.

-- While a dispute is open the milestone's clock is paused: the state it came
-- from and the time its clock had left are kept to resume on withdrawal.
alter table milestones
  add column paused_state text check (paused_state in ('submitted', 'changes_requested', 'refund_requested')),
  add column paused_remaining_ms bigint check (paused_remaining_ms >= 0),
  add constraint milestones_paused_only_in_dispute check ((status = 'in_dispute') = (paused_state is not null));

create table files (
  seq bigserial not null unique,
  id text primary key check (id ~ '^file_[0-9A-Za-z]+$'),
  owner_id text not null references users (id),
  filename text not null check (char_length(filename) between 1 and 255),
  size bigint not null check (size between 1 and 26214400),
  content_type text not null check (char_length(content_type) between 3 and 100),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null
);
create index files_owner_idx on files (owner_id, seq);
create trigger files_immutable before update or delete on files
  for each row execute function settle_forbid_change();

create table disputes (
  seq bigserial not null unique,
  id text primary key check (id ~ '^dsp_[0-9A-Za-z]+$'),
  contract_id text not null references contracts (id),
  milestone_id text not null references milestones (id),
  status text not null check (status in ('awaiting_response', 'in_review', 'proposal_issued', 'not_resolved', 'in_arbitration', 'resolved', 'withdrawn')),
  currency text not null check (currency in ('usd', 'eur', 'gbp', 'jpy')),
  amount_requested bigint not null check (amount_requested > 0),
  escrow_amount bigint not null check (escrow_amount >= amount_requested),
  filed_by text not null references users (id),
  filed_at timestamptz not null,
  response_due_at timestamptz not null,
  response_deadline_basis jsonb not null,
  review_started_at timestamptz,
  proposal_target_at timestamptz,
  proposal_due_at timestamptz,
  arbitration_due_at timestamptz,
  arbitration_fee_amount bigint check (arbitration_fee_amount >= 0),
  arbitrator_id text references users (id),
  arbitration_started_at timestamptz,
  outcome_kind text check (outcome_kind in ('client_approved', 'response_deadline_missed', 'proposal_accepted', 'arbitration_default', 'arbitration_not_pursued', 'arbitration_award', 'withdrawn')),
  outcome_freelancer_amount bigint check (outcome_freelancer_amount >= 0),
  outcome_client_amount bigint check (outcome_client_amount >= 0),
  resolved_at timestamptz,
  -- The head of this dispute's hash chain, advanced with every event under the row lock.
  event_count integer not null default 0,
  last_hash text not null default '0000000000000000000000000000000000000000000000000000000000000000',
  check ((status in ('resolved', 'withdrawn')) = (resolved_at is not null)),
  -- A resolution splits the whole escrow; a withdrawal moves nothing (0 and 0).
  check (outcome_kind is null or outcome_kind = 'withdrawn' or outcome_freelancer_amount + outcome_client_amount = escrow_amount),
  check (outcome_kind <> 'withdrawn' or (outcome_freelancer_amount = 0 and outcome_client_amount = 0))
);
-- One open dispute per milestone.
create unique index disputes_open_per_milestone on disputes (milestone_id)
  where status in ('awaiting_response', 'in_review', 'proposal_issued', 'not_resolved', 'in_arbitration');
create index disputes_contract_idx on disputes (contract_id);
create index disputes_response_due_idx on disputes (response_due_at) where status = 'awaiting_response';
create index disputes_proposal_due_idx on disputes (proposal_due_at) where status = 'proposal_issued';
create index disputes_arbitration_due_idx on disputes (arbitration_due_at) where status = 'not_resolved';
create index disputes_review_queue_idx on disputes (review_started_at) where review_started_at is not null;
create index disputes_arbitrator_idx on disputes (arbitrator_id) where arbitrator_id is not null;

create table dispute_statements (
  dispute_id text not null references disputes (id),
  kind text not null check (kind in ('filing', 'response')),
  author_id text not null references users (id),
  decision text check (decision in ('approved', 'declined')),
  reason_code text check (char_length(reason_code) <= 64),
  description text check (char_length(description) between 20 and 5000),
  file_ids text[] not null default '{}' check (cardinality(file_ids) <= 20),
  created_at timestamptz not null,
  primary key (dispute_id, kind),
  check ((kind = 'filing') = (decision is null)),
  check (decision = 'approved' or (reason_code is not null and description is not null))
);
create trigger dispute_statements_immutable before update or delete on dispute_statements
  for each row execute function settle_forbid_change();

create table dispute_messages (
  seq bigserial not null unique,
  id text primary key check (id ~ '^msg_[0-9A-Za-z]+$'),
  dispute_id text not null references disputes (id),
  author_id text not null references users (id),
  author_role text not null check (author_role in ('client', 'freelancer', 'staff')),
  body text not null check (char_length(body) between 1 and 5000),
  file_ids text[] not null default '{}' check (cardinality(file_ids) <= 20),
  created_at timestamptz not null
);
create index dispute_messages_dispute_idx on dispute_messages (dispute_id, seq);
create trigger dispute_messages_immutable before update or delete on dispute_messages
  for each row execute function settle_forbid_change();

create table dispute_proposals (
  dispute_id text primary key references disputes (id),
  staff_id text not null references users (id),
  freelancer_amount bigint not null check (freelancer_amount >= 0),
  client_amount bigint not null check (client_amount >= 0),
  explanation text not null check (char_length(explanation) between 20 and 5000),
  issued_at timestamptz not null,
  due_at timestamptz not null
);
create trigger dispute_proposals_immutable before update or delete on dispute_proposals
  for each row execute function settle_forbid_change();

create table proposal_decisions (
  dispute_id text not null references dispute_proposals (dispute_id),
  party text not null check (party in ('client', 'freelancer')),
  decision text not null check (decision in ('accepted', 'rejected')),
  decided_by text not null references users (id),
  decided_at timestamptz not null,
  primary key (dispute_id, party)
);
create trigger proposal_decisions_immutable before update or delete on proposal_decisions
  for each row execute function settle_forbid_change();

create table arbitration_opt_ins (
  dispute_id text not null references disputes (id),
  party text not null check (party in ('client', 'freelancer')),
  user_id text not null references users (id),
  fee_amount bigint not null check (fee_amount >= 0),
  paid_at timestamptz not null,
  primary key (dispute_id, party)
);
create trigger arbitration_opt_ins_immutable before update or delete on arbitration_opt_ins
  for each row execute function settle_forbid_change();

create table dispute_awards (
  dispute_id text primary key references disputes (id),
  arbitrator_id text not null references users (id),
  freelancer_amount bigint not null check (freelancer_amount >= 0),
  client_amount bigint not null check (client_amount >= 0),
  decision text not null check (char_length(decision) between 20 and 20000),
  decided_at timestamptz not null
);
create trigger dispute_awards_immutable before update or delete on dispute_awards
  for each row execute function settle_forbid_change();

-- Where a file is cited: whoever may see that record may read the file.
create table file_citations (
  file_id text not null references files (id),
  contract_id text not null references contracts (id),
  dispute_id text references disputes (id),
  cited_at timestamptz not null
);
create index file_citations_file_idx on file_citations (file_id);
create trigger file_citations_immutable before update or delete on file_citations
  for each row execute function settle_forbid_change();

-- Dispute events carry their place in the dispute's hash chain.
alter table events
  add column dispute_id text references disputes (id),
  add column dispute_seq integer,
  add column prev_hash text check (prev_hash ~ '^[0-9a-f]{64}$'),
  add column hash text check (hash ~ '^[0-9a-f]{64}$'),
  add constraint events_chain_complete check ((dispute_id is null) = (dispute_seq is null) and (dispute_id is null) = (hash is null) and (dispute_id is null) = (prev_hash is null));
create unique index events_dispute_seq_key on events (dispute_id, dispute_seq) where dispute_id is not null;

