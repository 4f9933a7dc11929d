// API.md "Conventions" through the HTTP stack: Idempotency-Key, the error
// object for unknown routes, Request-Id, the OpenAPI document, list
// pagination, and the sandbox clock's test helpers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { CLOCK_START, startSettle, type Response, type TestApi } from './support/harness.ts';

function assertError(res: Response, status: number, expected: { type: string; code?: string; param?: string }) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.deepEqual(Object.keys(res.body), ['error']);
  const error = res.body.error;
  for (const key of Object.keys(error)) assert.ok(['type', 'code', 'message', 'param'].includes(key), `unexpected error field ${key}`);
  assert.equal(error.type, expected.type);
  if (expected.code !== undefined) assert.equal(error.code, expected.code);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  if (expected.param !== undefined) assert.equal(error.param, expected.param);
}

const payout = (api: TestApi, token: string, body: unknown, key?: string) =>
  api.request('POST', '/v1/payouts', { token, body, ...(key !== undefined ? { headers: { 'idempotency-key': key } } : {}) });

async function available(api: TestApi, token: string, currency = 'usd'): Promise<number> {
  const res = await api.get('/v1/balance', token);
  assert.equal(res.status, 200);
  return res.body.available.find((a: { currency: string }) => a.currency === currency)?.amount ?? 0;
}

async function payoutCount(api: TestApi, token: string): Promise<number> {
  const res = await api.get('/v1/payouts?limit=100', token);
  assert.equal(res.status, 200);
  return res.body.data.length;
}

async function payoutTransferCount(api: TestApi): Promise<number> {
  const result = await api.settle.deps.db.query<{ n: number }>("select count(*)::int8 as n from transfers where kind = 'payout'");
  return result.rows[0]!.n;
}

// --- Idempotency-Key -------------------------------------------------------------

test('a retry with the same Idempotency-Key and body replays the first response and pays out only once', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  await api.credit(ann.id, 10_000);

  const first = await payout(api, ann.token, { amount: 3_000, currency: 'usd' }, 'payout-1');
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.headers['idempotent-replayed'], undefined);
  assert.match(first.body.id, /^po_/);

  for (let i = 0; i < 2; i++) {
    const retry = await payout(api, ann.token, { amount: 3_000, currency: 'usd' }, 'payout-1');
    assert.equal(retry.status, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.deepEqual(retry.body, first.body);
  }

  assert.equal(await payoutCount(api, ann.token), 1);
  assert.equal(await payoutTransferCount(api), 1);
  assert.equal(await available(api, ann.token), 7_000);
  const ledger = await api.verifyLedger();
  assert.equal(ledger.ok, true, ledger.problems.join('; '));

  // Without a key, the same request is a second payout.
  assert.equal((await payout(api, ann.token, { amount: 3_000, currency: 'usd' })).status, 201);
  assert.equal(await available(api, ann.token), 4_000);
});

test('the same Idempotency-Key with a different body is 409 idempotency_key_reused and has no effect', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  await api.credit(ann.id, 10_000);
  assert.equal((await payout(api, ann.token, { amount: 3_000, currency: 'usd' }, 'payout-1')).status, 201);

  const reused = await payout(api, ann.token, { amount: 4_000, currency: 'usd' }, 'payout-1');
  assertError(reused, 409, { type: 'conflict', code: 'idempotency_key_reused', param: 'Idempotency-Key' });
  assert.equal(reused.headers['idempotent-replayed'], undefined);
  assert.equal(await payoutCount(api, ann.token), 1);
  assert.equal(await available(api, ann.token), 7_000);
});

