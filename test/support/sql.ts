// Small checks on the database itself, for tests that go beneath the API.

import assert from 'node:assert/strict';
import type { Queryable } from '../../src/db/port.ts';

/** For `assert.rejects`: the error is PostgreSQL's `sqlstate`, its message matching `message` when given. */
export const isSqlError = (sqlstate: string, message?: RegExp) => (error: unknown) => {
  const e = error as { code?: string; message?: string };
  assert.equal(e.code, sqlstate, `expected SQLSTATE ${sqlstate}, got ${e.code}: ${e.message}`);
  if (message) assert.match(e.message ?? '', message);
  return true;
};

/** How many rows `table` holds. */
export async function count(db: Queryable, table: string): Promise<number> {
  return (await db.query<{ n: number }>(`select count(*)::int8 as n from ${table}`)).rows[0]!.n;
}
