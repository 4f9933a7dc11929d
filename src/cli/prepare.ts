// `npm install` runs this (postinstall): prepares what a first `npm start`
// needs so it serves within seconds. Safe to run again; never fatal.

import { prepareTemplate } from '../db/pglite-template.ts';

try {
  // Loading the app once here fills tsx's transform cache, so the first
  // `npm start` does not spend its first seconds compiling TypeScript.
  await import('../settle.ts');
  const made = await prepareTemplate();
  process.stdout.write(`settle: embedded database template ready (${made})\n`);
} catch (error) {
  process.stdout.write(`settle: could not prepare the embedded database template, the first start will be slower: ${String(error)}\n`);
}