test("an Idempotency-Key is the caller's own: another user with the same key gets a payout of their own", async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  const bob = await api.user('Bob');
  await api.credit(ann.id, 10_000);
  await api.credit(bob.id, 10_000);

  const annPayout = await payout(api, ann.token, { amount: 3_000, currency: 'usd' }, 'shared-key');
  const bobPayout = await payout(api, bob.token, { amount: 3_000, currency: 'usd' }, 'shared-key');
  assert.equal(annPayout.status, 201);
  assert.equal(bobPayout.status, 201);
  assert.equal(bobPayout.headers['idempotent-replayed'], undefined);
  assert.notEqual(bobPayout.body.id, annPayout.body.id);

  const bobList = (await api.get('/v1/payouts', bob.token)).body;
  assert.deepEqual(bobList.data.map((p: { id: string }) => p.id), [bobPayout.body.id]);
  assert.equal(await available(api, ann.token), 7_000);
  assert.equal(await available(api, bob.token), 7_000);
  assert.equal(await payoutTransferCount(api), 2);

  // A different body from Bob with Ann's key is no conflict with Ann's request either.
  const bobOther = await payout(api, bob.token, { amount: 1_000, currency: 'usd' }, 'annual-key');
  assert.equal(bobOther.status, 201);
});

test('a 4xx answer is replayed too: a retry after insufficient_balance stays 402 even once the money is there', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  await api.credit(ann.id, 1_000);

  const first = await payout(api, ann.token, { amount: 5_000, currency: 'usd' }, 'too-much');
  assertError(first, 402, { type: 'payment', code: 'insufficient_balance' });

  await api.credit(ann.id, 10_000);
  const retry = await payout(api, ann.token, { amount: 5_000, currency: 'usd' }, 'too-much');
  assert.equal(retry.status, 402);
  assert.equal(retry.headers['idempotent-replayed'], 'true');
  assert.deepEqual(retry.body, first.body);
  assert.equal(await payoutCount(api, ann.token), 0);
  assert.equal(await available(api, ann.token), 11_000);

  // A fresh key runs the request again, and now it succeeds.
  assert.equal((await payout(api, ann.token, { amount: 5_000, currency: 'usd' }, 'too-much-2')).status, 201);
  assert.equal(await available(api, ann.token), 6_000);
});

test('an Idempotency-Key longer than 255 characters or with spaces is 400 param Idempotency-Key and pays nothing', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  await api.credit(ann.id, 10_000);
  for (const key of ['k'.repeat(256), 'has a space']) {
    const res = await payout(api, ann.token, { amount: 1_000, currency: 'usd' }, key);
    assertError(res, 400, { type: 'invalid_request', code: 'idempotency_key_invalid', param: 'Idempotency-Key' });
  }
  assert.equal(await payoutCount(api, ann.token), 0);
  assert.equal(await available(api, ann.token), 10_000);
  // 255 characters is still a key.
  assert.equal((await payout(api, ann.token, { amount: 1_000, currency: 'usd' }, 'k'.repeat(255))).status, 201);
});

// --- Errors and headers ------------------------------------------------------------

test('an unknown route is 404 with the error object of type not_found', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  for (const [method, url] of [['GET', '/v1/nothing_here'], ['POST', '/v1/nothing_here'], ['PUT', '/v1/me'], ['GET', '/v2/me?x=1']] as const) {
    const res = await api.request(method, url, { token: ann.token });
    assertError(res, 404, { type: 'not_found', code: 'route_not_found' });
  }
});

test('every response carries a Request-Id header, each one different', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  await api.credit(ann.id, 1_000);
  const responses: Array<[string, Response]> = [
    ['health', await api.get('/healthz')],
    ['openapi', await api.get('/v1/openapi.json')],
    ['201', await api.post('/v1/users', { email: 'rid@example.com', password: 'correct horse battery', name: 'Rid' })],
    ['200', await api.get('/v1/me', ann.token)],
    ['400 bad json', await api.request('POST', '/v1/users', { rawBody: '{' })],
    ['400 validation', await api.post('/v1/users', {})],
    ['401', await api.get('/v1/me')],
    ['403', await api.get('/v1/admin/ledger/verify', ann.token)],
    ['404 route', await api.get('/v1/nothing_here')],
    ['201 keyed', await payout(api, ann.token, { amount: 100, currency: 'usd' }, 'rid-key')],
    ['replay', await payout(api, ann.token, { amount: 100, currency: 'usd' }, 'rid-key')],
    ['204', await api.request('DELETE', '/v1/sessions/current', { token: ann.token })],
  ];
  const ids = new Set<string>();
  for (const [label, res] of responses) {
    const id = res.headers['request-id'];
    assert.equal(typeof id, 'string', `${label} has no Request-Id`);
    assert.match(id as string, /^req_[A-Za-z0-9_-]+$/, label);
    ids.add(id as string);
  }
  assert.equal(ids.size, responses.length);
  assert.equal(responses.find(([label]) => label === 'replay')![1].headers['idempotent-replayed'], 'true');
});

