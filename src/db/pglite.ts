// Embedded adapter: PGlite, PostgreSQL compiled to WebAssembly, in-process.
// One connection, so transactions run one at a time; PGlite queues them.

import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { readdir } from 'node:fs/promises';
import { copyTemplate } from './pglite-template.ts';
import { parseInt8, type Db, type QueryResult, type Queryable } from './port.ts';

interface PgliteLike {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

function wrap(conn: PgliteLike): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await conn.query<T>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
    async exec(sql: string) {
      await conn.exec(sql);
    },
  };
}

export interface PgliteDbOptions {
  /** A directory for the files; omitted = in memory (tests). */
  dataDir?: string;
}

/** Settings every PGlite of ours opens with: int8 read as numbers, as the pg adapter does. */
export const PGLITE_OPTIONS = { parsers: { [pgliteTypes.INT8]: parseInt8 } };

export async function createPgliteDb(options: PgliteDbOptions = {}): Promise<Db> {
  if (options.dataDir && (await isEmptyDir(options.dataDir))) await copyTemplate(options.dataDir);
  const pglite = await PGlite.create(options.dataDir, PGLITE_OPTIONS);
  return pgliteDb(pglite);
}

/** The Db port over an open PGlite. */
export function pgliteDb(pglite: PGlite): Db {
  const base = wrap(pglite as unknown as PgliteLike);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    // PGlite has one connection and runs one transaction at a time, so the
    // deadlocks and serialization failures that the pg adapter retries cannot happen.
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx as unknown as PgliteLike))),
    async close() {
      await pglite.close();
    },
  };
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return true;
  }
}
