// Who is calling: a session token (bearer header or cookie) → the user, and sign out.

import type { Deps } from '../deps.ts';
import { hashToken } from './sign-in.ts';
import { USER_COLUMNS, type UserRow } from './user-object.ts';

/** The user behind a live session token, or undefined. */
export async function authenticate(deps: Deps, token: string): Promise<UserRow | undefined> {
  if (token.length < 20 || token.length > 100) return undefined;
  const result = await deps.db.query<UserRow>(
    `select ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')}
       from sessions s join users u on u.id = s.user_id
      where s.token_hash = $1 and s.revoked_at is null and s.expires_at > $2`,
    [hashToken(token), deps.clock.now()],
  );
  return result.rows[0];
}

export async function signOut(deps: Deps, token: string): Promise<void> {
  await deps.db.query('update sessions set revoked_at = $2 where token_hash = $1 and revoked_at is null', [hashToken(token), deps.clock.now()]);
}
