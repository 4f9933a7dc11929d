// Bad input to the dispute calls (API.md "Conventions", "Disputes"): a 4xx
// error object that names the field at fault (`param`), and nothing changes:
// not the dispute's or the milestone's state, not the money (no transfer, no
// balance), not the record (no event, no statement, no citation).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Response } from './support/harness.ts';
import { DECLINE, DESCRIPTION } from './support/disputes.ts';
import { AWARD, disputeIn, everything, EXPLANATION, submittedMilestone, world, type World } from './support/dispute-world.ts';
import { assertLedger, expectOk } from './support/scenario.ts';

interface Refusal {
  status: number;
  code?: string;
  param?: string | undefined;
}

/** Sends the request and checks the error object, and that the whole database is as it was. */
async function refused(w: World, label: string, send: () => Promise<Response>, want: Refusal) {
  const before = await everything(w.api);
  const res = await send();
  assert.equal(res.status, want.status, `${label}: ${JSON.stringify(res.body)}`);
  const error = res.body?.error;
  assert.ok(error && typeof error.message === 'string' && error.message.length > 0, `${label}: an error object with a message`);
  if (want.code) assert.equal(error.code, want.code, label);
  if ('param' in want) assert.equal(error.param, want.param, `${label}: param`);
  assert.deepEqual(await everything(w.api), before, `${label}: nothing changed`);
  return error as { type: string; code: string; message: string; param?: string };
}

const file = (w: World, milestone_id: string, fields: Record<string, unknown>) =>
  w.api.post('/v1/disputes', { milestone_id, reason_code: 'work_delivered_not_paid', description: DESCRIPTION, ...fields }, w.people.freelancer.token);