// --- OpenAPI ---------------------------------------------------------------------

/** `METHOD /path` for every route Fastify serves, read from its route tree (HEAD left out). */
function servedRoutes(server: FastifyInstance): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const withMethods = /^(.*) \(([A-Z, ]+)\)$/.exec(m[2]!);
    stack.length = depth;
    stack.push(withMethods ? withMethods[1]! : m[2]!);
    if (!withMethods) continue;
    const path = stack.join('').replace(/:([a-z_]+)/g, '{$1}');
    for (const method of withMethods[2]!.split(', ')) if (method !== 'HEAD') out.add(`${method} ${path}`);
  }
  return out;
}

const API_MD_ACCOUNTS_AND_MONEY = [
  'POST /v1/users',
  'POST /v1/sessions',
  'DELETE /v1/sessions/current',
  'GET /v1/me',
  'PATCH /v1/me',
  'POST /v1/admin/users',
  'GET /v1/balance',
  'GET /v1/balance/transactions',
  'POST /v1/payouts',
  'GET /v1/admin/ledger/verify',
  'GET /v1/test_helpers/clock',
  'POST /v1/test_helpers/clock/advance',
];

test('GET /v1/openapi.json is OpenAPI 3.1.0 with an operation for every route the server serves', async () => {
  const api = await startSettle();
  const res = await api.get('/v1/openapi.json');
  assert.equal(res.status, 200);
  assert.equal(res.body.openapi, '3.1.0');

  const documented = new Set<string>();
  for (const [path, operations] of Object.entries(res.body.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(operations)) documented.add(`${method.toUpperCase()} ${path}`);
  }
  const served = servedRoutes(api.settle.server);
  for (const call of API_MD_ACCOUNTS_AND_MONEY) {
    assert.ok(served.has(call), `the server does not serve ${call}`);
    assert.ok(documented.has(call), `openapi.json does not document ${call}`);
  }
  // API routes are under /v1 (the web app's assets and /healthz are not part of the API).
  const undocumented = [...served].filter((call) => call.split(' ')[1]!.startsWith('/v1/') && !documented.has(call) && call !== 'GET /v1/openapi.json');
  assert.deepEqual(undocumented, [], 'every API route is in the OpenAPI document');
  const phantom = [...documented].filter((call) => !served.has(call));
  assert.deepEqual(phantom, [], 'the OpenAPI document lists only routes that exist');
});

test('the OpenAPI request body of POST /v1/users requires email, password and name and allows nothing else', async () => {
  const api = await startSettle();
  const doc = (await api.get('/v1/openapi.json')).body;
  const operation = doc.paths['/v1/users'].post;
  const schema = operation.requestBody.content['application/json'].schema;
  assert.deepEqual([...schema.required].sort(), ['email', 'name', 'password']);
  assert.deepEqual(Object.keys(schema.properties).sort(), ['country', 'email', 'name', 'password', 'time_zone']);
  assert.equal(schema.additionalProperties, false);
  assert.equal(schema.properties.password.minLength, 10);
  assert.ok(operation.responses['201'], 'sign up documents its 201');
  assert.ok(operation.responses['400'], 'sign up documents its 400');
});

// --- List pagination -------------------------------------------------------------

