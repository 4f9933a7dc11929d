// The `user` object of API.md, and the row it is made from.

import type { Tx } from '../../db/port.ts';
import type { Queryable } from '../../db/port.ts';

export type Role = 'member' | 'staff' | 'arbitrator';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  time_zone: string;
  country: string | null;
  created_at: Date;
}

export const USER_COLUMNS = 'id, email, name, role, time_zone, country, created_at';

export function toUserObject(row: UserRow) {
  return {
    id: row.id,
    object: 'user' as const,
    email: row.email,
    name: row.name,
    role: row.role,
    time_zone: row.time_zone,
    country: row.country,
    created_at: row.created_at.toISOString(),
  };
}
export type UserObject = ReturnType<typeof toUserObject>;

export async function findUserById(q: Queryable | Tx, id: string): Promise<UserRow | undefined> {
  const result = await q.query<UserRow>(`select ${USER_COLUMNS} from users where id = $1`, [id]);
  return result.rows[0];
}
