// A first start on an empty data directory would run PostgreSQL's initdb
// through PGlite's WebAssembly file system, which takes 5 s and more. Instead
// `npm install` (postinstall: src/cli/prepare.ts) initialises a cluster in
// memory once and keeps it as a compressed template; a new data directory is
// unpacked from it in about a second. The template is named after the PGlite
// version, so an upgrade makes a new one; without it Settle still starts, only slower.

import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function pgliteVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function templatePath(): Promise<string> {
  return path.join(ROOT, 'node_modules', '.cache', 'settle', `pglite-${await pgliteVersion()}.tar.gz`);
}

/** The template's bytes, or undefined when `npm install` did not make one. */
export async function readTemplate(): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(await templatePath())]);
  } catch {
    return undefined;
  }
}

/** Makes the template unless it exists. Returns its path. */
export async function prepareTemplate(): Promise<string> {
  const target = await templatePath();
  try {
    await access(target);
    return target;
  } catch {
    // not made yet
  }
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.tmp`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, target);
  return target;
}
