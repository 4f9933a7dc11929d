// API.md "Accounts" through the HTTP stack: sign up, sign in and out, the
// caller (bearer and cookie with CSRF), the sign-in rate limit, operator-made
// staff and arbitrators, and how passwords and session tokens are stored.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { ADMIN_TOKEN, CLOCK_START, startSettle, type Response, type TestApi } from './support/harness.ts';

const PASSWORD = 'correct horse battery';
const USER_FIELDS = ['country', 'created_at', 'email', 'id', 'name', 'object', 'role', 'time_zone'];

/** The API.md error object: exactly {type, code, message, param?}. `param: null` means it must be absent. */
function assertError(res: Response, status: number, expected: { type: string; code?: string; param?: string | null }) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.deepEqual(Object.keys(res.body), ['error']);
  const error = res.body.error;
  for (const key of Object.keys(error)) assert.ok(['type', 'code', 'message', 'param'].includes(key), `unexpected error field ${key}`);
  assert.equal(error.type, expected.type);
  if (expected.code !== undefined) assert.equal(error.code, expected.code);
  assert.match(error.code, /^[a-z]+(_[a-z]+)*$/);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  if (expected.param === null) assert.equal('param' in error, false, `no param expected, got ${error.param}`);
  else if (expected.param !== undefined) assert.equal(error.param, expected.param);
}

async function countUsers(api: TestApi): Promise<number> {
  const result = await api.settle.deps.db.query<{ n: number }>('select count(*)::int8 as n from users');
  return result.rows[0]!.n;
}

function setCookies(res: Response): string[] {
  const header = res.headers['set-cookie'];
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [String(header)];
}

function cookieNamed(res: Response, name: string): { value: string; attributes: string[] } | undefined {
  for (const line of setCookies(res)) {
    const [pair, ...attributes] = line.split(';').map((p) => p.trim());
    const eq = pair!.indexOf('=');
    if (pair!.slice(0, eq) === name) return { value: decodeURIComponent(pair!.slice(eq + 1)), attributes: attributes.map((a) => a.toLowerCase()) };
  }
  return undefined;
}

const signIn = (api: TestApi, email: string, password: string) => api.post('/v1/sessions', { email, password });

// --- Sign up -----------------------------------------------------------------

test('sign up returns 201 and a user object with exactly the API.md fields and defaults', async () => {
  const api = await startSettle();
  const res = await api.post('/v1/users', { email: 'ann@example.com', password: PASSWORD, name: 'Ann Smith' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body).sort(), USER_FIELDS);
  assert.match(res.body.id, /^usr_[0-9A-Za-z]+$/);
  assert.equal(res.body.object, 'user');
  assert.equal(res.body.email, 'ann@example.com');
  assert.equal(res.body.name, 'Ann Smith');
  assert.equal(res.body.role, 'member');
  assert.equal(res.body.time_zone, 'UTC');
  assert.equal(res.body.country, null);
  assert.equal(res.body.created_at, CLOCK_START);
  assert.equal(await countUsers(api), 1);
});

