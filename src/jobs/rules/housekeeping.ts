// Rows that are only useful for a while: idempotency keys (kept 24 h, API.md),
// sign-in failures (kept for the rate-limit window), ended sessions.

import { LIMITS } from '../../domain/limits.ts';
import type { Rule } from '../engine.ts';

function expiryRule(name: string, table: string, column: string, ttlMs: number, extraWhere = 'true'): Rule {
  return {
    name,
    async nextDue(db) {
      const r = await db.query<{ due: Date | null }>(`select min(${column}) as due from ${table} where ${extraWhere}`);
      const oldest = r.rows[0]?.due;
      return oldest ? new Date(oldest.getTime() + ttlMs) : null;
    },
    async runBatch(deps, now, until, limit) {
      const cutoff = new Date(Math.min(now.getTime() - ttlMs - 1, until.getTime() - ttlMs));
      const r = await deps.db.query(
        `delete from ${table} where ctid in (select ctid from ${table} where ${extraWhere} and ${column} <= $1 order by ${column} limit $2 for update skip locked)`,
        [cutoff, limit],
      );
      return r.rowCount;
    },
  };
}

export const idempotencyExpiryRule = expiryRule('idempotency_key_expiry', 'idempotency_keys', 'created_at', LIMITS.idempotency_ttl_ms);
export const signInFailureExpiryRule = expiryRule('sign_in_failure_expiry', 'sign_in_failures', 'failed_at', LIMITS.sign_in_window_ms);
export const sessionExpiryRule = expiryRule('session_expiry', 'sessions', 'expires_at', 0);
