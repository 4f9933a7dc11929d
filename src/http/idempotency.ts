// Idempotency-Key (API.md): the first response to a (caller, key) is kept in
// the database for at least 24 h and replayed, with `Idempotent-Replayed:
// true`, to a retry with the same request; the same key with another request
// is 409 `idempotency_key_reused`.
//
// The key is claimed before the work runs. A retry that arrives while the
// first request is still running gets 409 `idempotency_key_in_use`. If the
// work fails with a 5xx its transaction rolled back, so the claim is dropped
// and a retry runs again. If the process dies after the work committed but
// before the response was stored, the claim stays unanswered and retries get
// 409 until it expires: a duplicate effect is never risked.

import { createHash } from 'node:crypto';
import { AppError, invalid } from '../domain/errors.ts';
import { LIMITS } from '../domain/limits.ts';
import type { Db } from '../db/port.ts';
import { canonicalJson } from '../lib/canonical-json.ts';

export interface StoredResponse {
  status: number;
  body: string | null;
}

export type Claim = { kind: 'claimed' } | { kind: 'replay'; response: StoredResponse };

export function checkKey(key: string): void {
  if (key.length < 1 || key.length > LIMITS.idempotency_key_max_chars || !/^[\x21-\x7e]+$/.test(key)) {
    throw invalid('idempotency_key_invalid', `The Idempotency-Key header must be 1 to ${LIMITS.idempotency_key_max_chars} visible ASCII characters.`, 'Idempotency-Key');
  }
}

export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url}\n${canonicalJson(body ?? null)}`).digest('hex');
}

export async function claim(db: Db, principal: string, key: string, method: string, path: string, hash: string, now: Date): Promise<Claim> {
  const inserted = await db.query(
    `insert into idempotency_keys (principal, key, method, path, request_hash, created_at) values ($1, $2, $3, $4, $5, $6)
     on conflict (principal, key) do nothing`,
    [principal, key, method, path, hash, now],
  );
  if (inserted.rowCount === 1) return { kind: 'claimed' };
  const found = await db.query<{ request_hash: string; status_code: number | null; response_body: string | null }>(
    'select request_hash, status_code, response_body from idempotency_keys where principal = $1 and key = $2',
    [principal, key],
  );
  const row = found.rows[0];
  // Expired and swept between the two statements: treat as a first request next time.
  if (!row) throw new AppError('conflict', 'idempotency_key_in_use', 'This Idempotency-Key is being processed. Retry in a moment.', 'Idempotency-Key');
  if (row.request_hash !== hash) {
    throw new AppError('conflict', 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request.', 'Idempotency-Key');
  }
  if (row.status_code === null) {
    throw new AppError('conflict', 'idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed. Retry later.', 'Idempotency-Key');
  }
  return { kind: 'replay', response: { status: row.status_code, body: row.response_body } };
}

export async function complete(db: Db, principal: string, key: string, response: StoredResponse, now: Date): Promise<void> {
  await db.query('update idempotency_keys set status_code = $3, response_body = $4, completed_at = $5 where principal = $1 and key = $2', [
    principal,
    key,
    response.status,
    response.body,
    now,
  ]);
}

export async function release(db: Db, principal: string, key: string): Promise<void> {
  await db.query('delete from idempotency_keys where principal = $1 and key = $2 and status_code is null', [principal, key]);
}