test('sign up lower-cases the email, so the mixed-case and lower-case forms both sign in', async () => {
  const api = await startSettle();
  const res = await api.post('/v1/users', { email: 'Ann.Smith@Example.COM', password: PASSWORD, name: 'Ann' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.email, 'ann.smith@example.com');
  assert.equal((await signIn(api, 'ann.smith@example.com', PASSWORD)).status, 201);
  assert.equal((await signIn(api, 'ANN.SMITH@example.com', PASSWORD)).status, 201);
});

test('sign up stores a lower-case country code upper-cased and keeps the given time zone', async () => {
  const api = await startSettle();
  const res = await api.post('/v1/users', { email: 'bo@example.com', password: PASSWORD, name: 'Bo', country: 'de', time_zone: 'Europe/Berlin' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.country, 'DE');
  assert.equal(res.body.time_zone, 'Europe/Berlin');
  const me = await api.get('/v1/me', (await signIn(api, 'bo@example.com', PASSWORD)).body.token);
  assert.equal(me.body.country, 'DE');
  assert.equal(me.body.time_zone, 'Europe/Berlin');
});

test('sign up refuses bad fields with a 400 naming the field, and creates nobody', async () => {
  const api = await startSettle();
  const good = { email: 'cy@example.com', password: PASSWORD, name: 'Cy' };
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['password of 9 characters', { ...good, password: '123456789' }, 'password', 'parameter_invalid'],
    ['missing password', { email: good.email, name: good.name }, 'password', 'parameter_missing'],
    ['missing email', { password: good.password, name: good.name }, 'email', 'parameter_missing'],
    ['bad email', { ...good, email: 'not-an-email' }, 'email', 'parameter_invalid'],
    ['unknown time zone', { ...good, time_zone: 'Mars/Olympus_Mons' }, 'time_zone', 'parameter_invalid'],
    ['offset instead of a time zone', { ...good, time_zone: '+02:00' }, 'time_zone', 'parameter_invalid'],
    ['unknown country', { ...good, country: 'XX' }, 'country', 'parameter_invalid'],
    ['three-letter country', { ...good, country: 'DEU' }, 'country', 'parameter_invalid'],
  ];
  for (const [label, body, param, code] of cases) {
    const res = await api.post('/v1/users', body);
    assertError(res, 400, { type: 'invalid_request', code, param });
    assert.equal(await countUsers(api), 0, `${label} created a user`);
  }
  assertError(await signIn(api, good.email, PASSWORD), 401, { type: 'authentication', code: 'invalid_credentials' });
});

test('sign up refuses an unknown field with parameter_unknown naming it, so nobody signs up as staff', async () => {
  const api = await startSettle();
  const good = { email: 'di@example.com', password: PASSWORD, name: 'Di' };
  assertError(await api.post('/v1/users', { ...good, nickname: 'D' }), 400, { type: 'invalid_request', code: 'parameter_unknown', param: 'nickname' });
  assertError(await api.post('/v1/users', { ...good, role: 'staff' }), 400, { type: 'invalid_request', code: 'parameter_unknown', param: 'role' });
  assert.equal(await countUsers(api), 0);
});

test('sign up with a taken email, also in another case, is 409 email_taken and keeps the first account', async () => {
  const api = await startSettle();
  const first = await api.post('/v1/users', { email: 'eve@example.com', password: PASSWORD, name: 'Eve' });
  assert.equal(first.status, 201);
  for (const email of ['eve@example.com', 'EVE@Example.com']) {
    const res = await api.post('/v1/users', { email, password: 'another password 123', name: 'Impostor' });
    assertError(res, 409, { type: 'conflict', code: 'email_taken', param: 'email' });
  }
  assert.equal(await countUsers(api), 1);
  // The first account's password still works and the impostor's does not.
  const session = await signIn(api, 'eve@example.com', PASSWORD);
  assert.equal(session.status, 201);
  assert.equal(session.body.user.name, 'Eve');
  assertError(await signIn(api, 'eve@example.com', 'another password 123'), 401, { type: 'authentication', code: 'invalid_credentials' });
});

test('sign up refuses a body that is not a JSON object: malformed JSON, another content type, an array, a string', async () => {
  const api = await startSettle();
  const json = JSON.stringify({ email: 'fay@example.com', password: PASSWORD, name: 'Fay' });
  assertError(await api.request('POST', '/v1/users', { rawBody: '{"email": "fay@example.com", "password": ' }), 400, { type: 'invalid_request', code: 'invalid_json' });
  const textPlain = await api.request('POST', '/v1/users', { rawBody: json, headers: { 'content-type': 'text/plain' } });
  assertError(textPlain, 400, { type: 'invalid_request' });
  const form = await api.request('POST', '/v1/users', { rawBody: 'email=fay%40example.com', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assertError(form, 400, { type: 'invalid_request' });
  assertError(await api.post('/v1/users', [{ email: 'fay@example.com', password: PASSWORD, name: 'Fay' }]), 400, { type: 'invalid_request', code: 'invalid_body' });
  assertError(await api.post('/v1/users', 'fay@example.com'), 400, { type: 'invalid_request', code: 'invalid_body' });
  assertError(await api.post('/v1/users', null), 400, { type: 'invalid_request' });
  assert.equal(await countUsers(api), 0);
});

// --- Sign in -----------------------------------------------------------------

test('sign in returns 201 with token, csrf_token and the user, and sets an HttpOnly session cookie and a readable CSRF cookie', async () => {
  const api = await startSettle();
  const created = await api.post('/v1/users', { email: 'gus@example.com', password: PASSWORD, name: 'Gus' });
  const res = await signIn(api, 'gus@example.com', PASSWORD);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(typeof res.body.token, 'string');
  assert.ok(res.body.token.length >= 32, 'the token carries enough randomness');
  assert.equal(typeof res.body.csrf_token, 'string');
  assert.notEqual(res.body.csrf_token, res.body.token);
  assert.deepEqual(res.body.user, created.body);

  const session = cookieNamed(res, 'settle_session');
  assert.ok(session, `no settle_session cookie in ${JSON.stringify(setCookies(res))}`);
  assert.equal(session.value, res.body.token);
  assert.ok(session.attributes.includes('httponly'), 'the session cookie is HttpOnly');
  assert.ok(session.attributes.includes('samesite=lax'));
  assert.ok(session.attributes.includes('path=/'));
  const csrf = cookieNamed(res, 'settle_csrf');
  assert.ok(csrf, 'a settle_csrf cookie is set');
  assert.equal(csrf.value, res.body.csrf_token);
  assert.ok(!csrf.attributes.includes('httponly'), 'the CSRF cookie must be readable by the page');
});

test('sign in with a wrong password and with an unknown email fail alike: 401 invalid_credentials, same message, no cookie', async () => {
  const api = await startSettle();
  await api.post('/v1/users', { email: 'hal@example.com', password: PASSWORD, name: 'Hal' });
  const wrong = await signIn(api, 'hal@example.com', 'wrong password 123');
  const unknown = await signIn(api, 'nobody@example.com', PASSWORD);
  assertError(wrong, 401, { type: 'authentication', code: 'invalid_credentials', param: null });
  assertError(unknown, 401, { type: 'authentication', code: 'invalid_credentials', param: null });
  assert.deepEqual(unknown.body, wrong.body);
  assert.equal(setCookies(wrong).length, 0);
  assert.equal(setCookies(unknown).length, 0);
});

test('after 5 failed sign-ins for an email the 6th, even with the right password, is 429 until 15 minutes have passed', async () => {
  const api = await startSettle();
  await api.post('/v1/users', { email: 'ida@example.com', password: PASSWORD, name: 'Ida' });
  await api.post('/v1/users', { email: 'jo@example.com', password: PASSWORD, name: 'Jo' });
  for (let i = 0; i < 5; i++) assertError(await signIn(api, 'ida@example.com', `wrong password ${i}00`), 401, { type: 'authentication', code: 'invalid_credentials' });

  assertError(await signIn(api, 'ida@example.com', PASSWORD), 429, { type: 'rate_limit', code: 'too_many_sign_in_attempts' });
  assertError(await signIn(api, 'IDA@example.com', PASSWORD), 429, { type: 'rate_limit', code: 'too_many_sign_in_attempts' });
  // The limit is per email: another account signs in from the same address.
  assert.equal((await signIn(api, 'jo@example.com', PASSWORD)).status, 201);

  await api.advance({ seconds: 15 * 60 - 1 });
  assertError(await signIn(api, 'ida@example.com', PASSWORD), 429, { type: 'rate_limit', code: 'too_many_sign_in_attempts' });
  await api.advance({ seconds: 2 });
  const res = await signIn(api, 'ida@example.com', PASSWORD);
  assert.equal(res.status, 201, JSON.stringify(res.body));
});

test('a successful sign-in clears the failure count for the email', async () => {
  const api = await startSettle();
  await api.post('/v1/users', { email: 'kim@example.com', password: PASSWORD, name: 'Kim' });
  for (let i = 0; i < 4; i++) assert.equal((await signIn(api, 'kim@example.com', 'wrong password 123')).status, 401);
  assert.equal((await signIn(api, 'kim@example.com', PASSWORD)).status, 201);
  for (let i = 0; i < 4; i++) assert.equal((await signIn(api, 'kim@example.com', 'wrong password 123')).status, 401);
  assert.equal((await signIn(api, 'kim@example.com', PASSWORD)).status, 201);
});

// --- The caller, sign out, session storage ------------------------------------

test('GET /v1/me answers the bearer token holder and 401 without a token, with a forged one or a malformed header', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  const me = await api.get('/v1/me', ann.token);
  assert.equal(me.status, 200);
  assert.deepEqual(me.body, ann.user);

  assertError(await api.get('/v1/me'), 401, { type: 'authentication', code: 'not_authenticated' });
  const forged = ann.token.slice(0, -4) + (ann.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assertError(await api.get('/v1/me', forged), 401, { type: 'authentication', code: 'not_authenticated' });
  for (const authorization of [`Basic ${ann.token}`, `bearer${ann.token}`, `Bearer ${ann.token} extra`, 'Bearer', `Token ${ann.token}`]) {
    const res = await api.request('GET', '/v1/me', { headers: { authorization } });
    assertError(res, 401, { type: 'authentication', code: 'not_authenticated' });
  }
});

test('signing out with DELETE /v1/sessions/current (204) makes the same token 401 and clears the cookies', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  const other = await signIn(api, ann.email, ann.password);
  const out = await api.request('DELETE', '/v1/sessions/current', { token: ann.token });
  assert.equal(out.status, 204);
  assert.equal(out.body, '');
  const cleared = cookieNamed(out, 'settle_session');
  assert.ok(cleared && cleared.value === '', 'the session cookie is cleared');
  assertError(await api.get('/v1/me', ann.token), 401, { type: 'authentication', code: 'not_authenticated' });
  assertError(await api.request('DELETE', '/v1/sessions/current', { token: ann.token }), 401, { type: 'authentication' });
  // Only that session ended: another one of the same user still works.
  assert.equal((await api.get('/v1/me', other.body.token)).status, 200);
});

test('a session expires 30 days after sign-in', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  await api.advance({ seconds: 30 * 24 * 3600 - 1 });
  assert.equal((await api.get('/v1/me', ann.token)).status, 200);
  await api.advance({ seconds: 1 });
  assertError(await api.get('/v1/me', ann.token), 401, { type: 'authentication', code: 'not_authenticated' });
});

test('the database stores only the SHA-256 of a session token, never the token', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  const rows = (await api.settle.deps.db.query<{ token_hash: string; user_id: string }>('select token_hash, user_id from sessions')).rows;
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.user_id, ann.id);
  assert.notEqual(rows[0]!.token_hash, ann.token);
  assert.ok(!rows[0]!.token_hash.includes(ann.token));
  assert.equal(rows[0]!.token_hash, createHash('sha256').update(ann.token).digest('hex'));
});

