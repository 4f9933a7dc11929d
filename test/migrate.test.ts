// Migrations: every file applied once, re-running applies nothing, two
// migrators starting at once on PostgreSQL take turns, and misnamed files are
// refused.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { MIGRATIONS_DIR, loadMigrations, migrate } from '../src/db/migrate.ts';
import { createPgDb } from '../src/db/pg.ts';
import { createPgliteDb } from '../src/db/pglite.ts';
import { templatePath } from '../src/db/pglite-template.ts';
import { randomToken } from '../src/lib/ids.ts';
import { DATABASE_URL, freshDb } from './support/harness.ts';

async function migrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((n) => n.endsWith('.sql')).sort();
}

async function tempDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'settle-migrations-'));
  after(() => rm(dir, { recursive: true, force: true }));
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
  return dir;
}

test('a fresh database gets every file in migrations/ applied once, in order', async () => {
  const files = await migrationFiles();
  assert.ok(files.length >= 1);
  const db = await freshDb();
  const applied = await migrate(db);
  assert.deepEqual(applied, files);
  const rows = await db.query<{ id: number; name: string }>('select id, name from settle_migrations order by id');
  assert.deepEqual(
    rows.rows.map((r) => [r.id, r.name]),
    files.map((name, i) => [i + 1, name]),
  );
  // The schema is really there.
  const ledger = await db.query<{ n: number }>('select count(*)::int8 as n from transfers');
  assert.equal(ledger.rows[0]!.n, 0);
});

test('running migrate again applies nothing', async () => {
  const db = await freshDb();
  await migrate(db);
  assert.deepEqual(await migrate(db), []);
  assert.deepEqual(await migrate(db), []);
  const rows = await db.query<{ n: number }>('select count(*)::int8 as n from settle_migrations');
  assert.equal(rows.rows[0]!.n, (await migrationFiles()).length);
});

test('a migration added later is the only one applied on the next run', async () => {
  const db = await freshDb();
  const first = await loadMigrations(await tempDir({ '0001_first.sql': 'create table first_table (id int primary key);' }));
  assert.deepEqual(await migrate(db, first), ['0001_first.sql']);
  const both = await loadMigrations(
    await tempDir({
      '0001_first.sql': 'create table first_table (id int primary key);',
      '0002_second.sql': 'create table second_table (id int primary key); insert into first_table values (1);',
    }),
  );
  assert.deepEqual(await migrate(db, both), ['0002_second.sql']);
  assert.equal((await db.query<{ n: number }>('select count(*)::int8 as n from first_table')).rows[0]!.n, 1);
});

test('a failing migration is rolled back whole and not recorded', async () => {
  const db = await freshDb();
  const migrations = await loadMigrations(
    await tempDir({
      '0001_ok.sql': 'create table ok_table (id int primary key);',
      '0002_broken.sql': 'create table half_done (id int primary key); select no_such_function();',
    }),
  );
  await assert.rejects(migrate(db, migrations), /no_such_function/);
  const rows = await db.query<{ name: string }>('select name from settle_migrations order by id');
  assert.deepEqual(rows.rows.map((r) => r.name), ['0001_ok.sql']);
  const half = await db.query(`select 1 from information_schema.tables where table_name = 'half_done' and table_schema = current_schema()`);
  assert.equal(half.rows.length, 0);
});

test('two migrators on two pools starting at once both succeed and each migration is applied exactly once', { skip: !DATABASE_URL }, async () => {
  const url = DATABASE_URL!;
  const schema = `t_${process.pid}_race_${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const a = createPgDb({ connectionString: url, schema, max: 2 });
  const b = createPgDb({ connectionString: url, schema, max: 2 });
  after(async () => {
    await a.close();
    await b.close();
    const cleanup = new pg.Client({ connectionString: url });
    await cleanup.connect();
    await cleanup.query(`drop schema ${schema} cascade`);
    await cleanup.end();
  });

  const files = await migrationFiles();
  const [fromA, fromB] = await Promise.all([migrate(a), migrate(b)]);
  // Between them every file once; none twice.
  assert.deepEqual([...fromA, ...fromB].sort(), files);
  const rows = await a.query<{ id: number; name: string }>('select id, name from settle_migrations order by id');
  assert.deepEqual(
    rows.rows.map((r) => r.name),
    files,
  );
  // Both see the same finished schema.
  assert.equal((await b.query<{ n: number }>('select count(*)::int8 as n from transfers')).rows[0]!.n, 0);
  assert.deepEqual(await migrate(b), []);
});

test('loadMigrations reads NNNN_name.sql files in order from a directory', async () => {
  const dir = await tempDir({ '0002_b.sql': 'select 2;', '0001_a.sql': 'select 1;', 'README.md': 'not a migration' });
  const loaded = await loadMigrations(dir);
  assert.deepEqual(
    loaded.map((m) => [m.id, m.name, m.sql]),
    [
      [1, '0001_a.sql', 'select 1;'],
      [2, '0002_b.sql', 'select 2;'],
    ],
  );
  // The real directory loads too.
  assert.deepEqual((await loadMigrations()).map((m) => m.name), await migrationFiles());
});

test('loadMigrations rejects a misnamed migration file', async () => {
  for (const bad of ['1_short.sql', '0002-dash.sql', '0002_Upper.sql', '0002_with space.sql', '00002_five.sql', 'second.sql']) {
    const dir = await tempDir({ '0001_first.sql': 'select 1;', [bad]: 'select 2;' });
    await assert.rejects(loadMigrations(dir), (error: Error) => {
      assert.match(error.message, /does not match NNNN_name\.sql|out of sequence/);
      assert.ok(error.message.includes(bad), `${error.message} names ${bad}`);
      return true;
    }, bad);
  }
});

test('loadMigrations rejects a gap or a duplicate number in the sequence', async () => {
  await assert.rejects(loadMigrations(await tempDir({ '0001_a.sql': '', '0003_c.sql': '' })), /0003_c\.sql is out of sequence: expected number 2/);
  await assert.rejects(loadMigrations(await tempDir({ '0001_a.sql': '', '0001_b.sql': '' })), /0001_b\.sql is out of sequence/);
  await assert.rejects(loadMigrations(await tempDir({ '0002_b.sql': '' })), /out of sequence: expected number 1/);
});

test('a new embedded data directory starts from the install-time template with every migration already applied', async () => {
  assert.ok(existsSync(await templatePath()), 'npm install (postinstall) made the template for the current migrations');
  const dir = await mkdtemp(path.join(tmpdir(), 'settle-template-'));
  after(() => rm(dir, { recursive: true, force: true }));
  const db = await createPgliteDb({ dataDir: dir });
  try {
    const applied = await db.query<{ id: number }>('select id from settle_migrations order by id');
    assert.deepEqual(
      applied.rows.map((r) => r.id),
      (await loadMigrations()).map((m) => m.id),
      'nothing is left to migrate on a first start',
    );
  } finally {
    await db.close();
  }
});
