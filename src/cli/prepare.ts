// `npm install` runs this (postinstall): prepares what a first `npm start`
// needs so it serves within seconds: the web app's build and the embedded
// database's template. Safe to run again; never fatal.

import { access } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from '../db/migrate.ts';
import { PGLITE_OPTIONS, pgliteDb } from '../db/pglite.ts';
import { keepTemplate, stagingDir, templatePath } from '../db/pglite-template.ts';
import { ensureWebBuilt } from '../web/build.ts';

/** Makes the embedded database's template, migrated, unless it exists. Returns its path. */
async function prepareTemplate(): Promise<string> {
  const target = await templatePath();
  try {
    await access(target);
    return target;
  } catch {
    // not made yet
  }
  // initdb in memory (on disk it takes several times longer), then written out as a data directory.
  const memory = await PGlite.create(PGLITE_OPTIONS);
  await migrate(pgliteDb(memory));
  const dump = await memory.dumpDataDir('none');
  await memory.close();
  const staging = await stagingDir(target);
  const onDisk = await PGlite.create(staging, { ...PGLITE_OPTIONS, loadDataDir: dump });
  await onDisk.close();
  await keepTemplate(staging, target);
  return target;
}

try {
  await ensureWebBuilt();
} catch (error) {
  process.stdout.write(`settle: could not build the web app now; npm start will try again: ${String(error)}\n`);
}

try {
  // Loading the app once here fills tsx's transform cache, so the first
  // `npm start` does not spend its first seconds compiling TypeScript.
  await import('../settle.ts');
  const made = await prepareTemplate();
  process.stdout.write(`settle: embedded database template ready (${made})\n`);
} catch (error) {
  process.stdout.write(`settle: could not prepare the embedded database template, the first start will be slower: ${String(error)}\n`);
}
