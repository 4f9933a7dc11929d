// Issue "Contracts, milestones and escrow": wrong input, wrong party, wrong
// state. Each is a 4xx error object naming the field at fault, and moves no
// money and changes no state: transfers, events and the objects themselves are
// compared before and after.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSettle, type Response, type TestApi } from './support/harness.ts';
import { activeContract, assertLedger, expectOk, type Member } from './support/scenario.ts';

interface Expected {
  status: number;
  type?: string;
  code?: string;
  param?: string | undefined;
}

function expectError(res: Response, e: Expected, label = ''): void {
  const why = `${label} ${JSON.stringify(res.body)}`;
  assert.equal(res.status, e.status, why);
  assert.equal(typeof res.body?.error?.message, 'string', why);
  assert.ok(res.body.error.message.length > 0, why);
  if (e.type) assert.equal(res.body.error.type, e.type, why);
  if (e.code) assert.equal(res.body.error.code, e.code, why);
  if ('param' in e) assert.equal(res.body.error.param, e.param, why);
}

async function counts(api: TestApi) {
  const r = await api.settle.deps.db.query<{ transfers: number; events: number; contracts: number; milestones: number }>(
    `select (select count(*) from transfers)::int8 as transfers, (select count(*) from events)::int8 as events,
            (select count(*) from contracts)::int8 as contracts, (select count(*) from milestones)::int8 as milestones`,
  );
  const row = r.rows[0]!;
  return { transfers: Number(row.transfers), events: Number(row.events), contracts: Number(row.contracts), milestones: Number(row.milestones) };
}

/** Everything a rejected call must leave alone: row counts, and the contract as both parties see it. */
async function snapshot(api: TestApi, contractId: string, client: Member, freelancer: Member) {
  return {
    counts: await counts(api),
    client: (await api.get(`/v1/contracts/${contractId}`, client.token)).body,
    freelancer: (await api.get(`/v1/contracts/${contractId}`, freelancer.token)).body,
    balances: [(await api.get('/v1/balance', client.token)).body, (await api.get('/v1/balance', freelancer.token)).body],
  };
}

const LONG = (n: number) => 'x'.repeat(n);

// ---------------------------------------------------------------------------
// POST /v1/contracts

