import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSettle } from './support/harness.ts';
import { DECLINE, assertChain, disputedMilestone, staffAndArbitrator } from './support/disputes.ts';
import { assertLedger, balanceOf, expectOk } from './support/scenario.ts';

test('a client who approves a dispute releases the requested amount and the rest returns to them', async () => {
  const api = await startSettle();
  const { client, freelancer, dispute, milestoneId } = await disputedMilestone(api, { requested: 70_000 });
  assert.equal(dispute.status, 'awaiting_response');
  assert.equal((await api.get(`/v1/milestones/${milestoneId}`, client.token)).body.status, 'in_dispute');
  const approved = await expectOk(api.post(`/v1/disputes/${dispute.id}/approve`, {}, client.token));
  assert.equal(approved.status, 'resolved');
  assert.deepEqual({ ...approved.outcome, resolved_at: undefined }, { kind: 'client_approved', freelancer_amount: 70_000, client_amount: 30_000, resolved_at: undefined });
  assert.equal((await balanceOf(api, freelancer)).pending, 63_000);
  assert.equal((await balanceOf(api, client)).available, 30_000);
  assert.equal((await api.get(`/v1/milestones/${milestoneId}`, client.token)).body.status, 'paid');
  assert.deepEqual(await assertChain(api, dispute.id, client.token), ['dispute.filed', 'dispute.approved', 'dispute.resolved']);
  await assertLedger(api);
});

test('decline → staff proposal accepted by both moves the money as proposed', async () => {
  const api = await startSettle();
  const { client, freelancer, dispute } = await disputedMilestone(api);
  const { staff } = await staffAndArbitrator(api);
  assert.equal((await api.get(`/v1/disputes/${dispute.id}`, staff.token)).status, 404, 'staff do not see a dispute before review');
  const declined = await expectOk(api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'requirements_not_met', description: DECLINE }, client.token));
  assert.equal(declined.status, 'in_review');
  const queue = await expectOk(api.get('/v1/disputes?status=in_review', staff.token));
  assert.deepEqual(queue.data.map((d: { id: string }) => d.id), [dispute.id]);
  const proposed = await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal`, { freelancer_amount: 60_000, explanation: 'Most of the work was delivered; mobile layouts were missing.' }, staff.token), 201);
  assert.equal(proposed.status, 'proposal_issued');
  await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal/accept`, {}, freelancer.token));
  const done = await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal/accept`, {}, client.token));
  assert.equal(done.status, 'resolved');
  assert.equal(done.outcome.kind, 'proposal_accepted');
  assert.equal((await balanceOf(api, freelancer)).pending, 54_000);
  assert.equal((await balanceOf(api, client)).available, 40_000);
  await assertChain(api, dispute.id, staff.token);
  await assertLedger(api);
});

test('rejection → both pay the arbitration fee → the assigned arbitrator awards, and the fees go to the provider', async () => {
  const api = await startSettle();
  const { client, freelancer, dispute } = await disputedMilestone(api);
  const { staff, arbitrator } = await staffAndArbitrator(api);
  await expectOk(api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'quality_issues', description: DECLINE }, client.token));
  await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal`, { freelancer_amount: 50_000, explanation: 'Half the work meets the brief, half does not.' }, staff.token), 201);
  const rejected = await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal/reject`, {}, client.token));
  assert.equal(rejected.status, 'not_resolved');
  assert.equal(rejected.arbitration.fee_amount, 29_100);
  await expectOk(api.post(`/v1/disputes/${dispute.id}/arbitration`, {}, freelancer.token));
  const started = await expectOk(api.post(`/v1/disputes/${dispute.id}/arbitration`, {}, client.token));
  assert.equal(started.status, 'in_arbitration');
  assert.equal(started.arbitration.arbitrator.id, arbitrator.id);
  const pdf = await api.get(`/v1/disputes/${dispute.id}/case_file`, arbitrator.token);
  assert.equal(pdf.status, 200);
  assert.match(String(pdf.headers['content-type']), /application\/pdf/);
  const awarded = await expectOk(api.post(`/v1/disputes/${dispute.id}/award`, { freelancer_amount: 80_000, decision: 'The work was delivered as specified, minus one screen.' }, arbitrator.token));
  assert.equal(awarded.outcome.kind, 'arbitration_award');
  assert.equal((await balanceOf(api, freelancer)).pending, 72_000);
  const world = await api.settle.deps.db.query<{ n: number }>(`select count(*)::int8 as n from transfers where kind = 'arbitration_fee_payment' and amount = 58200`);
  assert.equal(world.rows[0]!.n, 1);
  await assertChain(api, dispute.id, arbitrator.token);
  await assertLedger(api);
});

test('no response within 5 business days releases the requested amount one second after the deadline', async () => {
  const api = await startSettle();
  const { client, freelancer, dispute } = await disputedMilestone(api);
  // Filed Tuesday 2026-12-01 09:00 UTC; the client is in UTC with no country: due Tuesday 2026-12-08 23:59:59.
  assert.equal(dispute.response_due_at, '2026-12-08T23:59:59.000Z');
  await api.advance({ to: '2026-12-08T23:59:59.000Z' });
  assert.equal((await api.get(`/v1/disputes/${dispute.id}`, client.token)).body.status, 'awaiting_response');
  await api.advance({ seconds: 1 });
  const resolved = (await api.get(`/v1/disputes/${dispute.id}`, client.token)).body;
  assert.equal(resolved.outcome.kind, 'response_deadline_missed');
  assert.equal((await balanceOf(api, freelancer)).pending, 90_000);
  await assertLedger(api);
});