async function uploadAs(w: World, who: 'client' | 'freelancer' | 'staff', text: string): Promise<string> {
  const res = await w.api.upload(w.people[who].token, 'evidence.txt', Buffer.from(text));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

// ---------------------------------------------------------------- filing

test('a filing with a bad description, reason, amount or files is a 400 naming the field, and no dispute is filed', async () => {
  const w = await world();
  const milestone = await submittedMilestone(w);
  const theirs = await uploadAs(w, 'client', 'The client’s own notes.');
  const mine = await uploadAs(w, 'freelancer', 'My delivery notes.');
  const cases: Array<[label: string, fields: Record<string, unknown>, want: Refusal]> = [
    ['description of 19 characters', { description: 'x'.repeat(19) }, { status: 400, code: 'parameter_invalid', param: 'description' }],
    ['description of 5001 characters', { description: 'x'.repeat(5001) }, { status: 400, code: 'parameter_invalid', param: 'description' }],
    ['description of 19 characters padded with spaces', { description: `   ${'x'.repeat(19)}   ` }, { status: 400, param: 'description' }],
    ['description missing', { description: undefined }, { status: 400, code: 'parameter_missing', param: 'description' }],
    ['description not a string', { description: 12345678901234567890 }, { status: 400, param: 'description' }],
    ['unknown reason_code', { reason_code: 'client_was_rude' }, { status: 400, code: 'parameter_invalid', param: 'reason_code' }],
    ['a decline reason used for a filing', { reason_code: 'quality_issues' }, { status: 400, param: 'reason_code' }],
    ['amount above the escrow', { amount: 100_001 }, { status: 400, code: 'amount_exceeds_escrow', param: 'amount' }],
    ['amount 0', { amount: 0 }, { status: 400, code: 'parameter_invalid', param: 'amount' }],
    ['amount -1', { amount: -1 }, { status: 400, code: 'parameter_invalid', param: 'amount' }],
    ['amount 1.5', { amount: 1.5 }, { status: 400, code: 'parameter_invalid', param: 'amount' }],
    ['amount as a string', { amount: '500' }, { status: 400, param: 'amount' }],
    ['someone else’s file', { file_ids: [theirs] }, { status: 400, code: 'file_not_found', param: 'file_ids[0]' }],
    ['someone else’s file second', { file_ids: [mine, theirs] }, { status: 400, code: 'file_not_found', param: 'file_ids[1]' }],
    ['a file that does not exist', { file_ids: ['file_doesnotexist'] }, { status: 400, code: 'file_not_found', param: 'file_ids[0]' }],
    ['the same file twice', { file_ids: [mine, mine] }, { status: 400, code: 'file_cited_twice', param: 'file_ids' }],
    ['21 files', { file_ids: Array.from({ length: 21 }, (_, i) => `file_${i}`) }, { status: 400, param: 'file_ids' }],
    ['an unknown field', { priority: 'urgent' }, { status: 400, code: 'parameter_unknown', param: 'priority' }],
    ['a field of the response', { status: 'resolved' }, { status: 400, code: 'parameter_unknown', param: 'status' }],
  ];
  for (const [label, fields, want] of cases) await refused(w, label, () => file(w, milestone, fields), want);

  // Not a JSON object, a milestone that does not exist.
  await refused(w, 'a JSON array', () => w.api.request('POST', '/v1/disputes', { token: w.people.freelancer.token, rawBody: '[]' }), { status: 400 });
  await refused(w, 'broken JSON', () => w.api.request('POST', '/v1/disputes', { token: w.people.freelancer.token, rawBody: '{"milestone_id":' }), { status: 400, code: 'invalid_json' });
  await refused(w, 'an unknown milestone', () => file(w, 'ms_doesnotexist', {}), { status: 404, param: 'id' });

  // The limits are inclusive: 20 and 5000 characters, and the whole escrow, are accepted.
  const atMin = await expectOk(file(w, milestone, { description: 'x'.repeat(20), amount: 100_000, file_ids: [mine] }), 201);
  assert.equal(atMin.amount_requested, 100_000);
  assert.deepEqual(atMin.file_ids, [mine]);
  const other = await submittedMilestone(w);
  await expectOk(file(w, other, { description: 'x'.repeat(5000), amount: 1 }), 201);
  await assertLedger(w.api);
});

test('descriptions are counted in characters, not UTF-16 units: 20 emoji are enough, 10 are not, and never a 500', async () => {
  const w = await world();
  const milestone = await submittedMilestone(w);
  // Each of these is one character and two UTF-16 code units.
  await refused(w, '10 emoji', () => file(w, milestone, { description: '😀'.repeat(10) }), { status: 400, param: 'description' });
  await refused(w, '19 emoji', () => file(w, milestone, { description: '😀'.repeat(19) }), { status: 400, param: 'description' });
  await expectOk(file(w, milestone, { description: '😀'.repeat(20) }), 201);
  const other = await submittedMilestone(w);
  await expectOk(file(w, other, { description: '😀'.repeat(5000) }), 201);
  const third = await submittedMilestone(w);
  await refused(w, '5001 emoji', () => file(w, third, { description: '😀'.repeat(5001) }), { status: 400, param: 'description' });
});

test('a dispute is filed only by the freelancer, only on delivered work or a refund request, one at a time', async () => {
  const w = await world();
  const { api, people } = w;
  const freelancerEmail = (await expectOk(api.get('/v1/me', people.freelancer.token))).email;
  const contract = await expectOk(
    api.post(
      '/v1/contracts',
      { title: 'Three milestones', freelancer_email: freelancerEmail, milestones: [{ title: 'Pending', amount: 10_000 }, { title: 'Funded', amount: 20_000 }, { title: 'Paid', amount: 30_000 }] },
      people.client.token,
    ),
    201,
  );
  await expectOk(api.post(`/v1/contracts/${contract.id}/accept`, {}, people.freelancer.token));
  const [pending, funded, paid] = contract.milestones.map((m: { id: string }) => m.id) as [string, string, string];
  await expectOk(api.post(`/v1/milestones/${funded}/fund`, { payment_method: 'pm_card_visa' }, people.client.token));
  await expectOk(api.post(`/v1/milestones/${paid}/fund`, { payment_method: 'pm_card_visa' }, people.client.token));
  await expectOk(api.post(`/v1/milestones/${paid}/approve`, {}, people.client.token));
  for (const [label, id] of [['pending', pending], ['funded', funded], ['paid', paid]] as const) {
    await refused(w, `filing on a ${label} milestone`, () => file(w, id, {}), { status: 409, code: 'milestone_not_disputable' });
  }

  const milestone = await submittedMilestone(w);
  const asClient = await refused(w, 'filing by the client', () => api.post('/v1/disputes', { milestone_id: milestone, reason_code: 'other', description: DESCRIPTION }, people.client.token), { status: 403 });
  assert.equal(asClient.type, 'permission');
  await refused(w, 'filing by a stranger', () => api.post('/v1/disputes', { milestone_id: milestone, reason_code: 'other', description: DESCRIPTION }, people.stranger.token), { status: 404 });
  await refused(w, 'filing by staff', () => api.post('/v1/disputes', { milestone_id: milestone, reason_code: 'other', description: DESCRIPTION }, people.staff.token), { status: 404 });

  await expectOk(file(w, milestone, {}), 201);
  await refused(w, 'a second dispute on the same milestone', () => file(w, milestone, {}), { status: 409, code: 'dispute_already_open' });
  await refused(w, 'a second dispute asking for less', () => file(w, milestone, { amount: 5_000, reason_code: 'partial_payment' }), { status: 409, code: 'dispute_already_open' });
  await assertLedger(api);
});

// ---------------------------------------------------------------- the client's response

test('a decline with a bad reason, description or files is a 400 naming the field, and the dispute still awaits a response', async () => {
  const w = await world();
  const { api, people } = w;
  const id = await disputeIn(w, 'awaiting_response');
  const mine = await uploadAs(w, 'client', 'Screenshots of the missing layouts.');
  const theirs = await uploadAs(w, 'freelancer', 'The freelancer’s file.');
  const decline = (fields: Record<string, unknown>) => api.post(`/v1/disputes/${id}/decline`, { reason_code: 'requirements_not_met', description: DECLINE, ...fields }, people.client.token);
  const cases: Array<[string, Record<string, unknown>, Refusal]> = [
    ['unknown reason_code', { reason_code: 'freelancer_was_late' }, { status: 400, code: 'parameter_invalid', param: 'reason_code' }],
    ['a filing reason used for a decline', { reason_code: 'work_delivered_not_paid' }, { status: 400, param: 'reason_code' }],
    ['reason_code missing', { reason_code: undefined }, { status: 400, code: 'parameter_missing', param: 'reason_code' }],
    ['description of 19 characters', { description: 'y'.repeat(19) }, { status: 400, param: 'description' }],
    ['description of 5001 characters', { description: 'y'.repeat(5001) }, { status: 400, param: 'description' }],
    ['someone else’s file', { file_ids: [theirs] }, { status: 400, code: 'file_not_found', param: 'file_ids[0]' }],
    ['the same file twice', { file_ids: [mine, mine] }, { status: 400, code: 'file_cited_twice', param: 'file_ids' }],
    ['an unknown field', { amount: 50_000 }, { status: 400, code: 'parameter_unknown', param: 'amount' }],
  ];
  for (const [label, fields, want] of cases) await refused(w, label, () => decline(fields), want);
  await refused(w, 'approve with a body field', () => api.post(`/v1/disputes/${id}/approve`, { amount: 1 }, people.client.token), { status: 400, code: 'parameter_unknown', param: 'amount' });
  await refused(w, 'withdraw with a body field', () => api.post(`/v1/disputes/${id}/withdraw`, { reason: 'changed my mind' }, people.freelancer.token), { status: 400, code: 'parameter_unknown', param: 'reason' });
  assert.equal((await expectOk(api.get(`/v1/disputes/${id}`, people.client.token))).status, 'awaiting_response');
  // The same decline, fixed, goes through.
  const declined = await expectOk(decline({ file_ids: [mine] }));
  assert.equal(declined.status, 'in_review');
  assert.deepEqual(declined.response.file_ids, [mine]);
});

// ---------------------------------------------------------------- messages

test('a message with an empty body, a bad file or an unknown field is a 400 and adds nothing to the record', async () => {
  const w = await world();
  const { api, people } = w;
  const id = await disputeIn(w, 'in_review');
  const theirs = await uploadAs(w, 'client', 'Not the freelancer’s.');
  const mine = await uploadAs(w, 'freelancer', 'The freelancer’s.');
  const message = (fields: Record<string, unknown>, token = people.freelancer.token) => api.post(`/v1/disputes/${id}/messages`, { body: 'Here is the signed brief.', ...fields }, token);
  const cases: Array<[string, Record<string, unknown>, Refusal]> = [
    ['empty body', { body: '' }, { status: 400, code: 'parameter_invalid', param: 'body' }],
    ['a body of spaces', { body: '   \n\t ' }, { status: 400, param: 'body' }],
    ['body missing', { body: undefined }, { status: 400, code: 'parameter_missing', param: 'body' }],
    ['body of 5001 characters', { body: 'z'.repeat(5001) }, { status: 400, param: 'body' }],
    ['someone else’s file', { file_ids: [theirs] }, { status: 400, code: 'file_not_found', param: 'file_ids[0]' }],
    ['the same file twice', { file_ids: [mine, mine] }, { status: 400, code: 'file_cited_twice', param: 'file_ids' }],
    ['file_ids not a list', { file_ids: mine }, { status: 400, param: 'file_ids' }],
    ['an unknown field', { author: people.client.id }, { status: 400, code: 'parameter_unknown', param: 'author' }],
  ];
  for (const [label, fields, want] of cases) await refused(w, label, () => message(fields), want);
  await refused(w, 'staff citing a party’s file', () => message({ file_ids: [mine] }, people.staff.token), { status: 400, code: 'file_not_found', param: 'file_ids[0]' });
  const ok = await expectOk(message({ file_ids: [mine] }), 201);
  assert.equal(ok.messages.length, 1);
});

// ---------------------------------------------------------------- proposal, arbitration, award

test('a proposal above the escrow, negative or fractional, or with a short explanation is a 400, and the dispute stays in review', async () => {
  const w = await world();
  const { api, people } = w;
  const id = await disputeIn(w, 'in_review');
  const propose = (fields: Record<string, unknown>) => api.post(`/v1/disputes/${id}/proposal`, { freelancer_amount: 50_000, explanation: EXPLANATION, ...fields }, people.staff.token);
  const cases: Array<[string, Record<string, unknown>, Refusal]> = [
    ['freelancer_amount above the escrow', { freelancer_amount: 100_001 }, { status: 400, code: 'amount_exceeds_escrow', param: 'freelancer_amount' }],
    ['freelancer_amount -1', { freelancer_amount: -1 }, { status: 400, param: 'freelancer_amount' }],
    ['freelancer_amount 1.5', { freelancer_amount: 1.5 }, { status: 400, param: 'freelancer_amount' }],
    ['freelancer_amount missing', { freelancer_amount: undefined }, { status: 400, code: 'parameter_missing', param: 'freelancer_amount' }],
    ['explanation of 19 characters', { explanation: 'e'.repeat(19) }, { status: 400, param: 'explanation' }],
    ['an unknown field', { client_amount: 50_000 }, { status: 400, code: 'parameter_unknown', param: 'client_amount' }],
  ];
  for (const [label, fields, want] of cases) await refused(w, label, () => propose(fields), want);
  // Both ends of the escrow are proposals staff may make.
  const whole = await expectOk(propose({ freelancer_amount: 100_000 }), 201);
  assert.deepEqual([whole.proposal.freelancer_amount, whole.proposal.client_amount], [100_000, 0]);
  const other = await disputeIn(w, 'in_review');
  const nothing = await expectOk(api.post(`/v1/disputes/${other}/proposal`, { freelancer_amount: 0, explanation: EXPLANATION }, people.staff.token), 201);
  assert.deepEqual([nothing.proposal.freelancer_amount, nothing.proposal.client_amount], [0, 100_000]);
});

test('opting in to arbitration with a bad or declined payment method pays nothing and records nothing', async () => {
  const w = await world();
  const { api, people } = w;
  const id = await disputeIn(w, 'not_resolved');
  const optIn = (body: Record<string, unknown>) => api.post(`/v1/disputes/${id}/arbitration`, body, people.client.token);
  await refused(w, 'not a payment method', () => optIn({ payment_method: 'cash' }), { status: 400, code: 'parameter_invalid', param: 'payment_method' });
  await refused(w, 'an unknown field', () => optIn({ amount: 29_100 }), { status: 400, code: 'parameter_unknown', param: 'amount' });
  await refused(w, 'a declined card', () => optIn({ payment_method: 'pm_card_declined' }), { status: 402, code: 'card_declined' });
  await refused(w, 'balance too short', () => optIn({ payment_method: 'balance' }), { status: 402, code: 'insufficient_balance' });
  const paid = await expectOk(optIn({ payment_method: 'pm_card_visa' }));
  assert.equal(paid.arbitration.client_paid, true);
  await assertLedger(api);
});

test('an award with a short decision, an amount outside the escrow or an unknown field is a 400, and the case stays open', async () => {
  const w = await world();
  const { api, people } = w;
  const id = await disputeIn(w, 'in_arbitration');
  const award = (fields: Record<string, unknown>) => api.post(`/v1/disputes/${id}/award`, { freelancer_amount: 70_000, decision: AWARD, ...fields }, people.arbitrator.token);
  const cases: Array<[string, Record<string, unknown>, Refusal]> = [
    ['decision of 19 characters', { decision: 'd'.repeat(19) }, { status: 400, code: 'parameter_invalid', param: 'decision' }],
    ['decision of 19 characters padded with spaces', { decision: `  ${'d'.repeat(19)}  ` }, { status: 400, param: 'decision' }],
    ['decision missing', { decision: undefined }, { status: 400, code: 'parameter_missing', param: 'decision' }],
    ['decision of 10 emoji (20 UTF-16 units)', { decision: '⚖️'.repeat(5) + '😀'.repeat(5) }, { status: 400, param: 'decision' }],
    ['freelancer_amount above the escrow', { freelancer_amount: 100_001 }, { status: 400, code: 'amount_exceeds_escrow', param: 'freelancer_amount' }],
    ['freelancer_amount -1', { freelancer_amount: -1 }, { status: 400, param: 'freelancer_amount' }],
    ['freelancer_amount 1.5', { freelancer_amount: 1.5 }, { status: 400, param: 'freelancer_amount' }],
    ['an unknown field', { final: true }, { status: 400, code: 'parameter_unknown', param: 'final' }],
  ];
  for (const [label, fields, want] of cases) await refused(w, label, () => award(fields), want);
  assert.equal((await expectOk(api.get(`/v1/disputes/${id}`, people.arbitrator.token))).status, 'in_arbitration');
  const done = await expectOk(award({ decision: 'd'.repeat(20) }));
  assert.equal(done.outcome.kind, 'arbitration_award');
  await assertLedger(api);
});

test('the operator’s assignment refuses an unknown field, a missing arbitrator and a member’s id', async () => {
  const w = await world();
  const { api, people } = w;
  const id = await disputeIn(w, 'in_arbitration');
  const assign = (body: Record<string, unknown>) => api.admin('POST', `/v1/admin/disputes/${id}/arbitrator`, body);
  await refused(w, 'arbitrator_id missing', () => assign({}), { status: 400, code: 'parameter_missing', param: 'arbitrator_id' });
  await refused(w, 'an unknown field', () => assign({ arbitrator_id: people.other_arbitrator.id, note: 'x' }), { status: 400, code: 'parameter_unknown', param: 'note' });
  await refused(w, 'a member', () => assign({ arbitrator_id: people.client.id }), { status: 400, code: 'not_an_arbitrator', param: 'arbitrator_id' });
  await refused(w, 'no such user', () => assign({ arbitrator_id: 'usr_doesnotexist' }), { status: 400, code: 'not_an_arbitrator', param: 'arbitrator_id' });
});