test('GET /v1/balance/transactions pages newest first with limit and starting_after, missing and repeating nothing', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  const bob = await api.user('Bob');
  await api.credit(bob.id, 999);

  // Six movements a minute apart; the expected amounts, oldest first.
  const expected: Array<[number, 'available' | 'pending']> = [];
  const step = async (fn: () => Promise<unknown>, amount: number, type: 'available' | 'pending' = 'available') => {
    await fn();
    expected.push([amount, type]);
    await api.advance({ seconds: 60 });
  };
  await step(() => api.credit(ann.id, 1_000), 1_000);
  await step(() => api.credit(ann.id, 2_000), 2_000);
  await step(async () => assert.equal((await payout(api, ann.token, { amount: 500, currency: 'usd' })).status, 201), -500);
  await step(() => api.credit(ann.id, 3_000), 3_000);
  await step(async () => assert.equal((await payout(api, ann.token, { amount: 700, currency: 'usd' })).status, 201), -700);
  await step(() => api.credit(ann.id, 400, 'usd', 'pending'), 400, 'pending');

  const all = await api.get('/v1/balance/transactions?limit=100', ann.token);
  assert.equal(all.status, 200);
  assert.equal(all.body.object, 'list');
  assert.equal(all.body.has_more, false);
  assert.deepEqual(
    all.body.data.map((t: { amount: number; balance_type: string }) => [t.amount, t.balance_type]),
    [...expected].reverse(),
  );
  const times = all.body.data.map((t: { created_at: string }) => Date.parse(t.created_at));
  for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] > times[i], 'newest first');
  assert.equal(all.body.data[1].balance_after, 4_800);

  // The default page holds all six (default limit 20).
  assert.deepEqual((await api.get('/v1/balance/transactions', ann.token)).body, all.body);

  const seen: string[] = [];
  const hasMore: boolean[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = await api.get(`/v1/balance/transactions?limit=2${cursor ? `&starting_after=${cursor}` : ''}`, ann.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.data.length <= 2);
    seen.push(...res.body.data.map((t: { id: string }) => t.id));
    hasMore.push(res.body.has_more);
    if (!res.body.has_more) break;
    cursor = res.body.data.at(-1).id;
  }
  assert.deepEqual(hasMore, [true, true, false]);
  assert.equal(new Set(seen).size, seen.length, 'no duplicates');
  assert.deepEqual(seen, all.body.data.map((t: { id: string }) => t.id), 'nothing missed, same order');

  const afterLast = await api.get(`/v1/balance/transactions?starting_after=${seen.at(-1)}`, ann.token);
  assert.deepEqual(afterLast.body, { object: 'list', data: [], has_more: false });
});

test('GET /v1/balance/transactions refuses a limit outside 1–100 and a cursor the caller does not own', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  const bob = await api.user('Bob');
  await api.credit(ann.id, 1_000);
  await api.credit(bob.id, 1_000);
  const bobTxn = (await api.get('/v1/balance/transactions', bob.token)).body.data[0].id;
  assert.match(bobTxn, /^txn_/);

  for (const limit of ['0', '101', '-1', '1.5', 'ten']) {
    assertError(await api.get(`/v1/balance/transactions?limit=${limit}`, ann.token), 400, { type: 'invalid_request', param: 'limit' });
  }
  assert.equal((await api.get('/v1/balance/transactions?limit=1', ann.token)).status, 200);
  assert.equal((await api.get('/v1/balance/transactions?limit=100', ann.token)).status, 200);

  for (const cursor of [bobTxn, 'txn_doesnotexist']) {
    assertError(await api.get(`/v1/balance/transactions?starting_after=${cursor}`, ann.token), 400, { type: 'invalid_request', param: 'starting_after' });
  }
  assertError(await api.get('/v1/balance/transactions?colour=red', ann.token), 400, { type: 'invalid_request', code: 'parameter_unknown', param: 'colour' });
});

// --- Sandbox clock -----------------------------------------------------------------