test('passwords are stored as scrypt hashes that do not contain the password', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  const bob = await api.user('Bob');
  const rows = (await api.settle.deps.db.query<{ id: string; password_hash: string }>('select id, password_hash from users order by seq')).rows;
  assert.deepEqual(rows.map((r) => r.id), [ann.id, bob.id]);
  for (const row of rows) {
    assert.ok(row.password_hash.startsWith('scrypt$'), row.password_hash);
    assert.ok(!row.password_hash.includes(PASSWORD));
  }
  // Same password, different salt: the hashes differ.
  assert.notEqual(rows[0]!.password_hash, rows[1]!.password_hash);
});

// --- PATCH /v1/me ----------------------------------------------------------------

test('PATCH /v1/me changes name, time zone and country, and country null clears it', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  const changed = await api.request('PATCH', '/v1/me', { token: ann.token, body: { name: '  Ann Smith ', time_zone: 'America/New_York', country: 'us' } });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.deepEqual(changed.body, { ...ann.user, name: 'Ann Smith', time_zone: 'America/New_York', country: 'US' });
  assert.deepEqual((await api.get('/v1/me', ann.token)).body, changed.body);

  // Only what is sent changes.
  const renamed = await api.request('PATCH', '/v1/me', { token: ann.token, body: { name: 'Ann S.' } });
  assert.deepEqual(renamed.body, { ...changed.body, name: 'Ann S.' });

  const cleared = await api.request('PATCH', '/v1/me', { token: ann.token, body: { country: null } });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.body.country, null);
  assert.equal(cleared.body.time_zone, 'America/New_York');
  assert.equal((await api.get('/v1/me', ann.token)).body.country, null);
});

