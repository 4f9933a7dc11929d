import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSettle } from './support/harness.ts';
import { activeContract, assertLedger, balanceOf, eventTypes, expectOk } from './support/scenario.ts';

const DAY = 24 * 3600;

test('funding by card puts the amount in escrow; submission starts a 14-day review that releases one second after it ends, not before', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [100_000]);
  const id = milestoneIds[0]!;
  const funded = await expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  assert.equal(funded.status, 'funded');
  assert.equal(funded.escrow_amount, 100_000);
  const submitted = await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Here is the new design.' }, freelancer.token));
  assert.equal(submitted.status, 'submitted');
  assert.equal(submitted.review_due_at, new Date(Date.parse('2026-12-01T09:00:00Z') + 14 * DAY * 1000).toISOString());

  await api.advance({ seconds: 14 * DAY });
  assert.equal((await api.get(`/v1/milestones/${id}`, client.token)).body.status, 'submitted');
  await api.advance({ seconds: 1 });
  const paid = (await api.get(`/v1/milestones/${id}`, client.token)).body;
  assert.equal(paid.status, 'paid');
  assert.equal(paid.escrow_amount, 0);
  assert.equal(paid.released_amount, 100_000);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 90_000, in_escrow: 0 });
  await api.advance({ seconds: 5 * DAY });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 90_000, pending: 0, in_escrow: 0 });
  assert.deepEqual(await eventTypes(api, id), ['milestone.funded', 'milestone.submitted', 'milestone.released']);
  await assertLedger(api);
});

test('partial approval with a bonus releases both with fees and opens a refund request that refunds by silence after 7 days', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [100_000]);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  const approved = await expectOk(api.post(`/v1/milestones/${id}/approve`, { amount: 60_005, bonus: 5_000 }, client.token));
  assert.equal(approved.status, 'refund_requested');
  assert.equal(approved.escrow_amount, 39_995);
  assert.equal(approved.released_amount, 60_005);
  assert.equal(approved.bonus_amount, 5_000);
  // 10 % of 60,005 is 6,000.5 → 6,001 (half up); 10 % of 5,000 is 500.
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 54_004 + 4_500, in_escrow: 39_995 });
  await api.advance({ seconds: 7 * DAY + 1 });
  const refunded = (await api.get(`/v1/milestones/${id}`, client.token)).body;
  assert.equal(refunded.status, 'paid');
  assert.equal(refunded.refunded_amount, 39_995);
  assert.equal((await balanceOf(api, client)).available, 39_995);
  await assertLedger(api);
});

test('a declined card is 402 card_declined and leaves the milestone pending with no money moved', async () => {
  const api = await startSettle();
  const { client, milestoneIds } = await activeContract(api, [100_000]);
  const res = await api.post(`/v1/milestones/${milestoneIds[0]}/fund`, { payment_method: 'pm_card_declined' }, client.token);
  assert.equal(res.status, 402);
  assert.equal(res.body.error.code, 'card_declined');
  assert.equal((await api.get(`/v1/milestones/${milestoneIds[0]}`, client.token)).body.status, 'pending');
  const transfers = await api.settle.deps.db.query('select count(*)::int8 as n from transfers');
  assert.equal(transfers.rows[0]!.n, 0);
  await assertLedger(api);
});

test('the client ending a contract cancels unfunded milestones and opens refund requests; the freelancer approves the refund', async () => {
  const api = await startSettle();
  const { client, freelancer, contract, milestoneIds } = await activeContract(api, [50_000, 20_000]);
  await expectOk(api.post(`/v1/milestones/${milestoneIds[0]}/fund`, {}, client.token));
  const ended = await expectOk(api.post(`/v1/contracts/${contract.id}/end`, { reason: 'Project cancelled' }, client.token));
  assert.equal(ended.status, 'ended');
  assert.deepEqual(ended.milestones.map((m: { status: string }) => m.status), ['refund_requested', 'cancelled']);
  const refunded = await expectOk(api.post(`/v1/milestones/${milestoneIds[0]}/refund/approve`, {}, freelancer.token));
  assert.equal(refunded.status, 'refunded');
  assert.equal((await balanceOf(api, client)).available, 50_000);
  await assertLedger(api);
});
