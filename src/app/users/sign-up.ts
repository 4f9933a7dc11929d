// Sign up (POST /v1/users), and the operator's staff and arbitrator accounts
// (POST /v1/admin/users): the same row, a different role.

import { conflict } from '../../domain/errors.ts';
import { sqlState } from '../../db/port.ts';
import { newId } from '../../lib/ids.ts';
import type { Deps } from '../deps.ts';
import { hashPassword } from './passwords.ts';
import { USER_COLUMNS, toUserObject, type Role, type UserRow } from './user-object.ts';

export interface SignUpOptions {
  email: string;
  password: string;
  name: string;
  time_zone?: string | undefined;
  country?: string | null | undefined;
  role?: Role;
}

export async function signUp(deps: Deps, o: SignUpOptions) {
  const email = o.email.trim().toLowerCase();
  const passwordHash = await hashPassword(o.password, deps.config.passwordCostLog2);
  try {
    const result = await deps.db.query<UserRow>(
      `insert into users (id, email, password_hash, name, role, time_zone, country, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${USER_COLUMNS}`,
      [newId('user'), email, passwordHash, o.name.trim(), o.role ?? 'member', o.time_zone ?? 'UTC', o.country ?? null, deps.clock.now()],
    );
    return toUserObject(result.rows[0]!);
  } catch (error) {
    if (sqlState(error) === '23505') throw conflict('email_taken', 'An account with this email already exists. Sign in instead.', 'email');
    throw error;
  }
}
