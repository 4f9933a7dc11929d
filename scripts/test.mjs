#!/usr/bin/env node
// `npm test`: every test/**/*.test.ts under Node's own test runner, with tsx
// for TypeScript. On the embedded database by default; with DATABASE_URL set,
// the same suite runs on PostgreSQL (each test in a schema of its own).
// Extra arguments are passed on: `npm test -- test/ledger.test.ts`.
// test/browser/* drive Debian's Chromium against the built web app.

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...findTests(full));
    else if (name.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

/**
 * Files that measure wall-clock time (`npm start` answering within 5 s) run
 * first and alone, so the rest of the suite's load cannot make them flaky.
 */
const ALONE = ['test/start.test.ts'];

function run(files, concurrency) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
  );
  return result.status ?? 1;
}

// The browser tests load the built web app; build it first if a source changed.
const built = spawnSync(process.execPath, ['--import', 'tsx', 'src/web/build.ts', '--if-stale'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

// A folder among the arguments stands for the test files in it (`npm test -- test/browser`).
const args = process.argv.slice(2).flatMap((a) => (!a.startsWith('-') && statSync(a, { throwIfNoEntry: false })?.isDirectory() ? findTests(a) : [a]));
if (args.length > 0) process.exit(run(args, process.env.TEST_CONCURRENCY ?? '2'));
const all = findTests('test');
const first = run(all.filter((f) => ALONE.includes(f)), 1);
const rest = run(all.filter((f) => !ALONE.includes(f)), process.env.TEST_CONCURRENCY ?? '2');
process.exit(first || rest);
