// A first start on an empty data directory would run PostgreSQL's initdb
// through PGlite's WebAssembly file system, which takes 5 s and more. Instead
// `npm install` (postinstall: src/cli/prepare.ts) initialises a cluster in
// memory once, migrates it, and keeps it as a compressed template; a new data
// directory is unpacked from it in about a second with nothing left to
// migrate. The template is named after the PGlite version and the migrations,
// so an upgrade or a new migration makes a new one; without it Settle still
// starts, only slower.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/** Where the template for this PGlite version and these migrations lives. */
export async function templatePath(): Promise<string> {
  return path.join(CACHE_DIR, `pglite-${await pgliteVersion()}-${await migrationsTag()}.tar.gz`);
}

/**
 * The template's bytes: the one for the current migrations, else the newest
 * one of this PGlite version (the migrator then applies what it lacks), or
 * undefined when `npm install` made none.
 */
export async function readTemplate(): Promise<Blob | undefined> {
  const exact = await templatePath();
  const prefix = `pglite-${await pgliteVersion()}-`;
  let candidates: string[] = [];
  try {
    const names = (await readdir(CACHE_DIR)).filter((n) => n.startsWith(prefix) && n.endsWith('.tar.gz'));
    const withTimes = await Promise.all(names.map(async (n) => ({ file: path.join(CACHE_DIR, n), mtime: (await stat(path.join(CACHE_DIR, n))).mtimeMs })));
    candidates = [exact, ...withTimes.sort((a, b) => b.mtime - a.mtime).map((x) => x.file).filter((f) => f !== exact)];
  } catch {
    return undefined;
  }
  for (const file of candidates) {
    try {
      return new Blob([await readFile(file)]);
    } catch {
      // not made yet: try the next
    }
  }
  return undefined;
}

/** Keeps `bytes` as the template at `target`, written whole or not at all, and drops older templates. */
export async function writeTemplate(target: string, bytes: Blob): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.tmp`;
  await writeFile(partial, Buffer.from(await bytes.arrayBuffer()));
  await rename(partial, target);
  for (const name of await readdir(CACHE_DIR)) {
    if (/^pglite-.*\.tar\.gz$/.test(name) && path.join(CACHE_DIR, name) !== target) await rm(path.join(CACHE_DIR, name), { force: true });
  }
}
