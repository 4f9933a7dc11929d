// Who may do what to a dispute (PRODUCT.md "People", API.md "Disputes",
// "Files"). Every dispute call is tried by every kind of caller: the client,
// the freelancer, a stranger (another member), staff, the assigned arbitrator
// and another arbitrator. Anyone who may not see the dispute gets 404, exactly
// as for an id that does not exist (never 403); staff see a dispute once it
// reached review; an arbitrator only its assigned cases. Among those who may
// see it, the wrong role gets 403 and the right role in the wrong state 409.
// A refused call changes nothing: not the state, not the record, not the money.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_TOKEN, type Response } from './support/harness.ts';
import { DECLINE } from './support/disputes.ts';
import { AWARD, disputeIn, EXPLANATION, STATES, WHO, world, type State, type Who, type World } from './support/dispute-world.ts';
import { assertLedger, expectOk } from './support/scenario.ts';

// ---------------------------------------------------------------- the calls

type CallName = 'get' | 'approve' | 'decline' | 'withdraw' | 'message' | 'proposal' | 'proposal_accept' | 'proposal_reject' | 'arbitration' | 'award' | 'events' | 'case_file';
interface Call {
  method: 'GET' | 'POST';
  path: (id: string) => string;
  body?: Record<string, unknown>;
  /** The success status. */
  ok: number;
  /** Whether success changes the dispute (then each success gets a dispute of its own). */
  mutates: boolean;
}

const CALLS: Record<CallName, Call> = {
  get: { method: 'GET', path: (id) => `/v1/disputes/${id}`, ok: 200, mutates: false },
  approve: { method: 'POST', path: (id) => `/v1/disputes/${id}/approve`, ok: 200, mutates: true },
  decline: { method: 'POST', path: (id) => `/v1/disputes/${id}/decline`, body: { reason_code: 'quality_issues', description: DECLINE }, ok: 200, mutates: true },
  withdraw: { method: 'POST', path: (id) => `/v1/disputes/${id}/withdraw`, ok: 200, mutates: true },
  message: { method: 'POST', path: (id) => `/v1/disputes/${id}/messages`, body: { body: 'Adding the signed brief to the record.' }, ok: 201, mutates: true },
  proposal: { method: 'POST', path: (id) => `/v1/disputes/${id}/proposal`, body: { freelancer_amount: 50_000, explanation: EXPLANATION }, ok: 201, mutates: true },
  proposal_accept: { method: 'POST', path: (id) => `/v1/disputes/${id}/proposal/accept`, ok: 200, mutates: true },
  proposal_reject: { method: 'POST', path: (id) => `/v1/disputes/${id}/proposal/reject`, ok: 200, mutates: true },
  arbitration: { method: 'POST', path: (id) => `/v1/disputes/${id}/arbitration`, body: {}, ok: 200, mutates: true },
  award: { method: 'POST', path: (id) => `/v1/disputes/${id}/award`, body: { freelancer_amount: 80_000, decision: AWARD }, ok: 200, mutates: true },
  events: { method: 'GET', path: (id) => `/v1/disputes/${id}/events`, ok: 200, mutates: false },
  case_file: { method: 'GET', path: (id) => `/v1/disputes/${id}/case_file`, ok: 200, mutates: false },
};

function send(w: World, call: Call, id: string, token: string | undefined): Promise<Response> {
  return call.method === 'GET' ? w.api.request('GET', call.path(id), { token }) : w.api.request('POST', call.path(id), { token, body: call.body ?? {} });
}

/** Everything a refused call must leave alone. */
async function snapshot(w: World, id: string) {
  const db = w.api.settle.deps.db;
  const one = async (sql: string) => (await db.query<Record<string, unknown>>(sql, [id])).rows[0];
  return {
    dispute: await one('select status, event_count, last_hash, arbitrator_id, outcome_kind from disputes where id = $1'),
    events: await one('select count(*)::int8 as n from events where dispute_id = $1'),
    messages: await one('select count(*)::int8 as n from dispute_messages where dispute_id = $1'),
    statements: await one('select count(*)::int8 as n from dispute_statements where dispute_id = $1'),
    decisions: await one('select count(*)::int8 as n from proposal_decisions where dispute_id = $1'),
    opt_ins: await one('select count(*)::int8 as n from arbitration_opt_ins where dispute_id = $1'),
    transfers: (await db.query('select count(*)::int8 as n from transfers')).rows[0],
  };
}

