// A Settle for one test: its own database (a fresh schema on PostgreSQL when
// DATABASE_URL is set, else a fresh schema in this file's PGlite), the sandbox
// clock, responses checked against their schemas, and a small API client
// that goes through the real HTTP stack with Fastify's inject.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { createPgDb } from '../../src/db/pg.ts';
import { createPgliteDb } from '../../src/db/pglite.ts';
import type { Db } from '../../src/db/port.ts';
import { randomToken } from '../../src/lib/ids.ts';
import type { Channels } from '../../src/jobs/outbox.ts';
import { createSettle, type Settle } from '../../src/settle.ts';

export const ADMIN_TOKEN = 'test-operator-token-0123456789';
export const CLOCK_START = '2026-12-01T09:00:00.000Z';
export const DATABASE_URL = process.env.DATABASE_URL;

let sharedPglite: Promise<Db> | undefined;
let schemaCounter = 0;

// Registered when this module loads, outside any test, so it runs once when the
// file's tests are done. Inside a test, `after` would run when that test ends
// and close the shared PGlite under every later test of the file.
after(async () => {
  if (sharedPglite) await (await sharedPglite).close();
});

/** A database in a schema nobody else uses (on PostgreSQL dropped when the test that made it ends). */
export async function freshDb(): Promise<Db> {
  const schema = `t_${process.pid}_${++schemaCounter}_${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  if (DATABASE_URL) {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const db = createPgDb({ connectionString: DATABASE_URL, schema, max: 20 });
    after(async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    });
    return db;
  }
  // PGlite is one connection: tests in a file run one after another, each
  // switching the connection to its own schema.
  sharedPglite ??= createPgliteDb();
  const db = await sharedPglite;
  await db.exec(`create schema ${schema}; set search_path to ${schema}`);
  return db;
}

export interface TestSettleOptions {
  env?: Record<string, string>;
  /** Where email and webhooks go; by default .eml files in this process's data dir and real HTTP. */
  channels?: Channels;
}

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  /** The body's bytes as sent (for binary responses such as file content). */
  raw?: Buffer;
}

export class TestApi {
  constructor(readonly settle: Settle) {}

  async request<T = any>(method: string, url: string, options: { token?: string | undefined; body?: unknown; headers?: Record<string, string>; rawBody?: string | Buffer } = {}): Promise<Response<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | Buffer | undefined;
    if (options.rawBody !== undefined) payload = options.rawBody;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const res = await this.settle.server.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
    const type = String(res.headers['content-type'] ?? '');
    return { status: res.statusCode, body: type.includes('json') && res.body ? JSON.parse(res.body) : res.body, headers: res.headers, raw: res.rawPayload };
  }

  /** A `multipart/form-data` body with one part per entry, built by hand as a browser would send it. */
  static multipart(parts: Array<{ name: string; filename?: string; contentType?: string; data: Buffer | string }>, boundary = `----settle-test-${randomToken(8).replace(/\W/g, '')}`) {
    const chunks: Buffer[] = [];
    for (const p of parts) {
      const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
      const type = p.filename !== undefined ? `\r\nContent-Type: ${p.contentType ?? 'application/octet-stream'}` : '';
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`), Buffer.from(p.data), Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
  }

  /** POST /v1/files through the real multipart path, the bytes in the field `file`. */
  upload = <T = any>(token: string | undefined, filename: string, bytes: Buffer | string, contentType?: string) => {
    const { body, contentType: type } = TestApi.multipart([{ name: 'file', filename, data: bytes, ...(contentType ? { contentType } : {}) }]);
    return this.request<T>('POST', '/v1/files', { token, rawBody: body, headers: { 'content-type': type } });
  };

  get = <T = any>(url: string, token?: string) => this.request<T>('GET', url, { token });
  post = <T = any>(url: string, body: unknown, token?: string, headers?: Record<string, string>) => this.request<T>('POST', url, { token, body, ...(headers ? { headers } : {}) });
  admin = <T = any>(method: string, url: string, body?: unknown) => this.request<T>(method, url, { token: ADMIN_TOKEN, body });

  /** Signs up and signs in; returns the user and its bearer token. */
  async user(name: string, extra: Record<string, unknown> = {}) {
    const email = `${name.toLowerCase().replace(/\W/g, '')}.${randomToken(4).replace(/\W/g, '').toLowerCase()}@example.com`;
    const password = 'correct horse battery';
    const created = await this.post('/v1/users', { email, password, name, ...extra });
    if (created.status !== 201) throw new Error(`sign up failed: ${JSON.stringify(created.body)}`);
    const session = await this.post('/v1/sessions', { email, password });
    if (session.status !== 201) throw new Error(`sign in failed: ${JSON.stringify(session.body)}`);
    return { id: created.body.id as string, email, password, token: session.body.token as string, user: created.body };
  }

  async credit(userId: string, amount: number, currency = 'usd', balance_type: 'available' | 'pending' = 'available') {
    const res = await this.admin('POST', '/v1/test_helpers/balance_credits', { user_id: userId, amount, currency, balance_type });
    if (res.status !== 201) throw new Error(`credit failed: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async advance(body: { seconds?: number; to?: string }) {
    const res = await this.admin('POST', '/v1/test_helpers/clock/advance', body);
    if (res.status !== 200) throw new Error(`advance failed: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async verifyLedger() {
    const res = await this.admin('GET', '/v1/admin/ledger/verify');
    return res.body as { ok: boolean; problems: string[]; checked: { transfers: number; accounts: number } };
  }
}

/** Uploaded files of this test process go here, never into the repository's ./.settle. */
const DATA_DIR = mkdtempSync(path.join(tmpdir(), 'settle-test-'));
after(() => rmSync(DATA_DIR, { recursive: true, force: true }));

export function testConfig(env: Record<string, string> = {}) {
  return loadConfig({
    SETTLE_DATA_DIR: DATA_DIR,
    SETTLE_CLOCK: 'manual',
    SETTLE_CLOCK_START: CLOCK_START,
    SETTLE_ADMIN_TOKEN: ADMIN_TOKEN,
    SETTLE_PASSWORD_COST: '12',
    SETTLE_LOG_LEVEL: 'silent',
    ...env,
  });
}

/** A whole Settle on a fresh database, closed when the test file ends. */
export async function startSettle(options: TestSettleOptions = {}): Promise<TestApi> {
  const db = await freshDb();
  const settle = await createSettle(testConfig(options.env), { db, checkResponses: true, ...(options.channels ? { channels: options.channels } : {}) });
  after(() => settle.close());
  return new TestApi(settle);
}
