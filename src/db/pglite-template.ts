// A first start on an empty data directory would run PostgreSQL's initdb
// through PGlite's WebAssembly file system, which takes 5 s and more. Instead
// `npm install` (postinstall: src/cli/prepare.ts) initialises a cluster once,
// migrates it, and keeps its data directory as a template; a new data
// directory is a copy of it (a native file copy, a fraction of a second, then
// PGlite opens it as it opens any existing one) with nothing left to migrate.
// Unpacking a tarball through PGlite's file system instead took 1.5 s of a
// first start (docs/decisions.md). The template is named after the PGlite
// version and the migrations, so an upgrade or a new migration makes a new
// one; without it Settle still starts, only slower.

import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMigrations } from './migrate.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function pgliteVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'settle');

/** A short hash of every migration's name and text: a template holds exactly these applied. */
async function migrationsTag(): Promise<string> {
  const hash = createHash('sha256');
  for (const m of await loadMigrations()) hash.update(`${m.name}\n${m.sql}\n`);
  return hash.digest('hex').slice(0, 12);
}

/** Where the template for this PGlite version and these migrations lives: a data directory. */
export async function templatePath(): Promise<string> {
  return path.join(CACHE_DIR, `pglite-${await pgliteVersion()}-${await migrationsTag()}`);
}

/**
 * Fills the empty directory `dataDir` from the template: the one for the
 * current migrations, else the newest one of this PGlite version (the
 * migrator then applies what it lacks). False when `npm install` made none.
 */
export async function copyTemplate(dataDir: string): Promise<boolean> {
  const exact = await templatePath();
  const prefix = `pglite-${await pgliteVersion()}-`;
  let candidates: string[];
  try {
    const names = (await readdir(CACHE_DIR, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name.startsWith(prefix) && !e.name.endsWith('.tmp')).map((e) => path.join(CACHE_DIR, e.name));
    const withTimes = await Promise.all(names.map(async (file) => ({ file, mtime: (await stat(file)).mtimeMs })));
    candidates = [exact, ...withTimes.sort((a, b) => b.mtime - a.mtime).map((x) => x.file).filter((f) => f !== exact)];
  } catch {
    return false;
  }
  for (const dir of candidates) {
    try {
      await stat(dir);
    } catch {
      continue; // not made yet: try the next
    }
    await cp(dir, dataDir, { recursive: true });
    return true;
  }
  return false;
}

/**
 * Keeps the data directory `made` (closed, migrated) as the template at
 * `target`, whole or not at all (a rename), and drops older templates.
 */
export async function keepTemplate(made: string, target: string): Promise<void> {
  await rename(made, target);
  for (const name of await readdir(CACHE_DIR)) {
    if (name.startsWith('pglite-') && path.join(CACHE_DIR, name) !== target) await rm(path.join(CACHE_DIR, name), { recursive: true, force: true });
  }
}

/** A fresh staging directory beside the templates, for `keepTemplate`. */
export async function stagingDir(target: string): Promise<string> {
  const staging = `${target}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  return staging;
}
