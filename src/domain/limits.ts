// Every limit in one place (STYLE habit 6). The HTTP schemas and the SQL
// `check`s use the same numbers.

export const LIMITS = {
  /** Largest amount one milestone may hold, in minor units (100,000,000.00). */
  max_amount_minor: 10_000_000_000,
  /** Largest sum a single payout may move. Same ceiling as a milestone. */
  max_payout_minor: 10_000_000_000,
  milestones_per_contract_max: 50,
  title_max_chars: 200,
  contract_description_max_chars: 5000,
  message_max_chars: 5000,
  end_reason_max_chars: 2000,
  password_min_chars: 10,
  password_max_chars: 200,
  name_max_chars: 200,
  email_max_chars: 254,
  list_limit_max: 100,
  list_limit_default: 20,
  /** Request bodies above this are refused before parsing (files have their own limit). */
  json_body_max_bytes: 1024 * 1024,
  idempotency_key_max_chars: 255,
  /** Idempotent responses are kept at least this long (API.md: 24 h). */
  idempotency_ttl_ms: 24 * 60 * 60 * 1000,
  session_ttl_ms: 30 * 24 * 60 * 60 * 1000,
  /** Failed sign-ins counted per email and per client address inside this window. */
  sign_in_window_ms: 15 * 60 * 1000,
  sign_in_max_failures_per_email: 5,
  sign_in_max_failures_per_ip: 50,
  /** Released money is held this long before it can be paid out (PRODUCT.md "Money"). */
  pending_hold_ms: 5 * 24 * 60 * 60 * 1000,
  /** Rows one sweeper batch may touch; every batch loop is bounded by it. */
  sweep_batch_size: 1000,
  /** A manual-clock advance may not run more due steps than this (a guard against a runaway loop). */
  clock_advance_max_steps: 100_000,
} as const;