test('PATCH /v1/me with a bad time zone is 400 param time_zone and changes nothing, not even the valid fields', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann', { country: 'FR' });
  const res = await api.request('PATCH', '/v1/me', { token: ann.token, body: { name: 'Changed', time_zone: 'Europe/Atlantis', country: 'DE' } });
  assertError(res, 400, { type: 'invalid_request', code: 'parameter_invalid', param: 'time_zone' });
  assertError(await api.request('PATCH', '/v1/me', { token: ann.token, body: { email: 'new@example.com' } }), 400, { code: 'parameter_unknown', type: 'invalid_request', param: 'email' });
  assertError(await api.request('PATCH', '/v1/me', { token: ann.token, body: { role: 'staff' } }), 400, { code: 'parameter_unknown', type: 'invalid_request', param: 'role' });
  assert.deepEqual((await api.get('/v1/me', ann.token)).body, ann.user);
});

// --- Cookie auth and CSRF -------------------------------------------------------

test('the session cookie alone signs in a GET; a state change by cookie needs the X-CSRF-Token header', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  const session = await signIn(api, ann.email, ann.password);
  const cookie = `settle_session=${session.body.token}; settle_csrf=${session.body.csrf_token}`;

  const me = await api.request('GET', '/v1/me', { headers: { cookie } });
  assert.equal(me.status, 200);
  assert.equal(me.body.id, ann.id);

  const noHeader = await api.request('PATCH', '/v1/me', { headers: { cookie }, body: { name: 'Mallory' } });
  assertError(noHeader, 403, { type: 'permission', code: 'csrf_token_invalid' });
  const wrongHeader = await api.request('PATCH', '/v1/me', { headers: { cookie, 'x-csrf-token': ann.token }, body: { name: 'Mallory' } });
  assertError(wrongHeader, 403, { type: 'permission', code: 'csrf_token_invalid' });
  // Another session's CSRF token does not fit this session.
  const otherSession = await signIn(api, ann.email, ann.password);
  const otherCsrf = await api.request('PATCH', '/v1/me', { headers: { cookie, 'x-csrf-token': otherSession.body.csrf_token }, body: { name: 'Mallory' } });
  assertError(otherCsrf, 403, { type: 'permission', code: 'csrf_token_invalid' });
  assert.equal((await api.get('/v1/me', ann.token)).body.name, 'Ann');

  const ok = await api.request('PATCH', '/v1/me', { headers: { cookie, 'x-csrf-token': session.body.csrf_token }, body: { name: 'Ann Cookie' } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal((await api.get('/v1/me', ann.token)).body.name, 'Ann Cookie');

  // Signing out by cookie is a state change too.
  assertError(await api.request('DELETE', '/v1/sessions/current', { headers: { cookie } }), 403, { type: 'permission', code: 'csrf_token_invalid' });
  assert.equal((await api.request('GET', '/v1/me', { headers: { cookie } })).status, 200);
});

test('a bearer-token request needs no CSRF header', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  const res = await api.request('PATCH', '/v1/me', { token: ann.token, body: { name: 'Ann Bearer' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.name, 'Ann Bearer');
});

test('a stale session cookie counts as no sign-in', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  await api.request('DELETE', '/v1/sessions/current', { token: ann.token });
  const res = await api.request('GET', '/v1/me', { headers: { cookie: `settle_session=${ann.token}` } });
  assertError(res, 401, { type: 'authentication', code: 'not_authenticated' });
});

// --- Operator ------------------------------------------------------------------

test('the operator creates staff and arbitrator accounts that can sign in with their role', async () => {
  const api = await startSettle();
  for (const role of ['staff', 'arbitrator']) {
    const email = `${role}@example.com`;
    const res = await api.admin('POST', '/v1/admin/users', { email, password: PASSWORD, name: `The ${role}`, role });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), USER_FIELDS);
    assert.equal(res.body.role, role);
    const session = await signIn(api, email, PASSWORD);
    assert.equal(session.status, 201);
    assert.equal((await api.get('/v1/me', session.body.token)).body.role, role);
  }
  assert.equal(await countUsers(api), 2);
});