test('the test helpers answer 404 when the server runs with SETTLE_CLOCK=system', async () => {
  const api = await startSettle({ env: { SETTLE_CLOCK: 'system', SETTLE_CLOCK_START: '' } });
  assert.equal(api.settle.deps.clock.mode, 'system');
  const ann = await api.user('Ann');
  assertError(await api.admin('GET', '/v1/test_helpers/clock'), 404, { type: 'not_found' });
  assertError(await api.admin('POST', '/v1/test_helpers/clock/advance', { seconds: 60 }), 404, { type: 'not_found' });
  assertError(await api.admin('POST', '/v1/test_helpers/balance_credits', { user_id: ann.id, amount: 1_000, currency: 'usd' }), 404, { type: 'not_found' });
  assertError(await api.get('/v1/test_helpers/clock'), 404, { type: 'not_found' });
  assert.equal(await available(api, ann.token), 0);
  // The rest of the operator API is still on.
  assert.equal((await api.admin('GET', '/v1/admin/ledger/verify')).status, 200);
});

test('the sandbox clock moves forward by seconds or to an instant, and GET shows the new time', async () => {
  const api = await startSettle();
  const start = await api.admin('GET', '/v1/test_helpers/clock');
  assert.equal(start.status, 200);
  assert.equal(start.body.now, CLOCK_START);

  const bySeconds = await api.admin('POST', '/v1/test_helpers/clock/advance', { seconds: 3_600 });
  assert.equal(bySeconds.status, 200, JSON.stringify(bySeconds.body));
  assert.equal(bySeconds.body.now, '2026-12-01T10:00:00.000Z');
  assert.equal((await api.admin('GET', '/v1/test_helpers/clock')).body.now, '2026-12-01T10:00:00.000Z');

  const byInstant = await api.admin('POST', '/v1/test_helpers/clock/advance', { to: '2026-12-01T12:30:00+02:00' });
  assert.equal(byInstant.status, 200, JSON.stringify(byInstant.body));
  assert.equal(byInstant.body.now, '2026-12-01T10:30:00.000Z');
  assert.equal((await api.admin('GET', '/v1/test_helpers/clock')).body.now, '2026-12-01T10:30:00.000Z');

  // The application reads the same clock.
  const ann = await api.user('Ann');
  assert.equal(ann.user.created_at, '2026-12-01T10:30:00.000Z');
});

test('the sandbox clock refuses negative seconds, a time in the past, and seconds with to, and stays put', async () => {
  const api = await startSettle();
  await api.advance({ seconds: 3_600 });
  const now = '2026-12-01T10:00:00.000Z';
  const advance = (body: unknown) => api.admin('POST', '/v1/test_helpers/clock/advance', body);

  assertError(await advance({ seconds: -1 }), 400, { type: 'invalid_request', param: 'seconds' });
  assertError(await advance({ seconds: 1.5 }), 400, { type: 'invalid_request', param: 'seconds' });
  assertError(await advance({ seconds: '60' }), 400, { type: 'invalid_request', param: 'seconds' });
  assertError(await advance({ to: '2026-12-01T09:59:59Z' }), 400, { type: 'invalid_request', code: 'clock_backwards', param: 'to' });
  assertError(await advance({ to: 'tomorrow' }), 400, { type: 'invalid_request', param: 'to' });
  assertError(await advance({ seconds: 60, to: '2026-12-02T00:00:00Z' }), 400, { type: 'invalid_request', code: 'parameters_exclusive' });
  assertError(await advance({}), 400, { type: 'invalid_request', code: 'parameter_missing', param: 'seconds' });
  assert.equal((await api.admin('GET', '/v1/test_helpers/clock')).body.now, now);

  const ann = await api.user('Ann');
  assertError(await api.post('/v1/test_helpers/clock/advance', { seconds: 60 }, ann.token), 403, { type: 'permission' });
  assert.equal((await api.admin('GET', '/v1/test_helpers/clock')).body.now, now);
});
