// `npm start` as a person runs it: the real entry point in a child process on
// the embedded database, a fresh data directory, a real port.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN = ['--import', 'tsx', 'src/main.ts'];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The environment without DATABASE_URL: these tests are about the embedded database. */
function embeddedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, SETTLE_PASSWORD_COST: '12', SETTLE_LOG_LEVEL: 'warn', ...extra };
}

async function start(dataDir: string, port: number): Promise<{ child: ChildProcess; readyMs: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, MAIN, { cwd: ROOT, env: embeddedEnv({ SETTLE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' }), stdio: 'ignore' });
  after(() => child.kill('SIGKILL'));
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return { child, readyMs: Date.now() - started };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('Settle did not answer /healthz within 15 s');
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

test('npm start serves /healthz within 5 seconds on the embedded database, and data survives a restart', async () => {
  // As after `npm install`, whose postinstall loads the app once: tsx's transform cache is warm.
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/prepare.ts'], { cwd: ROOT, env: embeddedEnv({}), stdio: 'ignore', timeout: 60_000 });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'settle-start-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;

  const first = await start(dataDir, port);
  const credentials = { email: 'restart@example.com', password: 'a long enough password' };
  const created = await fetch(`${base}/v1/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...credentials, name: 'Rita' }) });
  assert.equal(created.status, 201);
  await stop(first.child);

  const second = await start(dataDir, port);
  assert.ok(second.readyMs < 5000, `a restart on existing data answered after ${second.readyMs} ms`);
  const signedIn = await fetch(`${base}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) });
  assert.equal(signedIn.status, 201);
  assert.equal(((await signedIn.json()) as { user: { name: string } }).user.name, 'Rita');
  await stop(second.child);
  assert.ok(first.readyMs < 5000, `a first start answered after ${first.readyMs} ms`);
});

test('a bad setting stops the start with a message naming it', () => {
  const result = spawnSync(process.execPath, MAIN, { cwd: ROOT, env: embeddedEnv({ SETTLE_FEE_BPS: 'ten percent', SETTLE_CLOCK: 'sometimes' }), encoding: 'utf8', timeout: 20_000 });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /SETTLE_FEE_BPS: must be a whole number/);
  assert.match(result.stderr, /SETTLE_CLOCK:/);
});
