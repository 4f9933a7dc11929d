-- Contracts, milestones, submissions, change requests and the append-only
-- record of events. Deadlines are columns on the rows they govern, indexed
-- for the sweeper (partial indexes hold only the rows that can fall due).

create table contracts (
  seq bigserial not null unique,
  id text primary key check (id ~ '^ctr_[0-9A-Za-z]+$'),
  title text not null check (char_length(title) between 1 and 200),
  description text not null default '' check (char_length(description) <= 5000),
  status text not null check (status in ('offered', 'active', 'declined', 'ended')),
  currency text not null check (currency in ('usd', 'eur', 'gbp', 'jpy')),
  client_id text not null references users (id),
  freelancer_id text not null references users (id),
  created_at timestamptz not null,
  accepted_at timestamptz,
  ended_at timestamptz,
  ended_by text check (ended_by in ('client', 'freelancer')),
  end_reason text check (char_length(end_reason) <= 2000),
  check (client_id <> freelancer_id)
);
create index contracts_client_idx on contracts (client_id, seq);
create index contracts_freelancer_idx on contracts (freelancer_id, seq);

create table milestones (
  seq bigserial not null unique,
  id text primary key check (id ~ '^ms_[0-9A-Za-z]+$'),
  contract_id text not null references contracts (id),
  position integer not null check (position between 1 and 50),
  title text not null check (char_length(title) between 1 and 200),
  amount bigint not null check (amount between 1 and 10000000000),
  currency text not null check (currency in ('usd', 'eur', 'gbp', 'jpy')),
  status text not null check (status in ('pending', 'funded', 'submitted', 'changes_requested', 'paid', 'refund_requested', 'refunded', 'in_dispute', 'cancelled')),
  due_date date,
  review_due_at timestamptz,
  refund_due_at timestamptz,
  funded_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (contract_id, position),
  -- A clock runs only in the state it belongs to.
  check (review_due_at is null or status = 'submitted'),
  check (refund_due_at is null or status = 'refund_requested'),
  check (status <> 'submitted' or review_due_at is not null),
  check (status <> 'refund_requested' or refund_due_at is not null)
);
create index milestones_review_due_idx on milestones (review_due_at) where status = 'submitted';
create index milestones_refund_due_idx on milestones (refund_due_at) where status = 'refund_requested';

create table submissions (
  seq bigserial not null unique,
  milestone_id text not null references milestones (id),
  message text not null check (char_length(message) between 1 and 5000),
  file_ids text[] not null default '{}' check (cardinality(file_ids) <= 20),
  submitted_by text not null references users (id),
  submitted_at timestamptz not null
);
create index submissions_milestone_idx on submissions (milestone_id, seq);
create trigger submissions_immutable before update or delete on submissions
  for each row execute function settle_forbid_change();

create table change_requests (
  seq bigserial not null unique,
  milestone_id text not null references milestones (id),
  message text not null check (char_length(message) between 1 and 5000),
  requested_by text not null references users (id),
  requested_at timestamptz not null
);
create index change_requests_milestone_idx on change_requests (milestone_id, seq);
create trigger change_requests_immutable before update or delete on change_requests
  for each row execute function settle_forbid_change();

-- The record: every action on a contract, milestone (and later dispute)
-- appends one event. Never updated, never deleted.
create table events (
  seq bigserial not null unique,
  id text primary key check (id ~ '^evt_[0-9A-Za-z]+$'),
  type text not null check (type ~ '^[a-z_]+\.[a-z_]+$'),
  contract_id text not null references contracts (id),
  milestone_id text references milestones (id),
  actor_id text references users (id),
  actor_role text check (actor_role in ('client', 'freelancer', 'staff', 'arbitrator', 'operator', 'deadline', 'system')),
  data jsonb not null default '{}',
  created_at timestamptz not null
);
create index events_contract_idx on events (contract_id, seq);
create index events_milestone_idx on events (milestone_id, seq) where milestone_id is not null;
create trigger events_immutable before update or delete on events
  for each row execute function settle_forbid_change();