test('an offer with a bad field is 400 naming the field, and creates nothing', async () => {
  const api = await startSettle();
  const client = await api.user('Cleo Client');
  const freelancer = await api.user('Finn Freelancer');
  const good = { title: 'Logo', freelancer_email: freelancer.email, milestones: [{ title: 'Sketches', amount: 10_000 }] };
  const withMilestone = (m: Record<string, unknown>) => ({ ...good, milestones: [{ title: 'Sketches', amount: 10_000, ...m }] });
  const { title: _title, ...noTitle } = good;
  const staff = await api.admin('POST', '/v1/admin/users', { email: 'staff.member@example.com', password: 'correct horse battery', name: 'Stella Staff', role: 'staff' });
  assert.equal(staff.status, 201, JSON.stringify(staff.body));
  const fiftyOne = Array.from({ length: 51 }, (_, i) => ({ title: `M${i + 1}`, amount: 100 }));

  const cases: Array<[string, unknown, Expected]> = [
    ['negative amount', withMilestone({ amount: -100 }), { status: 400, code: 'parameter_invalid', param: 'milestones[0].amount' }],
    ['zero amount', withMilestone({ amount: 0 }), { status: 400, code: 'parameter_invalid', param: 'milestones[0].amount' }],
    ['fractional amount', withMilestone({ amount: 100.5 }), { status: 400, code: 'parameter_invalid', param: 'milestones[0].amount' }],
    ['string amount', withMilestone({ amount: '100' }), { status: 400, code: 'parameter_invalid', param: 'milestones[0].amount' }],
    ['huge amount', withMilestone({ amount: 10_000_000_001 }), { status: 400, code: 'parameter_invalid', param: 'milestones[0].amount' }],
    ['enormous amount', withMilestone({ amount: 1e20 }), { status: 400, code: 'parameter_invalid', param: 'milestones[0].amount' }],
    ['null amount', withMilestone({ amount: null }), { status: 400, param: 'milestones[0].amount' }],
    ['missing amount', { ...good, milestones: [{ title: 'Sketches' }] }, { status: 400, code: 'parameter_missing', param: 'milestones[0].amount' }],
    ['bad amount on a later milestone', { ...good, milestones: [{ title: 'A', amount: 100 }, { title: 'B', amount: -1 }] }, { status: 400, param: 'milestones[1].amount' }],
    ['unknown currency', { ...good, currency: 'btc' }, { status: 400, code: 'parameter_invalid', param: 'currency' }],
    ['upper-case currency', { ...good, currency: 'USD' }, { status: 400, param: 'currency' }],
    ['missing title', noTitle, { status: 400, code: 'parameter_missing', param: 'title' }],
    ['blank title', { ...good, title: '   ' }, { status: 400, code: 'parameter_invalid', param: 'title' }],
    ['title over 200 characters', { ...good, title: LONG(201) }, { status: 400, code: 'parameter_invalid', param: 'title' }],
    ['milestone title over 200 characters', withMilestone({ title: LONG(201) }), { status: 400, param: 'milestones[0].title' }],
    ['description over 5000 characters', { ...good, description: LONG(5001) }, { status: 400, param: 'description' }],
    ['no milestones', { ...good, milestones: [] }, { status: 400, code: 'parameter_invalid', param: 'milestones' }],
    ['51 milestones', { ...good, milestones: fiftyOne }, { status: 400, code: 'parameter_invalid', param: 'milestones' }],
    ['unknown freelancer email', { ...good, freelancer_email: 'nobody.here@example.com' }, { status: 400, code: 'freelancer_not_found', param: 'freelancer_email' }],
    ['a staff account', { ...good, freelancer_email: 'staff.member@example.com' }, { status: 400, code: 'freelancer_not_found', param: 'freelancer_email' }],
    ['not an email', { ...good, freelancer_email: 'finn' }, { status: 400, param: 'freelancer_email' }],
    ['own email', { ...good, freelancer_email: client.email }, { status: 400, code: 'freelancer_is_client', param: 'freelancer_email' }],
    ['own email in capitals', { ...good, freelancer_email: client.email.toUpperCase() }, { status: 400, code: 'freelancer_is_client', param: 'freelancer_email' }],
    ['unknown field', { ...good, budget: 10_000 }, { status: 400, code: 'parameter_unknown', param: 'budget' }],
    ['unknown milestone field', withMilestone({ escrow: 1 }), { status: 400, code: 'parameter_unknown', param: 'milestones[0].escrow' }],
    ['due date in words', withMilestone({ due_date: 'tomorrow' }), { status: 400, code: 'parameter_invalid', param: 'milestones[0].due_date' }],
    ['impossible due date', withMilestone({ due_date: '2026-02-30' }), { status: 400, param: 'milestones[0].due_date' }],
  ];
  const before = await counts(api);
  for (const [label, body, expected] of cases) {
    const res = await api.post('/v1/contracts', body, client.token);
    expectError(res, { type: 'invalid_request', ...expected }, label);
  }
  assert.deepEqual(await counts(api), before);
  assert.deepEqual((await api.get('/v1/contracts', client.token)).body.data, []);
  assert.deepEqual((await api.get('/v1/contracts', freelancer.token)).body.data, []);

  // The same offer, well formed, goes through: the cases above failed on their one bad field.
  const ok = await expectOk(api.post('/v1/contracts', withMilestone({ due_date: '2027-01-31', amount: 10_000_000_000 }), client.token), 201);
  assert.equal(ok.milestones[0].due_date, '2027-01-31');
  assert.equal(ok.milestones[0].amount, 10_000_000_000);
  const fifty = await expectOk(api.post('/v1/contracts', { ...good, milestones: fiftyOne.slice(0, 50) }, client.token), 201);
  assert.equal(fifty.milestones.length, 50);

  const unsigned = await api.post('/v1/contracts', good, undefined);
  expectError(unsigned, { status: 401, type: 'authentication' });
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// POST /v1/contracts/{id}/milestones

test('a 51st milestone is 409 milestone_limit_reached; the freelancer adding one is 403; neither creates anything', async () => {
  const api = await startSettle();
  const { client, freelancer, contract } = await activeContract(api, Array.from({ length: 50 }, () => 100));
  assert.equal(contract.milestones.length, 50);
  const before = await snapshot(api, contract.id, client, freelancer);

  expectError(await api.post(`/v1/contracts/${contract.id}/milestones`, { title: 'One too many', amount: 100 }, client.token), {
    status: 409,
    type: 'conflict',
    code: 'milestone_limit_reached',
  });
  expectError(await api.post(`/v1/contracts/${contract.id}/milestones`, { title: 'Mine', amount: 100 }, freelancer.token), {
    status: 403,
    type: 'permission',
    code: 'forbidden',
  });
  assert.deepEqual(await snapshot(api, contract.id, client, freelancer), before);
  await assertLedger(api);
});

test('adding a milestone checks its fields like an offer does; the client may add one below the limit', async () => {
  const api = await startSettle();
  const { client, freelancer, contract } = await activeContract(api, [10_000]);
  const before = await snapshot(api, contract.id, client, freelancer);
  const cases: Array<[string, unknown, Expected]> = [
    ['negative amount', { title: 'Extra', amount: -1 }, { status: 400, param: 'amount' }],
    ['string amount', { title: 'Extra', amount: '100' }, { status: 400, param: 'amount' }],
    ['huge amount', { title: 'Extra', amount: 10_000_000_001 }, { status: 400, param: 'amount' }],
    ['missing title', { amount: 100 }, { status: 400, code: 'parameter_missing', param: 'title' }],
    ['bad due date', { title: 'Extra', amount: 100, due_date: 'tomorrow' }, { status: 400, param: 'due_date' }],
    ['unknown field', { title: 'Extra', amount: 100, currency: 'eur' }, { status: 400, code: 'parameter_unknown', param: 'currency' }],
  ];
  for (const [label, body, expected] of cases) {
    expectError(await api.post(`/v1/contracts/${contract.id}/milestones`, body, client.token), { type: 'invalid_request', ...expected }, label);
  }
  assert.deepEqual(await snapshot(api, contract.id, client, freelancer), before);
  const added = await expectOk(api.post(`/v1/contracts/${contract.id}/milestones`, { title: 'Extra', amount: 100 }, client.token), 201);
  assert.equal(added.position, 2);
  assert.equal(added.status, 'pending');
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// Strangers and unknown ids

test('a stranger gets 404, not 403, on every contract and milestone call, and nothing changes', async () => {
  const api = await startSettle();
  const { client, freelancer, contract, milestoneIds } = await activeContract(api, [10_000, 20_000, 30_000]);
  const [funded, submitted, refundRequested] = milestoneIds;
  await api.credit(client.id, 100_000);
  for (const id of milestoneIds) await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${submitted}/submit`, { message: 'Done.' }, freelancer.token));
  await expectOk(api.post(`/v1/milestones/${refundRequested}/approve`, { amount: 1_000 }, client.token));
  const offered = await expectOk(api.post('/v1/contracts', { title: 'Open offer', freelancer_email: freelancer.email, milestones: [{ title: 'A', amount: 500 }] }, client.token), 201);

  const stranger = await api.user('Sam Stranger');
  await api.credit(stranger.id, 1_000_000);
  const before = await snapshot(api, contract.id, client, freelancer);
  const offeredBefore = (await api.get(`/v1/contracts/${offered.id}`, client.token)).body;

  const calls: Array<[string, string, unknown]> = [
    ['GET', `/v1/contracts/${contract.id}`, undefined],
    ['GET', `/v1/contracts/${offered.id}`, undefined],
    ['POST', `/v1/contracts/${offered.id}/accept`, {}],
    ['POST', `/v1/contracts/${offered.id}/decline`, {}],
    ['POST', `/v1/contracts/${offered.id}/end`, {}],
    ['POST', `/v1/contracts/${contract.id}/end`, {}],
    ['POST', `/v1/contracts/${contract.id}/milestones`, { title: 'Mine now', amount: 100 }],
    ['GET', `/v1/milestones/${funded}`, undefined],
    ['POST', `/v1/milestones/${offered.milestones[0].id}/fund`, {}],
    ['POST', `/v1/milestones/${funded}/fund`, { payment_method: 'balance' }],
    ['POST', `/v1/milestones/${funded}/submit`, { message: 'Mine.' }],
    ['POST', `/v1/milestones/${submitted}/request_changes`, { message: 'Redo.' }],
    ['POST', `/v1/milestones/${submitted}/approve`, {}],
    ['POST', `/v1/milestones/${funded}/approve`, { amount: 1 }],
    ['POST', `/v1/milestones/${refundRequested}/refund/approve`, {}],
  ];
  for (const [method, url, body] of calls) {
    const res = await api.request(method, url, { token: stranger.token, ...(body !== undefined ? { body } : {}) });
    expectError(res, { status: 404, type: 'not_found', code: 'resource_missing', param: 'id' }, `${method} ${url}`);
  }
  assert.deepEqual(await snapshot(api, contract.id, client, freelancer), before);
  assert.deepEqual((await api.get(`/v1/contracts/${offered.id}`, client.token)).body, offeredBefore);
  assert.deepEqual((await api.get('/v1/balance', stranger.token)).body.available, [{ amount: 1_000_000, currency: 'usd' }]);
  assert.deepEqual((await api.get('/v1/contracts', stranger.token)).body.data, []);
  await assertLedger(api);
});

test('a malformed or unknown id is 404 on every contract and milestone call', async () => {
  const api = await startSettle();
  const { client, freelancer, contract } = await activeContract(api, [10_000]);
  const before = await snapshot(api, contract.id, client, freelancer);
  for (const id of ['ms_nope', 'x', 'ctr_nope', contract.id]) {
    for (const [method, url, body] of [
      ['GET', `/v1/milestones/${id}`, undefined],
      ['POST', `/v1/milestones/${id}/fund`, {}],
      ['POST', `/v1/milestones/${id}/submit`, { message: 'Done.' }],
      ['POST', `/v1/milestones/${id}/approve`, {}],
      ['POST', `/v1/milestones/${id}/refund/approve`, {}],
    ] as const) {
      const res = await api.request(method, url, { token: client.token, ...(body !== undefined ? { body } : {}) });
      expectError(res, { status: 404, type: 'not_found' }, `${method} ${url}`);
    }
  }
  for (const id of ['ctr_nope', 'x', 'ms_nope', contract.milestones[0].id]) {
    for (const [method, url, body] of [
      ['GET', `/v1/contracts/${id}`, undefined],
      ['POST', `/v1/contracts/${id}/accept`, {}],
      ['POST', `/v1/contracts/${id}/end`, {}],
      ['POST', `/v1/contracts/${id}/milestones`, { title: 'Extra', amount: 100 }],
    ] as const) {
      const res = await api.request(method, url, { token: client.token, ...(body !== undefined ? { body } : {}) });
      expectError(res, { status: 404, type: 'not_found' }, `${method} ${url}`);
    }
  }
  assert.deepEqual(await snapshot(api, contract.id, client, freelancer), before);
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// The wrong party

test('the wrong party gets 403 forbidden and nothing moves', async () => {
  const api = await startSettle();
  const { client, freelancer, contract, milestoneIds } = await activeContract(api, [10_000, 20_000, 30_000, 40_000]);
  const [pending, funded, submitted, refundRequested] = milestoneIds;
  await api.credit(client.id, 200_000);
  await api.credit(freelancer.id, 200_000);
  for (const id of [funded!, submitted!, refundRequested!]) await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${submitted}/submit`, { message: 'Done.' }, freelancer.token));
  await expectOk(api.post(`/v1/milestones/${refundRequested}/approve`, { amount: 1_000 }, client.token));
  const offered = await expectOk(api.post('/v1/contracts', { title: 'Open offer', freelancer_email: freelancer.email, milestones: [{ title: 'A', amount: 500 }] }, client.token), 201);
  const before = await snapshot(api, contract.id, client, freelancer);
  const offeredBefore = (await api.get(`/v1/contracts/${offered.id}`, client.token)).body;

  const calls: Array<[string, Member, string, unknown]> = [
    ['freelancer funds', freelancer, `/v1/milestones/${pending}/fund`, {}],
    ['freelancer funds from balance', freelancer, `/v1/milestones/${pending}/fund`, { payment_method: 'balance' }],
    ['freelancer approves', freelancer, `/v1/milestones/${submitted}/approve`, {}],
    ['freelancer approves part', freelancer, `/v1/milestones/${funded}/approve`, { amount: 100 }],
    ['freelancer requests changes', freelancer, `/v1/milestones/${submitted}/request_changes`, { message: 'Redo.' }],
    ['client submits', client, `/v1/milestones/${funded}/submit`, { message: 'Done by me.' }],
    ['client approves the refund', client, `/v1/milestones/${refundRequested}/refund/approve`, {}],
    ['client accepts the offer', client, `/v1/contracts/${offered.id}/accept`, {}],
    ['client declines the offer', client, `/v1/contracts/${offered.id}/decline`, {}],
  ];
  for (const [label, who, url, body] of calls) {
    expectError(await api.post(url, body, who.token), { status: 403, type: 'permission', code: 'forbidden' }, label);
  }
  assert.deepEqual(await snapshot(api, contract.id, client, freelancer), before);
  assert.deepEqual((await api.get(`/v1/contracts/${offered.id}`, client.token)).body, offeredBefore);
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// The wrong state

test('an action the milestone state does not allow is 409 with the code saying why, and nothing moves', async () => {
  const api = await startSettle();
  const { client, freelancer, contract, milestoneIds } = await activeContract(api, [10_000, 20_000, 30_000]);
  const [pending, funded, paid] = milestoneIds;
  await api.credit(client.id, 100_000);
  await expectOk(api.post(`/v1/milestones/${funded}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${paid}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${paid}/approve`, {}, client.token));
  const before = await snapshot(api, contract.id, client, freelancer);

  const calls: Array<[string, Member, string, unknown, string]> = [
    ['submit on pending', freelancer, `/v1/milestones/${pending}/submit`, { message: 'Done.' }, 'milestone_not_funded'],
    ['approve on pending', client, `/v1/milestones/${pending}/approve`, {}, 'milestone_not_funded'],
    ['request changes on pending', client, `/v1/milestones/${pending}/request_changes`, { message: 'Redo.' }, 'milestone_not_funded'],
    ['request changes on funded', client, `/v1/milestones/${funded}/request_changes`, { message: 'Redo.' }, 'milestone_state_invalid'],
    ['refund approve with no request', freelancer, `/v1/milestones/${funded}/refund/approve`, {}, 'milestone_state_invalid'],
    ['refund approve on pending', freelancer, `/v1/milestones/${pending}/refund/approve`, {}, 'milestone_not_funded'],
    ['fund twice', client, `/v1/milestones/${funded}/fund`, {}, 'milestone_state_invalid'],
    ['submit on paid', freelancer, `/v1/milestones/${paid}/submit`, { message: 'More.' }, 'milestone_settled'],
    ['request changes on paid', client, `/v1/milestones/${paid}/request_changes`, { message: 'Redo.' }, 'milestone_settled'],
    ['refund approve on paid', freelancer, `/v1/milestones/${paid}/refund/approve`, {}, 'milestone_settled'],
  ];
  for (const [label, who, url, body, code] of calls) {
    expectError(await api.post(url, body, who.token), { status: 409, type: 'conflict', code }, label);
  }
  assert.deepEqual(await snapshot(api, contract.id, client, freelancer), before);
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// Messages and payment methods

test('a submission or change request with an empty, blank or too long message is 400 on message', async () => {
  const api = await startSettle();
  const { client, freelancer, contract, milestoneIds } = await activeContract(api, [10_000, 20_000]);
  const [funded, submitted] = milestoneIds;
  await expectOk(api.post(`/v1/milestones/${funded}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${submitted}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${submitted}/submit`, { message: 'Done.' }, freelancer.token));
  const before = await snapshot(api, contract.id, client, freelancer);

  const bodies: Array<[string, unknown, string]> = [
    ['empty', { message: '' }, 'parameter_invalid'],
    ['whitespace only', { message: ' \n\t ' }, 'parameter_invalid'],
    ['5001 characters', { message: LONG(5001) }, 'parameter_invalid'],
    ['not a string', { message: 42 }, 'parameter_invalid'],
    ['missing', {}, 'parameter_missing'],
  ];
  for (const [label, body, code] of bodies) {
    expectError(await api.post(`/v1/milestones/${funded}/submit`, body, freelancer.token), { status: 400, type: 'invalid_request', code, param: 'message' }, `submit ${label}`);
    expectError(await api.post(`/v1/milestones/${submitted}/request_changes`, body, client.token), { status: 400, type: 'invalid_request', code, param: 'message' }, `request_changes ${label}`);
  }
  expectError(await api.post(`/v1/milestones/${funded}/submit`, { message: 'Done.', file_ids: ['file_nothing'] }, freelancer.token), { status: 400, code: 'file_not_found', param: 'file_ids[0]' });
  assert.deepEqual(await snapshot(api, contract.id, client, freelancer), before);

  // 5000 characters is the limit, not over it.
  const ok = await expectOk(api.post(`/v1/milestones/${funded}/submit`, { message: LONG(5000) }, freelancer.token));
  assert.equal(ok.submissions[0].message.length, 5000);
  await assertLedger(api);
});

test('an unknown card is 400 payment_method_unknown and a method that is not one is 400 on payment_method; nothing moves', async () => {
  const api = await startSettle();
  const { client, freelancer, contract, milestoneIds } = await activeContract(api, [10_000, 20_000]);
  const [pending, funded] = milestoneIds;
  await expectOk(api.post(`/v1/milestones/${funded}/fund`, {}, client.token));
  const before = await snapshot(api, contract.id, client, freelancer);

  const cases: Array<[string, string, unknown, Expected]> = [
    ['unknown card', `/v1/milestones/${pending}/fund`, { payment_method: 'pm_card_bogus' }, { status: 400, code: 'payment_method_unknown', param: 'payment_method' }],
    ['not a method', `/v1/milestones/${pending}/fund`, { payment_method: 'visa' }, { status: 400, code: 'parameter_invalid', param: 'payment_method' }],
    ['empty method', `/v1/milestones/${pending}/fund`, { payment_method: '' }, { status: 400, code: 'parameter_invalid', param: 'payment_method' }],
    ['number method', `/v1/milestones/${pending}/fund`, { payment_method: 4242 }, { status: 400, code: 'parameter_invalid', param: 'payment_method' }],
    ['unknown card for a bonus', `/v1/milestones/${funded}/approve`, { bonus: 1_000, payment_method: 'pm_card_bogus' }, { status: 400, code: 'payment_method_unknown', param: 'payment_method' }],
    ['not a method for a bonus', `/v1/milestones/${funded}/approve`, { bonus: 1_000, payment_method: 'visa' }, { status: 400, code: 'parameter_invalid', param: 'payment_method' }],
    ['zero bonus', `/v1/milestones/${funded}/approve`, { bonus: 0 }, { status: 400, code: 'parameter_invalid', param: 'bonus' }],
    ['unknown approve field', `/v1/milestones/${funded}/approve`, { tip: 5 }, { status: 400, code: 'parameter_unknown', param: 'tip' }],
  ];
  for (const [label, url, body, expected] of cases) {
    expectError(await api.post(url, body, client.token), { type: 'invalid_request', ...expected }, label);
  }
  assert.deepEqual(await snapshot(api, contract.id, client, freelancer), before);
  await assertLedger(api);
});
