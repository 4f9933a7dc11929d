-- Foundation: users and sessions, the double-entry ledger, payouts, pending
-- holds, idempotency keys and the sandbox clock. Limits here mirror
-- src/domain/limits.ts, the first line of defence at the HTTP edge.

-- Rows that are history, not state, may never change: this trigger is the
-- database's own guarantee, whatever the application does.
create function settle_forbid_change() returns trigger language plpgsql as $$
begin
  raise exception 'rows of % are immutable', tg_table_name using errcode = 'P0001';
end $$;

create table users (
  seq bigserial not null unique,
  id text primary key check (id ~ '^usr_[0-9A-Za-z]+$'),
  email text not null check (char_length(email) between 3 and 254),
  password_hash text not null,
  name text not null check (char_length(name) between 1 and 200),
  role text not null check (role in ('member', 'staff', 'arbitrator')),
  time_zone text not null check (char_length(time_zone) between 1 and 64),
  country text check (country ~ '^[A-Z]{2}$'),
  created_at timestamptz not null
);
create unique index users_email_key on users (lower(email));

-- Only the SHA-256 of a session token is stored: a copy of this table signs nobody in.
create table sessions (
  token_hash text primary key check (char_length(token_hash) = 64),
  user_id text not null references users (id),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index sessions_user_idx on sessions (user_id);

create table sign_in_failures (
  seq bigserial primary key,
  email text not null,
  client_ip text not null,
  failed_at timestamptz not null
);
create index sign_in_failures_email_idx on sign_in_failures (lower(email), failed_at);
create index sign_in_failures_ip_idx on sign_in_failures (client_ip, failed_at);

-- The ledger. An account's balance is the sum of its entries; `balance` is
-- that sum kept current in the same transaction as each transfer, so the
-- non-negative check is enforced row by row under concurrency.
create table accounts (
  seq bigserial not null unique,
  id text primary key check (id ~ '^acct_[0-9A-Za-z]+$'),
  kind text not null check (kind in ('world', 'platform_fees', 'user_available', 'user_pending', 'escrow', 'arbitration_fees')),
  owner_id text,
  currency text not null check (currency in ('usd', 'eur', 'gbp', 'jpy')),
  balance bigint not null default 0,
  created_at timestamptz not null,
  -- Only the outside world may go below zero: it is where money comes from.
  constraint accounts_balance_non_negative check (kind = 'world' or balance >= 0),
  constraint accounts_owner_matches_kind check ((kind in ('world', 'platform_fees')) = (owner_id is null)),
  unique (id, currency)
);
create unique index accounts_owner_kind_currency_key on accounts (kind, coalesce(owner_id, ''), currency);

-- A transfer moves `amount` from one account to another of the same currency.
-- Never updated, never deleted: a correction is another transfer.
create table transfers (
  seq bigserial not null unique,
  id text primary key check (id ~ '^tr_[0-9A-Za-z]+$'),
  kind text not null check (kind ~ '^[a-z_]{1,64}$'),
  currency text not null,
  debit_account_id text not null,
  credit_account_id text not null,
  amount bigint not null check (amount > 0 and amount <= 1000000000000),
  -- The object whose state change justifies the transfer (payout, milestone, dispute…).
  ref_id text,
  description text not null check (char_length(description) <= 500),
  created_at timestamptz not null,
  check (debit_account_id <> credit_account_id),
  foreign key (debit_account_id, currency) references accounts (id, currency),
  foreign key (credit_account_id, currency) references accounts (id, currency)
);
create index transfers_ref_idx on transfers (ref_id);
create trigger transfers_immutable before update or delete on transfers
  for each row execute function settle_forbid_change();

-- Two entries per transfer: the debit (negative) and the credit (positive),
-- each with the account's balance after it. A user's statement reads these.
create table ledger_entries (
  seq bigserial not null unique,
  id text primary key check (id ~ '^txn_[0-9A-Za-z]+$'),
  transfer_id text not null references transfers (id),
  account_id text not null references accounts (id),
  amount bigint not null check (amount <> 0),
  balance_after bigint not null,
  created_at timestamptz not null
);
create index ledger_entries_account_idx on ledger_entries (account_id, seq);
create index ledger_entries_transfer_idx on ledger_entries (transfer_id);
create trigger ledger_entries_immutable before update or delete on ledger_entries
  for each row execute function settle_forbid_change();

create table payouts (
  seq bigserial not null unique,
  id text primary key check (id ~ '^po_[0-9A-Za-z]+$'),
  user_id text not null references users (id),
  amount bigint not null check (amount > 0),
  currency text not null check (currency in ('usd', 'eur', 'gbp', 'jpy')),
  status text not null check (status in ('paid')),
  transfer_id text not null references transfers (id),
  created_at timestamptz not null
);
create index payouts_user_idx on payouts (user_id, seq);

-- Released money waits here for the security hold; the sweeper makes it
-- available once `available_at` has passed. `made_available_at` is the only
-- column that ever changes, once.
create table pending_funds (
  seq bigserial not null unique,
  id text primary key check (id ~ '^pf_[0-9A-Za-z]+$'),
  user_id text not null references users (id),
  currency text not null check (currency in ('usd', 'eur', 'gbp', 'jpy')),
  amount bigint not null check (amount > 0),
  available_at timestamptz not null,
  made_available_at timestamptz,
  source_transfer_id text not null references transfers (id),
  created_at timestamptz not null
);
create index pending_funds_due_idx on pending_funds (available_at) where made_available_at is null;

-- Idempotency-Key: the first response to a (caller, key) is kept and replayed.
create table idempotency_keys (
  principal text not null,
  key text not null check (char_length(key) between 1 and 255),
  method text not null,
  path text not null,
  request_hash text not null,
  status_code integer,
  response_body text,
  created_at timestamptz not null,
  completed_at timestamptz,
  primary key (principal, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);

-- The sandbox clock's time (SETTLE_CLOCK=manual), kept across restarts.
create table sandbox_clock (
  id integer primary key check (id = 1),
  now timestamptz not null
);
