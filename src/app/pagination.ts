// Cursor pagination for API.md list objects: newest first by each table's
// `seq`, `starting_after` naming the last id the caller has seen. The cursor
// row must be one the caller could list, or it is a 400.

import { invalid } from '../domain/errors.ts';
import type { Queryable } from '../db/port.ts';
import { LIMITS } from '../domain/limits.ts';

export interface PageOptions {
  limit?: number | undefined;
  starting_after?: string | undefined;
}

export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

export function pageLimit(o: PageOptions): number {
  return Math.min(Math.max(o.limit ?? LIMITS.list_limit_default, 1), LIMITS.list_limit_max);
}

/** `rows` were fetched with `limit + 1`; the extra row only says there is more. */
export function toList<R, T>(rows: R[], limit: number, map: (row: R) => T): ListObject<T> {
  return { object: 'list', data: rows.slice(0, limit).map(map), has_more: rows.length > limit };
}

export function badCursor(): never {
  throw invalid('invalid_cursor', 'starting_after does not name an object in this list.', 'starting_after');
}

/**
 * The `seq` of the `starting_after` row, looked up by `sql` (which must return
 * only rows the caller could list, with `$1` the cursor id); null without a
 * cursor, 400 when the cursor is not one of those rows.
 */
export async function cursorSeq(q: Queryable, startingAfter: string | undefined, sql: string, params: readonly unknown[]): Promise<number | null> {
  if (!startingAfter) return null;
  const cursor = await q.query<{ seq: number }>(sql, [startingAfter, ...params]);
  return cursor.rows[0]?.seq ?? badCursor();
}