const ERROR_TYPE: Record<number, string> = { 400: 'invalid_request', 401: 'authentication', 403: 'permission', 404: 'not_found', 409: 'conflict' };

/**
 * Runs one call by each caller against a dispute in `state` and checks the
 * status. Refusals share one dispute and must leave it untouched; a 404 must be
 * indistinguishable from the answer for an id that does not exist.
 */
async function expectAccess(w: World, name: CallName, state: State, expected: Record<Who, number>) {
  const call = CALLS[name];
  const shared = await disputeIn(w, state);
  const missing = await send(w, call, 'dsp_0000000000000000doesnotexist', w.people.client.token);
  assert.equal(missing.status, 404);
  for (const who of WHO) {
    const want = expected[who];
    const label = `${name} by ${who} in ${state}`;
    const succeeds = want >= 200 && want < 300;
    const id = succeeds && call.mutates ? await disputeIn(w, state) : shared;
    const before = await snapshot(w, id);
    const res = await send(w, call, id, w.people[who].token);
    assert.equal(res.status, want, `${label}: ${JSON.stringify(res.body).slice(0, 300)}`);
    if (succeeds) {
      if (name === 'case_file') {
        assert.match(String(res.headers['content-type']), /^application\/pdf/, label);
        assert.equal(res.raw!.subarray(0, 5).toString('latin1'), '%PDF-', label);
      } else if (name === 'events') {
        assert.ok(res.body.data.length > 0, label);
      } else {
        assert.equal(res.body.id, id, label);
      }
      if (call.mutates) {
        const after = await snapshot(w, id);
        assert.ok(Number(after.dispute!.event_count) > Number(before.dispute!.event_count), `${label} appends to the record`);
      }
      continue;
    }
    assert.equal(res.body.error.type, ERROR_TYPE[want], label);
    if (want === 404) assert.deepEqual(res.body, missing.body, `${label}: a dispute the caller may not see looks like one that does not exist`);
    assert.deepEqual(await snapshot(w, id), before, `${label} changes nothing`);
  }
}

// Shorthands for the tables: 200/201 allowed, 403 wrong role, 404 may not see, 409 wrong state.
const OK = 200;
const CREATED = 201;
const NO = 403;
const HIDDEN = 404;
const STATE = 409;

/** Who sees a dispute in each state (GET, events, case file). */
const SEES: Record<State, Record<Who, number>> = {
  awaiting_response: { client: OK, freelancer: OK, stranger: HIDDEN, staff: HIDDEN, arbitrator: HIDDEN, other_arbitrator: HIDDEN },
  in_review: { client: OK, freelancer: OK, stranger: HIDDEN, staff: OK, arbitrator: HIDDEN, other_arbitrator: HIDDEN },
  proposal_issued: { client: OK, freelancer: OK, stranger: HIDDEN, staff: OK, arbitrator: HIDDEN, other_arbitrator: HIDDEN },
  not_resolved: { client: OK, freelancer: OK, stranger: HIDDEN, staff: OK, arbitrator: HIDDEN, other_arbitrator: HIDDEN },
  in_arbitration: { client: OK, freelancer: OK, stranger: HIDDEN, staff: OK, arbitrator: OK, other_arbitrator: HIDDEN },
  resolved: { client: OK, freelancer: OK, stranger: HIDDEN, staff: OK, arbitrator: OK, other_arbitrator: HIDDEN },
  // Withdrawn before the client answered: it never reached review.
  withdrawn: { client: OK, freelancer: OK, stranger: HIDDEN, staff: HIDDEN, arbitrator: HIDDEN, other_arbitrator: HIDDEN },
};