test('the operator may only create staff or arbitrators: role member or operator is 400 param role', async () => {
  const api = await startSettle();
  for (const role of ['member', 'operator', 'admin']) {
    const res = await api.admin('POST', '/v1/admin/users', { email: `${role}@example.com`, password: PASSWORD, name: 'X', role });
    assertError(res, 400, { type: 'invalid_request', code: 'parameter_invalid', param: 'role' });
  }
  assertError(await api.admin('POST', '/v1/admin/users', { email: 'x@example.com', password: PASSWORD, name: 'X' }), 400, { type: 'invalid_request', param: 'role' });
  assert.equal(await countUsers(api), 0);
});

test('the operator API is 403 for a member, 401 without a token, and open with the admin token', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  const body = { email: 'staff@example.com', password: PASSWORD, name: 'Staff', role: 'staff' };

  assertError(await api.post('/v1/admin/users', body, ann.token), 403, { type: 'permission' });
  assertError(await api.post('/v1/admin/users', body), 401, { type: 'authentication', code: 'not_authenticated' });
  assertError(await api.post('/v1/admin/users', body, 'not-the-admin-token-at-all-0123456789'), 401, { type: 'authentication' });
  assert.equal(await countUsers(api), 1);

  assertError(await api.get('/v1/admin/ledger/verify', ann.token), 403, { type: 'permission' });
  assertError(await api.get('/v1/admin/ledger/verify'), 401, { type: 'authentication', code: 'not_authenticated' });
  const verify = await api.admin('GET', '/v1/admin/ledger/verify');
  assert.equal(verify.status, 200);
  assert.equal(verify.body.ok, true);

  // The admin token is the operator, not a user.
  assertError(await api.get('/v1/me', ADMIN_TOKEN), 403, { type: 'permission' });
});

test('without SETTLE_ADMIN_TOKEN the operator API answers 404 to everyone', async () => {
  const api = await startSettle({ env: { SETTLE_ADMIN_TOKEN: '' } });
  assert.equal(api.settle.deps.config.adminToken, undefined);
  const ann = await api.user('Ann');
  const body = { email: 'staff@example.com', password: PASSWORD, name: 'Staff', role: 'staff' };
  for (const token of [undefined, ann.token, ADMIN_TOKEN]) {
    assertError(await api.post('/v1/admin/users', body, token), 404, { type: 'not_found' });
    assertError(await api.get('/v1/admin/ledger/verify', token), 404, { type: 'not_found' });
  }
  assert.equal(await countUsers(api), 1);
});
