// `npm install` runs this (postinstall): prepares what a first `npm start`
// needs so it serves within seconds: the web app's build and the embedded
// database's template. Safe to run again; never fatal.

import { prepareTemplate } from '../db/pglite-template.ts';
import { ensureWebBuilt } from '../web/build.ts';

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
