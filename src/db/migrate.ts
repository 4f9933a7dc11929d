// Plain numbered SQL migrations (after graphile-worker's migrate.ts): files
// `migrations/NNNN_name.sql`, forward only, each applied in its own
// transaction. An advisory lock taken inside each transaction makes two
// processes that start at once take turns: the second sees the row the first
// wrote and skips the file.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './port.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
/** Arbitrary but fixed: "settle" in ASCII, the advisory lock shared by every migrator. */
const MIGRATION_LOCK_KEY = 0x736574746c65;
const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const [index, name] of names.entries()) {
    const match = FILE_PATTERN.exec(name);
    if (!match) throw new Error(`migration file ${name} does not match NNNN_name.sql`);
    const id = Number(match[1]);
    if (id !== index + 1) throw new Error(`migration ${name} is out of sequence: expected number ${index + 1}`);
    migrations.push({ id, name, sql: await readFile(join(dir, name), 'utf8') });
  }
  return migrations;
}

/** Applies every migration not yet applied; returns the names it applied. */
export async function migrate(db: Db, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`create table if not exists settle_migrations (
      id integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
  });
  const applied: string[] = [];
  for (const migration of all) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const done = await tx.query('select 1 from settle_migrations where id = $1', [migration.id]);
      if (done.rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('insert into settle_migrations (id, name) values ($1, $2)', [migration.id, migration.name]);
      return true;
    });
    if (didApply) applied.push(migration.name);
  }
  return applied;
}
