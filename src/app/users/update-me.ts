// PATCH /v1/me: a user changes their name, time zone or country.

import { notFound } from '../../domain/errors.ts';
import type { Deps } from '../deps.ts';
import { USER_COLUMNS, toUserObject, type UserRow } from './user-object.ts';

export interface UpdateMeOptions {
  user_id: string;
  name?: string | undefined;
  time_zone?: string | undefined;
  country?: string | null | undefined;
}

export async function updateMe(deps: Deps, o: UpdateMeOptions) {
  const result = await deps.db.query<UserRow>(
    `update users set
       name = coalesce($2, name),
       time_zone = coalesce($3, time_zone),
       country = case when $4 then $5 else country end
     where id = $1 returning ${USER_COLUMNS}`,
    [o.user_id, o.name?.trim() ?? null, o.time_zone ?? null, o.country !== undefined, o.country ?? null],
  );
  if (!result.rows[0]) throw notFound('user');
  return toUserObject(result.rows[0]);
}
