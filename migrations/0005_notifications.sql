-- Notifications: the in-app inbox, and the outbox that delivers email and
-- webhooks. Both are written in the same transaction as the change that
-- causes them, so a crash between commit and delivery loses nothing.

create table notifications (
  seq bigserial not null unique,
  id text primary key check (id ~ '^ntf_[0-9A-Za-z]+$'),
  user_id text not null references users (id),
  -- The event that caused it; null for deadline reminders.
  event_id text references events (id),
  type text not null check (char_length(type) between 1 and 80),
  subject text not null check (char_length(subject) between 1 and 300),
  body text not null check (char_length(body) <= 5000),
  action text check (char_length(action) <= 1000),
  link text not null check (char_length(link) <= 500),
  deadline_at timestamptz,
  contract_id text references contracts (id),
  dispute_id text references disputes (id),
  read_at timestamptz,
  created_at timestamptz not null
);
create unique index notifications_event_user_key on notifications (event_id, user_id) where event_id is not null;
create index notifications_user_idx on notifications (user_id, seq);
create index notifications_unread_idx on notifications (user_id) where read_at is null;

-- A reminder is sent once per person, deadline instant and offset; a
-- deadline that moves (a new submission) gets reminders of its own.
create table reminders_sent (
  subject_id text not null,
  kind text not null check (kind in ('review', 'refund', 'response', 'proposal', 'arbitration')),
  due_at timestamptz not null,
  hours_before integer not null check (hours_before in (24, 48)),
  user_id text not null references users (id),
  sent_at timestamptz not null,
  primary key (subject_id, kind, due_at, hours_before, user_id)
);

create table webhook_endpoints (
  seq bigserial not null unique,
  id text primary key check (id ~ '^we_[0-9A-Za-z]+$'),
  user_id text not null references users (id),
  url text not null check (url ~ '^https?://' and char_length(url) <= 2000),
  events text[] not null check (cardinality(events) between 1 and 50),
  secret text not null,
  created_at timestamptz not null,
  deleted_at timestamptz
);
create index webhook_endpoints_user_idx on webhook_endpoints (user_id) where deleted_at is null;

create table outbox (
  seq bigserial primary key,
  channel text not null check (channel in ('email', 'webhook')),
  notification_id text references notifications (id),
  webhook_endpoint_id text references webhook_endpoints (id),
  event_id text references events (id),
  -- Email: {to, subject, text, html, message_id}. Webhook: {url, body}.
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'dead')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null,
  -- A delivery in progress holds the row until this instant; after it another worker may retry.
  leased_until timestamptz,
  last_error text,
  created_at timestamptz not null,
  sent_at timestamptz,
  check ((channel = 'email') = (notification_id is not null)),
  check ((channel = 'webhook') = (webhook_endpoint_id is not null))
);
create unique index outbox_email_key on outbox (notification_id) where channel = 'email';
create unique index outbox_webhook_key on outbox (webhook_endpoint_id, event_id) where channel = 'webhook';
create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending';