type Row = [CallName, State, Record<Who, number>];
const TABLE: Record<string, Row[]> = {
  'reading a dispute, its events and its case file': (['get', 'events', 'case_file'] as const).flatMap((call) => STATES.map((state): Row => [call, state, SEES[state]])),
  'approving is the client’s, while the dispute awaits a response': [
    ['approve', 'awaiting_response', { client: OK, freelancer: NO, stranger: HIDDEN, staff: HIDDEN, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['approve', 'in_review', { client: STATE, freelancer: NO, stranger: HIDDEN, staff: NO, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['approve', 'in_arbitration', { client: STATE, freelancer: NO, stranger: HIDDEN, staff: NO, arbitrator: NO, other_arbitrator: HIDDEN }],
  ],
  'declining is the client’s, while the dispute awaits a response': [
    ['decline', 'awaiting_response', { client: OK, freelancer: NO, stranger: HIDDEN, staff: HIDDEN, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['decline', 'in_review', { client: STATE, freelancer: NO, stranger: HIDDEN, staff: NO, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['decline', 'resolved', { client: STATE, freelancer: NO, stranger: HIDDEN, staff: NO, arbitrator: NO, other_arbitrator: HIDDEN }],
  ],
  'withdrawing is the freelancer’s, before a proposal is issued': [
    ['withdraw', 'awaiting_response', { client: NO, freelancer: OK, stranger: HIDDEN, staff: HIDDEN, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['withdraw', 'in_review', { client: NO, freelancer: OK, stranger: HIDDEN, staff: NO, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['withdraw', 'proposal_issued', { client: NO, freelancer: STATE, stranger: HIDDEN, staff: NO, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['withdraw', 'in_arbitration', { client: NO, freelancer: STATE, stranger: HIDDEN, staff: NO, arbitrator: NO, other_arbitrator: HIDDEN }],
  ],
  'messages come from the parties and, once in review, staff; never from the arbitrator; only while open': [
    ['message', 'awaiting_response', { client: CREATED, freelancer: CREATED, stranger: HIDDEN, staff: HIDDEN, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['message', 'in_review', { client: CREATED, freelancer: CREATED, stranger: HIDDEN, staff: CREATED, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['message', 'not_resolved', { client: CREATED, freelancer: CREATED, stranger: HIDDEN, staff: CREATED, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['message', 'in_arbitration', { client: CREATED, freelancer: CREATED, stranger: HIDDEN, staff: CREATED, arbitrator: NO, other_arbitrator: HIDDEN }],
    ['message', 'resolved', { client: STATE, freelancer: STATE, stranger: HIDDEN, staff: STATE, arbitrator: NO, other_arbitrator: HIDDEN }],
    ['message', 'withdrawn', { client: STATE, freelancer: STATE, stranger: HIDDEN, staff: HIDDEN, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
  ],
  'a proposal is issued by staff, in review': [
    ['proposal', 'awaiting_response', { client: NO, freelancer: NO, stranger: HIDDEN, staff: HIDDEN, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['proposal', 'in_review', { client: NO, freelancer: NO, stranger: HIDDEN, staff: CREATED, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['proposal', 'proposal_issued', { client: NO, freelancer: NO, stranger: HIDDEN, staff: STATE, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['proposal', 'in_arbitration', { client: NO, freelancer: NO, stranger: HIDDEN, staff: STATE, arbitrator: NO, other_arbitrator: HIDDEN }],
  ],
  'a proposal is accepted by the parties, while it is open': [
    ['proposal_accept', 'proposal_issued', { client: OK, freelancer: OK, stranger: HIDDEN, staff: NO, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['proposal_accept', 'in_review', { client: STATE, freelancer: STATE, stranger: HIDDEN, staff: NO, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['proposal_accept', 'not_resolved', { client: STATE, freelancer: STATE, stranger: HIDDEN, staff: NO, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['proposal_accept', 'in_arbitration', { client: STATE, freelancer: STATE, stranger: HIDDEN, staff: NO, arbitrator: NO, other_arbitrator: HIDDEN }],
  ],
  'a proposal is rejected by the parties, while it is open': [
    ['proposal_reject', 'proposal_issued', { client: OK, freelancer: OK, stranger: HIDDEN, staff: NO, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['proposal_reject', 'awaiting_response', { client: STATE, freelancer: STATE, stranger: HIDDEN, staff: HIDDEN, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['proposal_reject', 'resolved', { client: STATE, freelancer: STATE, stranger: HIDDEN, staff: NO, arbitrator: NO, other_arbitrator: HIDDEN }],
  ],
  'arbitration is opted into by the parties after a Notice of Non-Resolution': [
    ['arbitration', 'not_resolved', { client: OK, freelancer: OK, stranger: HIDDEN, staff: NO, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['arbitration', 'proposal_issued', { client: STATE, freelancer: STATE, stranger: HIDDEN, staff: NO, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['arbitration', 'in_arbitration', { client: STATE, freelancer: STATE, stranger: HIDDEN, staff: NO, arbitrator: NO, other_arbitrator: HIDDEN }],
  ],
  'the award is the assigned arbitrator’s, in arbitration': [
    ['award', 'in_arbitration', { client: NO, freelancer: NO, stranger: HIDDEN, staff: NO, arbitrator: OK, other_arbitrator: HIDDEN }],
    ['award', 'not_resolved', { client: NO, freelancer: NO, stranger: HIDDEN, staff: NO, arbitrator: HIDDEN, other_arbitrator: HIDDEN }],
    ['award', 'resolved', { client: NO, freelancer: NO, stranger: HIDDEN, staff: NO, arbitrator: STATE, other_arbitrator: HIDDEN }],
  ],
};

for (const [behaviour, rows] of Object.entries(TABLE)) {
  test(`${behaviour}: every caller gets the right answer and refusals change nothing`, async () => {
    const w = await world();
    for (const [call, state, expected] of rows) await expectAccess(w, call, state, expected);
    await assertLedger(w.api);
  });
}

// ---------------------------------------------------------------- the second answer of one party

test('a party answers a proposal and pays the arbitration fee once: the second try is 409', async () => {
  const w = await world();
  const { api, people } = w;
  const proposal = await disputeIn(w, 'proposal_issued');
  await expectOk(api.post(`/v1/disputes/${proposal}/proposal/accept`, {}, people.freelancer.token));
  for (const verb of ['accept', 'reject']) {
    const again = await api.post(`/v1/disputes/${proposal}/proposal/${verb}`, {}, people.freelancer.token);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'proposal_already_decided');
  }
  const optIn = await disputeIn(w, 'not_resolved');
  await expectOk(api.post(`/v1/disputes/${optIn}/arbitration`, {}, people.client.token));
  const transfers = (await api.settle.deps.db.query('select count(*)::int8 as n from transfers')).rows[0];
  const again = await api.post(`/v1/disputes/${optIn}/arbitration`, {}, people.client.token);
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'arbitration_fee_already_paid');
  assert.deepEqual((await api.settle.deps.db.query('select count(*)::int8 as n from transfers')).rows[0], transfers, 'no second fee');
  await assertLedger(api);
});

// ---------------------------------------------------------------- lists

test('the dispute list shows each caller only what it may see', async () => {
  const w = await world();
  const { api, people } = w;
  const d: Record<string, string> = {};
  for (const state of ['awaiting_response', 'withdrawn', 'in_review', 'proposal_issued', 'not_resolved', 'in_arbitration', 'resolved'] as const) d[state] = await disputeIn(w, state);
  d.other_case = await disputeIn(w, 'in_arbitration', { arbitrator: 'other_arbitrator' });
  const ids = async (who: Who, query = '') => {
    const list = await expectOk(api.get(`/v1/disputes?limit=100${query}`, people[who].token));
    return (list.data as Array<{ id: string }>).map((x) => x.id).sort();
  };
  const sorted = (...keys: string[]) => keys.map((k) => d[k]!).sort();
  const everything = Object.keys(d);
  assert.deepEqual(await ids('client'), sorted(...everything));
  assert.deepEqual(await ids('freelancer'), sorted(...everything));
  assert.deepEqual(await ids('stranger'), []);
  assert.deepEqual(await ids('staff'), sorted('in_review', 'proposal_issued', 'not_resolved', 'in_arbitration', 'resolved', 'other_case'), 'staff: what reached review');
  assert.deepEqual(await ids('arbitrator'), sorted('in_arbitration', 'resolved'), 'an arbitrator: its own cases');
  assert.deepEqual(await ids('other_arbitrator'), sorted('other_case'));
  // A status filter narrows what the caller may see; it never widens it.
  assert.deepEqual(await ids('staff', '&status=awaiting_response'), []);
  assert.deepEqual(await ids('stranger', '&status=in_arbitration'), []);
  assert.deepEqual(await ids('arbitrator', '&status=in_arbitration'), sorted('in_arbitration'));
  // Paging from a dispute the caller may not see is the same error as from one that does not exist.
  const hidden = await api.get(`/v1/disputes?starting_after=${d.in_review}`, people.stranger.token);
  const unknown = await api.get('/v1/disputes?starting_after=dsp_0000000000000000doesnotexist', people.stranger.token);
  assert.equal(hidden.status, 400);
  assert.deepEqual(hidden.body, unknown.body);
});

// ---------------------------------------------------------------- no session

test('every dispute call without a session is 401', async () => {
  const w = await world();
  const id = await disputeIn(w, 'in_review');
  const before = await snapshot(w, id);
  for (const [name, call] of Object.entries(CALLS)) {
    const res = await send(w, call, id, undefined);
    assert.equal(res.status, 401, name);
    assert.equal(res.body.error.type, 'authentication', name);
  }
  const list = await w.api.get('/v1/disputes');
  assert.equal(list.status, 401);
  assert.deepEqual(await snapshot(w, id), before);
});

// ---------------------------------------------------------------- the operator assigns arbitrators

test('only the operator assigns an arbitrator: members get 403, no token 401; the new arbitrator sees the case and the old one no longer does', async () => {
  const w = await world();
  const { api, people } = w;
  const id = await disputeIn(w, 'in_arbitration');
  const assign = (token: string | undefined, arbitrator_id = people.other_arbitrator.id) => api.request('POST', `/v1/admin/disputes/${id}/arbitrator`, { token, body: { arbitrator_id } });
  const before = await snapshot(w, id);
  for (const who of WHO) {
    const res = await assign(people[who].token);
    assert.equal(res.status, 403, who);
    assert.equal(res.body.error.type, 'permission', who);
  }
  assert.equal((await assign(undefined)).status, 401);
  assert.equal((await assign('not-the-operator-token')).status, 401);
  assert.equal((await assign(ADMIN_TOKEN, people.staff.id)).body.error?.code, 'not_an_arbitrator', 'only an arbitrator account can be assigned');
  assert.deepEqual(await snapshot(w, id), before, 'refused assignments change nothing');

  const reassigned = await expectOk(assign(ADMIN_TOKEN));
  assert.equal(reassigned.arbitration.arbitrator.id, people.other_arbitrator.id);
  assert.equal((await api.get(`/v1/disputes/${id}`, people.arbitrator.token)).status, 404, 'the previous arbitrator no longer sees the case');
  const stale = await api.post(`/v1/disputes/${id}/award`, { freelancer_amount: 1, decision: AWARD }, people.arbitrator.token);
  assert.equal(stale.status, 404, 'nor can it award');
  assert.equal((await api.get(`/v1/disputes/${id}/case_file`, people.other_arbitrator.token)).status, 200);
  const events = (await expectOk(api.get(`/v1/disputes/${id}/events`, people.other_arbitrator.token))).data as Array<{ type: string; data: Record<string, unknown> }>;
  assert.deepEqual(events.at(-1)!.type, 'dispute.arbitrator_assigned');
  assert.deepEqual(events.at(-1)!.data, { arbitrator: people.other_arbitrator.id, previous: people.arbitrator.id });

  // Outside arbitration, and for a dispute that does not exist.
  const review = await disputeIn(w, 'not_resolved');
  const notYet = await api.admin('POST', `/v1/admin/disputes/${review}/arbitrator`, { arbitrator_id: people.arbitrator.id });
  assert.equal(notYet.status, 409);
  assert.equal(notYet.body.error.code, 'dispute_not_in_arbitration');
  assert.equal((await api.admin('POST', '/v1/admin/disputes/dsp_0000000000000000doesnotexist/arbitrator', { arbitrator_id: people.arbitrator.id })).status, 404);
});

// ---------------------------------------------------------------- files cited in a dispute

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

async function upload(w: World, who: Who, text: string): Promise<string> {
  const res = await w.api.upload(w.people[who].token, `${who}-evidence.txt`, Buffer.from(text));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

async function fileAccess(w: World, fileId: string): Promise<Record<Who, number>> {
  const out = {} as Record<Who, number>;
  for (const who of WHO) {
    const meta = await w.api.get(`/v1/files/${fileId}`, w.people[who].token);
    const content = await w.api.get(`/v1/files/${fileId}/content`, w.people[who].token);
    assert.equal(content.status, meta.status, `${who}: metadata and content answer alike`);
    if (meta.status === 404) assert.equal(meta.body.error.type, 'not_found');
    out[who] = meta.status;
  }
  return out;
}

test('a file cited in a dispute is readable by both parties, staff after review and the assigned arbitrator; never by a stranger or another arbitrator', async () => {
  const w = await world();
  const { api, people } = w;
  const filed = await upload(w, 'freelancer', 'The signed brief, page 1.');
  const pdf = await api.upload(people.freelancer.token, 'contract.pdf', PDF);
  assert.equal(pdf.status, 201, JSON.stringify(pdf.body));
  const id = await disputeIn(w, 'awaiting_response', { file_ids: [filed, pdf.body.id] });

  const parties = { client: OK, freelancer: OK, stranger: HIDDEN, arbitrator: HIDDEN, other_arbitrator: HIDDEN };
  assert.deepEqual(await fileAccess(w, filed), { ...parties, staff: HIDDEN }, 'before review staff may not read it');

  const answer = await upload(w, 'client', 'Screenshots of the missing mobile layouts.');
  await expectOk(api.post(`/v1/disputes/${id}/decline`, { reason_code: 'requirements_not_met', description: DECLINE, file_ids: [answer] }, people.client.token));
  assert.deepEqual(await fileAccess(w, filed), { ...parties, staff: OK }, 'after review staff may');
  assert.deepEqual(await fileAccess(w, answer), { ...parties, staff: OK });

  const note = await upload(w, 'staff', 'Staff notes on the brief.');
  await expectOk(api.post(`/v1/disputes/${id}/messages`, { body: 'Adding my notes to the record.', file_ids: [note] }, people.staff.token), 201);
  assert.deepEqual(await fileAccess(w, note), { ...parties, staff: OK }, 'a file staff cite is readable by the parties');

  await expectOk(api.post(`/v1/disputes/${id}/proposal`, { freelancer_amount: 60_000, explanation: EXPLANATION }, people.staff.token), 201);
  await expectOk(api.post(`/v1/disputes/${id}/proposal/reject`, {}, people.freelancer.token));
  await expectOk(api.post(`/v1/disputes/${id}/arbitration`, {}, people.freelancer.token));
  await expectOk(api.post(`/v1/disputes/${id}/arbitration`, {}, people.client.token));
  await expectOk(api.admin('POST', `/v1/admin/disputes/${id}/arbitrator`, { arbitrator_id: people.arbitrator.id }));
  for (const file of [filed, answer, note, pdf.body.id]) assert.deepEqual(await fileAccess(w, file), { ...parties, staff: OK, arbitrator: OK }, 'the assigned arbitrator reads the evidence');

  // The bytes the arbitrator gets are the bytes that were uploaded.
  const content = await api.get(`/v1/files/${pdf.body.id}/content`, people.arbitrator.token);
  assert.deepEqual(content.raw, PDF);
  assert.match(String(content.headers['content-type']), /^application\/pdf/);

  // Reassigned: the evidence follows the case.
  await expectOk(api.admin('POST', `/v1/admin/disputes/${id}/arbitrator`, { arbitrator_id: people.other_arbitrator.id }));
  assert.deepEqual(await fileAccess(w, filed), { ...parties, staff: OK, arbitrator: HIDDEN, other_arbitrator: OK });
});

test('a file nobody cited is readable only by its uploader, whoever else asks', async () => {
  const w = await world();
  await disputeIn(w, 'in_arbitration');
  for (const owner of ['freelancer', 'client', 'staff'] as const) {
    const id = await upload(w, owner, `Draft notes by the ${owner}, never cited.`);
    const expected = Object.fromEntries(WHO.map((who) => [who, who === owner ? OK : HIDDEN]));
    assert.deepEqual(await fileAccess(w, id), expected, owner);
  }
  const missing = await w.api.get('/v1/files/file_0000000000doesnotexist', w.people.client.token);
  const hidden = await w.api.get(`/v1/files/${await upload(w, 'freelancer', 'Private.')}`, w.people.client.token);
  assert.deepEqual(hidden.body, missing.body, 'a file the caller may not read looks like one that does not exist');
});
