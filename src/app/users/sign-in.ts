// Sign in (POST /v1/sessions): checks the password, counts failures per email
// and per client address (429 past the limit), and opens a session whose
// token is returned once and stored only as its SHA-256.

import { createHash } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import { randomToken } from '../../lib/ids.ts';
import type { Deps } from '../deps.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { USER_COLUMNS, toUserObject, type UserRow } from './user-object.ts';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SignInOptions {
  email: string;
  password: string;
  client_ip: string;
}

let dummy: Promise<string> | undefined;

export async function signIn(deps: Deps, o: SignInOptions) {
  const email = o.email.trim().toLowerCase();
  const now = deps.clock.now();
  const windowStart = new Date(now.getTime() - LIMITS.sign_in_window_ms);
  const failures = await deps.db.query<{ by_email: number; by_ip: number }>(
    `select count(*) filter (where lower(email) = $1)::int8 as by_email,
            count(*) filter (where client_ip = $2)::int8 as by_ip
       from sign_in_failures where failed_at > $3 and (lower(email) = $1 or client_ip = $2)`,
    [email, o.client_ip, windowStart],
  );
  const { by_email, by_ip } = failures.rows[0]!;
  if (by_email >= LIMITS.sign_in_max_failures_per_email || by_ip >= LIMITS.sign_in_max_failures_per_ip) {
    throw new AppError('rate_limit', 'too_many_sign_in_attempts', `Too many failed sign-ins. Try again in ${LIMITS.sign_in_window_ms / 60_000} minutes.`);
  }

  const found = await deps.db.query<UserRow & { password_hash: string }>(`select ${USER_COLUMNS}, password_hash from users where email = $1`, [email]);
  const user = found.rows[0];
  // Unknown emails cost the same hash as known ones, so timing tells nothing.
  const ok = await verifyPassword(o.password, user?.password_hash ?? (await (dummy ??= dummyHash(deps.config.passwordCostLog2))));
  if (!user || !ok) {
    await deps.db.query('insert into sign_in_failures (email, client_ip, failed_at) values ($1, $2, $3)', [email, o.client_ip, now]);
    throw new AppError('authentication', 'invalid_credentials', 'The email or password is wrong.');
  }

  const token = randomToken();
  await deps.db.transaction(async (tx) => {
    await tx.query('delete from sign_in_failures where lower(email) = $1', [email]);
    await tx.query('insert into sessions (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)', [
      hashToken(token),
      user.id,
      now,
      new Date(now.getTime() + LIMITS.session_ttl_ms),
    ]);
  });
  return { token, user: toUserObject(user) };
}
