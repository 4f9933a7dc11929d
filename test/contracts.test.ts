// Issue "Contracts, milestones and escrow": every scenario through the HTTP
// API, on whichever database the run uses (embedded PGlite, or PostgreSQL with
// DATABASE_URL). Each scenario checks state, money and the recorded events,
// and ends with the ledger verifying. Time moves only with api.advance.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSettle, type TestApi } from './support/harness.ts';
import { activeContract, assertLedger, balanceOf, expectOk, type Member } from './support/scenario.ts';

const DAY = 24 * 3600;
const DAY_MS = DAY * 1000;

interface EventRow {
  type: string;
  actor_role: string | null;
  data: Record<string, unknown>;
}

async function milestoneEvents(api: TestApi, milestoneId: string): Promise<EventRow[]> {
  const r = await api.settle.deps.db.query<EventRow>('select type, actor_role, data from events where milestone_id = $1 order by seq', [milestoneId]);
  return r.rows;
}

async function contractEvents(api: TestApi, contractId: string): Promise<EventRow[]> {
  const r = await api.settle.deps.db.query<EventRow>('select type, actor_role, data from events where contract_id = $1 and milestone_id is null order by seq', [contractId]);
  return r.rows;
}

const typesAndActors = (events: EventRow[]) => events.map((e) => [e.type, e.actor_role]);

async function clockNow(api: TestApi): Promise<number> {
  return Date.parse((await api.admin('GET', '/v1/test_helpers/clock')).body.now);
}

const iso = (ms: number) => new Date(ms).toISOString();

async function transferCount(api: TestApi): Promise<number> {
  const r = await api.settle.deps.db.query<{ n: number }>('select count(*)::int8 as n from transfers');
  return Number(r.rows[0]!.n);
}

async function transfersOf(api: TestApi, refId: string) {
  const r = await api.settle.deps.db.query<{ kind: string; amount: number }>('select kind, amount from transfers where ref_id = $1 order by seq', [refId]);
  return r.rows.map((t) => [t.kind, Number(t.amount)]);
}

async function platformFees(api: TestApi, currency = 'usd'): Promise<number> {
  const r = await api.settle.deps.db.query<{ balance: number }>(`select balance from accounts where kind = 'platform_fees' and currency = $1`, [currency]);
  return Number(r.rows[0]?.balance ?? 0);
}

async function offer(api: TestApi, client: Member, freelancer: Member, milestones: Array<{ title: string; amount: number }>, extra: Record<string, unknown> = {}) {
  return expectOk(api.post('/v1/contracts', { title: 'Logo and brand book', freelancer_email: freelancer.email, milestones, ...extra }, client.token), 201);
}

const milestone = (api: TestApi, id: string, who: Member) => expectOk(api.get(`/v1/milestones/${id}`, who.token));
const contractOf = (api: TestApi, id: string, who: Member) => expectOk(api.get(`/v1/contracts/${id}`, who.token));

// ---------------------------------------------------------------------------
// Offer, accept, decline, withdraw

test('an offer is offered with its milestones pending; accepting makes it active and recorded', async () => {
  const api = await startSettle();
  const client = await api.user('Cleo Client');
  const freelancer = await api.user('Finn Freelancer');
  const offered = await offer(api, client, freelancer, [
    { title: 'Sketches', amount: 30_000 },
    { title: 'Final files', amount: 70_000 },
  ]);
  assert.equal(offered.status, 'offered');
  assert.equal(offered.currency, 'usd');
  assert.equal(offered.your_role, 'client');
  assert.deepEqual(offered.client, { id: client.id, name: 'Cleo Client' });
  assert.deepEqual(offered.freelancer, { id: freelancer.id, name: 'Finn Freelancer' });
  assert.deepEqual(
    offered.milestones.map((m: any) => [m.position, m.title, m.amount, m.status, m.escrow_amount]),
    [
      [1, 'Sketches', 30_000, 'pending', 0],
      [2, 'Final files', 70_000, 'pending', 0],
    ],
  );
  assert.equal(offered.escrow_amount, 0);
  assert.equal(offered.accepted_at, null);

  const seen = await contractOf(api, offered.id, freelancer);
  assert.equal(seen.your_role, 'freelancer');
  assert.equal(seen.status, 'offered');

  const accepted = await expectOk(api.post(`/v1/contracts/${offered.id}/accept`, {}, freelancer.token));
  assert.equal(accepted.status, 'active');
  assert.equal(accepted.accepted_at, iso(await clockNow(api)));
  assert.deepEqual(accepted.milestones.map((m: any) => m.status), ['pending', 'pending']);

  // An answered offer cannot be answered again.
  const again = await api.post(`/v1/contracts/${offered.id}/decline`, {}, freelancer.token);
  assert.equal(again.status, 409, JSON.stringify(again.body));
  assert.equal(again.body.error.code, 'contract_not_offered');
  assert.equal((await contractOf(api, offered.id, client)).status, 'active');

  const events = await contractEvents(api, offered.id);
  assert.deepEqual(typesAndActors(events), [
    ['contract.offered', 'client'],
    ['contract.accepted', 'freelancer'],
  ]);
  assert.deepEqual(events[0]!.data.milestone_ids, offered.milestones.map((m: any) => m.id));
  assert.equal(await transferCount(api), 0);
  await assertLedger(api);
});

test('declining an offer makes it declined and cancels its milestones, recording each cancellation', async () => {
  const api = await startSettle();
  const client = await api.user('Cleo Client');
  const freelancer = await api.user('Finn Freelancer');
  const offered = await offer(api, client, freelancer, [
    { title: 'Sketches', amount: 30_000 },
    { title: 'Final files', amount: 70_000 },
  ]);
  const declined = await expectOk(api.post(`/v1/contracts/${offered.id}/decline`, {}, freelancer.token));
  assert.equal(declined.status, 'declined');
  assert.deepEqual(declined.milestones.map((m: any) => m.status), ['cancelled', 'cancelled']);

  // A declined contract takes no money and cannot be accepted afterwards.
  const fund = await api.post(`/v1/milestones/${offered.milestones[0].id}/fund`, {}, client.token);
  assert.equal(fund.status, 409, JSON.stringify(fund.body));
  assert.equal(fund.body.error.code, 'milestone_cancelled');
  const accept = await api.post(`/v1/contracts/${offered.id}/accept`, {}, freelancer.token);
  assert.equal(accept.status, 409, JSON.stringify(accept.body));
  assert.equal(accept.body.error.code, 'contract_not_offered');
  const end = await api.post(`/v1/contracts/${offered.id}/end`, {}, client.token);
  assert.equal(end.status, 409, JSON.stringify(end.body));
  assert.equal(end.body.error.code, 'contract_not_active');

  assert.deepEqual(typesAndActors(await contractEvents(api, offered.id)), [
    ['contract.offered', 'client'],
    ['contract.declined', 'freelancer'],
  ]);
  for (const m of offered.milestones) {
    assert.deepEqual(await milestoneEvents(api, m.id), [{ type: 'milestone.cancelled', actor_role: 'freelancer', data: { cause: 'offer_declined' } }]);
  }
  assert.equal(await transferCount(api), 0);
  await assertLedger(api);
});

test('funding a milestone before the freelancer accepts is 409 contract_not_active and moves nothing', async () => {
  const api = await startSettle();
  const client = await api.user('Cleo Client');
  const freelancer = await api.user('Finn Freelancer');
  await api.credit(client.id, 100_000);
  const offered = await offer(api, client, freelancer, [{ title: 'Sketches', amount: 30_000 }]);
  const before = await transferCount(api);
  for (const body of [{}, { payment_method: 'pm_card_visa' }, { payment_method: 'balance' }]) {
    const res = await api.post(`/v1/milestones/${offered.milestones[0].id}/fund`, body, client.token);
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'contract_not_active');
  }
  assert.equal(await transferCount(api), before);
  assert.equal((await milestone(api, offered.milestones[0].id, client)).status, 'pending');
  assert.deepEqual(await balanceOf(api, client), { available: 100_000, pending: 0, in_escrow: 0 });
  assert.deepEqual(await milestoneEvents(api, offered.milestones[0].id), []);
  await assertLedger(api);
});

test('the client withdraws an open offer with /end: ended, milestones cancelled; the freelancer cannot /end an offer', async () => {
  const api = await startSettle();
  const client = await api.user('Cleo Client');
  const freelancer = await api.user('Finn Freelancer');
  const offered = await offer(api, client, freelancer, [{ title: 'Sketches', amount: 30_000 }]);

  const byFreelancer = await api.post(`/v1/contracts/${offered.id}/end`, {}, freelancer.token);
  assert.equal(byFreelancer.status, 409, JSON.stringify(byFreelancer.body));
  assert.equal(byFreelancer.body.error.code, 'contract_not_active');
  assert.equal((await contractOf(api, offered.id, client)).status, 'offered');

  const withdrawn = await expectOk(api.post(`/v1/contracts/${offered.id}/end`, { reason: 'Found someone in-house' }, client.token));
  assert.equal(withdrawn.status, 'ended');
  assert.equal(withdrawn.ended_at, iso(await clockNow(api)));
  assert.deepEqual(withdrawn.milestones.map((m: any) => m.status), ['cancelled']);

  const accept = await api.post(`/v1/contracts/${offered.id}/accept`, {}, freelancer.token);
  assert.equal(accept.status, 409, JSON.stringify(accept.body));
  assert.equal(accept.body.error.code, 'contract_not_offered');

  const events = await contractEvents(api, offered.id);
  assert.deepEqual(typesAndActors(events), [
    ['contract.offered', 'client'],
    ['contract.ended', 'client'],
  ]);
  assert.deepEqual(events[1]!.data, { ended_by: 'client', reason: 'Found someone in-house' });
  assert.deepEqual(await milestoneEvents(api, offered.milestones[0].id), [{ type: 'milestone.cancelled', actor_role: 'client', data: { cause: 'contract_ended' } }]);
  assert.equal(await transferCount(api), 0);
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// Funding

test('funding from a balance that covers the amount moves it to escrow with no card charge', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [40_000]);
  const id = milestoneIds[0]!;
  await api.credit(client.id, 100_000);
  const funded = await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  assert.equal(funded.status, 'funded');
  assert.equal(funded.escrow_amount, 40_000);
  assert.equal(funded.funded_at, iso(await clockNow(api)));
  assert.deepEqual(await transfersOf(api, id), [['escrow_fund', 40_000]]);
  const cards = await api.settle.deps.db.query(`select id from transfers where kind = 'card_charge'`);
  assert.deepEqual(cards.rows, []);
  assert.deepEqual(await balanceOf(api, client), { available: 60_000, pending: 0, in_escrow: 40_000 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 40_000 });
  assert.deepEqual(await milestoneEvents(api, id), [
    { type: 'milestone.funded', actor_role: 'client', data: { amount: 40_000, currency: 'usd', paid_with: 'balance', charge: null } },
  ]);
  await assertLedger(api);
});

test('payment_method "balance" with a short balance is 402 insufficient_balance and moves nothing', async () => {
  const api = await startSettle();
  const { client, milestoneIds } = await activeContract(api, [40_000]);
  const id = milestoneIds[0]!;
  await api.credit(client.id, 39_999);
  const before = await transferCount(api);
  const res = await api.post(`/v1/milestones/${id}/fund`, { payment_method: 'balance' }, client.token);
  assert.equal(res.status, 402, JSON.stringify(res.body));
  assert.equal(res.body.error.type, 'payment');
  assert.equal(res.body.error.code, 'insufficient_balance');
  assert.equal(await transferCount(api), before);
  const m = await milestone(api, id, client);
  assert.equal(m.status, 'pending');
  assert.equal(m.escrow_amount, 0);
  assert.deepEqual(await balanceOf(api, client), { available: 39_999, pending: 0, in_escrow: 0 });
  assert.deepEqual(await milestoneEvents(api, id), []);
  await assertLedger(api);
});

test('funding with no method and a short balance charges the card; funding twice is 409', async () => {
  const api = await startSettle();
  const { client, milestoneIds } = await activeContract(api, [40_000]);
  const id = milestoneIds[0]!;
  await api.credit(client.id, 10_000);
  const funded = await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  assert.equal(funded.status, 'funded');
  assert.equal(funded.escrow_amount, 40_000);
  const cards = await api.settle.deps.db.query<{ amount: number; ref_id: string }>(`select amount, ref_id from transfers where kind = 'card_charge'`);
  assert.equal(cards.rows.length, 1);
  assert.equal(Number(cards.rows[0]!.amount), 40_000);
  const events = await milestoneEvents(api, id);
  assert.deepEqual(typesAndActors(events), [['milestone.funded', 'client']]);
  assert.equal(events[0]!.data.paid_with, 'card');
  assert.equal(events[0]!.data.charge, cards.rows[0]!.ref_id);
  // The balance was not touched: the card paid the whole amount.
  assert.deepEqual(await balanceOf(api, client), { available: 10_000, pending: 0, in_escrow: 40_000 });

  const before = await transferCount(api);
  const twice = await api.post(`/v1/milestones/${id}/fund`, {}, client.token);
  assert.equal(twice.status, 409, JSON.stringify(twice.body));
  assert.equal(twice.body.error.type, 'conflict');
  assert.equal(await transferCount(api), before);
  assert.equal((await milestone(api, id, client)).escrow_amount, 40_000);
  assert.equal((await milestoneEvents(api, id)).length, 1);
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// Review window

test('requesting changes stops the review window; the resubmission starts a new 14 days that auto-release one second after they end', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [100_000]);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  const t0 = await clockNow(api);
  const first = await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'First draft.' }, freelancer.token));
  assert.equal(first.status, 'submitted');
  assert.equal(first.review_due_at, iso(t0 + 14 * DAY_MS));

  await api.advance({ seconds: 3 * DAY });
  const changes = await expectOk(api.post(`/v1/milestones/${id}/request_changes`, { message: 'Please use the brand colours.' }, client.token));
  assert.equal(changes.status, 'changes_requested');
  assert.equal(changes.review_due_at, null);
  assert.deepEqual(changes.change_requests, [{ message: 'Please use the brand colours.', requested_at: iso(t0 + 3 * DAY_MS) }]);

  await api.advance({ seconds: 2 * DAY });
  const resubmitted = await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Second draft, brand colours.' }, freelancer.token));
  assert.equal(resubmitted.status, 'submitted');
  const newDue = t0 + 5 * DAY_MS + 14 * DAY_MS;
  assert.equal(resubmitted.review_due_at, iso(newDue));
  assert.deepEqual(
    resubmitted.submissions.map((s: any) => [s.message, s.submitted_at]),
    [
      ['First draft.', iso(t0)],
      ['Second draft, brand colours.', iso(t0 + 5 * DAY_MS)],
    ],
  );

  // The first window's end passes without a release.
  await api.advance({ to: iso(t0 + 14 * DAY_MS + 1000) });
  let m = await milestone(api, id, client);
  assert.equal(m.status, 'submitted');
  assert.equal(m.escrow_amount, 100_000);
  // The new window: still open at its last instant...
  await api.advance({ to: iso(newDue) });
  assert.equal((await milestone(api, id, client)).status, 'submitted');
  // ...released one second later.
  await api.advance({ seconds: 1 });
  m = await milestone(api, id, client);
  assert.equal(m.status, 'paid');
  assert.equal(m.review_due_at, null);
  assert.equal(m.escrow_amount, 0);
  assert.equal(m.released_amount, 100_000);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 90_000, in_escrow: 0 });
  assert.equal(await platformFees(api), 10_000);

  const events = await milestoneEvents(api, id);
  assert.deepEqual(typesAndActors(events), [
    ['milestone.funded', 'client'],
    ['milestone.submitted', 'freelancer'],
    ['milestone.changes_requested', 'client'],
    ['milestone.submitted', 'freelancer'],
    ['milestone.released', 'deadline'],
  ]);
  assert.equal(events[1]!.data.review_due_at, iso(t0 + 14 * DAY_MS));
  assert.equal(events[3]!.data.review_due_at, iso(newDue));
  assert.deepEqual(events[4]!.data, { amount: 100_000, fee: 10_000, net: 90_000, currency: 'usd', full: true, cause: 'review_window_ended' });
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// Approval

test('approving in full before any submission pays the milestone, fee rounded half up; the hold ends after 5 days and the money can be paid out', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [12_345]);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  const approvedAt = await clockNow(api);
  const paid = await expectOk(api.post(`/v1/milestones/${id}/approve`, {}, client.token));
  assert.equal(paid.status, 'paid');
  assert.equal(paid.escrow_amount, 0);
  assert.equal(paid.released_amount, 12_345);
  assert.equal(paid.refunded_amount, 0);
  assert.equal(paid.review_due_at, null);
  assert.equal(paid.refund_due_at, null);
  // 10 % of 12,345 is 1,234.5 → 1,235 (half up); the freelancer gets 11,110.
  assert.deepEqual(await transfersOf(api, id), [
    ['escrow_fund', 12_345],
    ['escrow_release', 11_110],
    ['service_fee', 1_235],
  ]);
  assert.equal(await platformFees(api), 1_235);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 11_110, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 0 });
  const events = await milestoneEvents(api, id);
  assert.deepEqual(typesAndActors(events), [
    ['milestone.funded', 'client'],
    ['milestone.released', 'client'],
  ]);
  assert.equal(events[0]!.data.paid_with, 'card');
  assert.deepEqual(events[1]!.data, { amount: 12_345, fee: 1_235, net: 11_110, currency: 'usd', full: true });

  // The money is held for exactly 5 days.
  const early = await api.post('/v1/payouts', { amount: 11_110, currency: 'usd' }, freelancer.token);
  assert.equal(early.status, 402, JSON.stringify(early.body));
  await api.advance({ to: iso(approvedAt + 5 * DAY_MS) });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 11_110, in_escrow: 0 });
  await api.advance({ seconds: 1 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 11_110, pending: 0, in_escrow: 0 });

  const tooMuch = await api.post('/v1/payouts', { amount: 11_111, currency: 'usd' }, freelancer.token);
  assert.equal(tooMuch.status, 402, JSON.stringify(tooMuch.body));
  assert.equal(tooMuch.body.error.code, 'insufficient_balance');
  const payout = await expectOk(api.post('/v1/payouts', { amount: 11_110, currency: 'usd' }, freelancer.token), 201);
  assert.equal(payout.object, 'payout');
  assert.equal(payout.amount, 11_110);
  assert.equal(payout.status, 'paid');
  const oneMore = await api.post('/v1/payouts', { amount: 1, currency: 'usd' }, freelancer.token);
  assert.equal(oneMore.status, 402, JSON.stringify(oneMore.body));
  assert.equal(oneMore.body.error.code, 'insufficient_balance');
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 0 });
  await assertLedger(api);
});

test('approving more than the escrow is 400 amount_exceeds_escrow on amount and moves nothing', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [50_000]);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Done.' }, freelancer.token));
  const before = await transferCount(api);
  const snapshot = await milestone(api, id, client);
  const res = await api.post(`/v1/milestones/${id}/approve`, { amount: 50_001 }, client.token);
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'amount_exceeds_escrow');
  assert.equal(res.body.error.param, 'amount');
  assert.equal(await transferCount(api), before);
  assert.deepEqual(await milestone(api, id, client), snapshot);
  assert.deepEqual(typesAndActors(await milestoneEvents(api, id)), [
    ['milestone.funded', 'client'],
    ['milestone.submitted', 'freelancer'],
  ]);
  await assertLedger(api);
});

test('an approval amount that is zero, negative, fractional or a string is 400 on amount and moves nothing', async () => {
  const api = await startSettle();
  const { client, milestoneIds } = await activeContract(api, [50_000]);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  const before = await transferCount(api);
  const snapshot = await milestone(api, id, client);
  for (const amount of [0, -1, -50_000, 1.5, '100']) {
    const res = await api.post(`/v1/milestones/${id}/approve`, { amount }, client.token);
    assert.equal(res.status, 400, `${JSON.stringify(amount)}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.type, 'invalid_request');
    assert.equal(res.body.error.param, 'amount');
  }
  assert.equal(await transferCount(api), before);
  assert.deepEqual(await milestone(api, id, client), snapshot);
  assert.equal((await milestoneEvents(api, id)).length, 1);
  await assertLedger(api);
});

test('approving a paid milestone again is 409 milestone_settled and moves nothing', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [50_000]);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${id}/approve`, {}, client.token));
  const before = await transferCount(api);
  for (const body of [{}, { amount: 1 }, { bonus: 1_000 }]) {
    const res = await api.post(`/v1/milestones/${id}/approve`, body, client.token);
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'milestone_settled');
  }
  assert.equal(await transferCount(api), before);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 45_000, in_escrow: 0 });
  assert.deepEqual(typesAndActors(await milestoneEvents(api, id)), [
    ['milestone.funded', 'client'],
    ['milestone.released', 'client'],
  ]);
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// Escrow refund requests

test('a partial approval opens a refund request; the freelancer approving it pays the milestone and returns the rest to the client at once', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [100_000]);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Half of it.' }, freelancer.token));
  const at = await clockNow(api);
  const partial = await expectOk(api.post(`/v1/milestones/${id}/approve`, { amount: 30_000 }, client.token));
  assert.equal(partial.status, 'refund_requested');
  assert.equal(partial.review_due_at, null);
  assert.equal(partial.refund_due_at, iso(at + 7 * DAY_MS));
  assert.equal(partial.escrow_amount, 70_000);
  assert.equal(partial.released_amount, 30_000);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 27_000, in_escrow: 70_000 });

  await api.advance({ seconds: DAY });
  const refunded = await expectOk(api.post(`/v1/milestones/${id}/refund/approve`, {}, freelancer.token));
  assert.equal(refunded.status, 'paid');
  assert.equal(refunded.refund_due_at, null);
  assert.equal(refunded.escrow_amount, 0);
  assert.equal(refunded.released_amount, 30_000);
  assert.equal(refunded.refunded_amount, 70_000);
  assert.deepEqual(await balanceOf(api, client), { available: 70_000, pending: 0, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 27_000, in_escrow: 0 });
  assert.equal(await platformFees(api), 3_000);

  // Nothing is left for the refund window to do.
  await api.advance({ seconds: 7 * DAY });
  assert.equal((await milestone(api, id, client)).refunded_amount, 70_000);
  assert.deepEqual(await balanceOf(api, client), { available: 70_000, pending: 0, in_escrow: 0 });

  const events = await milestoneEvents(api, id);
  assert.deepEqual(typesAndActors(events), [
    ['milestone.funded', 'client'],
    ['milestone.submitted', 'freelancer'],
    ['milestone.released', 'client'],
    ['milestone.refund_requested', 'client'],
    ['milestone.refunded', 'freelancer'],
  ]);
  assert.deepEqual(events[2]!.data, { amount: 30_000, fee: 3_000, net: 27_000, currency: 'usd', full: false });
  assert.deepEqual(events[3]!.data, { amount: 70_000, refund_due_at: iso(at + 7 * DAY_MS), cause: 'partial_approval' });
  assert.deepEqual(events[4]!.data, { amount: 70_000, currency: 'usd', cause: 'freelancer_approved' });
  await assertLedger(api);
});

test('a refund request is still open after exactly 7 days of silence and refunds the client one second later', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [100_000]);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  const at = await clockNow(api);
  await expectOk(api.post(`/v1/milestones/${id}/approve`, { amount: 99_999 }, client.token));
  await api.advance({ seconds: 7 * DAY });
  let m = await milestone(api, id, client);
  assert.equal(m.status, 'refund_requested');
  assert.equal(m.escrow_amount, 1);
  assert.equal(await clockNow(api), at + 7 * DAY_MS);
  await api.advance({ seconds: 1 });
  m = await milestone(api, id, client);
  assert.equal(m.status, 'paid');
  assert.equal(m.refund_due_at, null);
  assert.equal(m.escrow_amount, 0);
  assert.equal(m.refunded_amount, 1);
  assert.equal(m.released_amount, 99_999);
  assert.deepEqual(await balanceOf(api, client), { available: 1, pending: 0, in_escrow: 0 });
  const events = await milestoneEvents(api, id);
  assert.deepEqual(typesAndActors(events), [
    ['milestone.funded', 'client'],
    ['milestone.released', 'client'],
    ['milestone.refund_requested', 'client'],
    ['milestone.refunded', 'deadline'],
  ]);
  assert.deepEqual(events[3]!.data, { amount: 1, currency: 'usd', cause: 'refund_window_ended' });
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// Ending a contract

/** A contract whose milestones are funded, submitted, changes_requested and pending, in that order. */
async function mixedContract(api: TestApi) {
  const setup = await activeContract(api, [10_000, 20_000, 30_000, 40_000]);
  const { client, freelancer, milestoneIds: [funded, submitted, changes] } = setup;
  for (const id of [funded!, submitted!, changes!]) await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${submitted}/submit`, { message: 'Delivered.' }, freelancer.token));
  await expectOk(api.post(`/v1/milestones/${changes}/submit`, { message: 'Delivered too.' }, freelancer.token));
  await expectOk(api.post(`/v1/milestones/${changes}/request_changes`, { message: 'Not quite.' }, client.token));
  return setup;
}

test('the freelancer ending a contract returns all escrow to the client at once and cancels what was never funded', async () => {
  const api = await startSettle();
  const { client, freelancer, contract, milestoneIds } = await mixedContract(api);
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 60_000 });
  const ended = await expectOk(api.post(`/v1/contracts/${contract.id}/end`, { reason: 'I cannot finish this.' }, freelancer.token));
  assert.equal(ended.status, 'ended');
  assert.equal(ended.ended_at, iso(await clockNow(api)));
  assert.deepEqual(ended.milestones.map((m: any) => [m.status, m.escrow_amount, m.refunded_amount, m.review_due_at, m.refund_due_at]), [
    ['refunded', 0, 10_000, null, null],
    ['refunded', 0, 20_000, null, null],
    ['refunded', 0, 30_000, null, null],
    ['cancelled', 0, 0, null, null],
  ]);
  assert.equal(ended.escrow_amount, 0);
  assert.equal(ended.refunded_amount, 60_000);
  assert.equal(ended.released_amount, 0);
  assert.deepEqual(await balanceOf(api, client), { available: 60_000, pending: 0, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 0 });

  // The submitted milestone's review window died with the contract.
  await api.advance({ seconds: 15 * DAY });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 0 });
  assert.equal(await platformFees(api), 0);

  assert.deepEqual(typesAndActors(await contractEvents(api, contract.id)), [
    ['contract.offered', 'client'],
    ['contract.accepted', 'freelancer'],
    ['contract.ended', 'freelancer'],
  ]);
  const [funded, submitted, changes, pending] = milestoneIds;
  for (const [id, amount] of [[funded!, 10_000], [submitted!, 20_000], [changes!, 30_000]] as const) {
    const events = await milestoneEvents(api, id);
    assert.deepEqual(events.at(-1), { type: 'milestone.refunded', actor_role: 'freelancer', data: { amount, currency: 'usd', cause: 'freelancer_ended_contract' } });
    assert.deepEqual(await transfersOf(api, id), [['escrow_fund', amount], ['escrow_refund', amount]]);
  }
  assert.deepEqual(await milestoneEvents(api, pending!), [{ type: 'milestone.cancelled', actor_role: 'freelancer', data: { cause: 'contract_ended' } }]);
  await assertLedger(api);
});

test('the freelancer ending a contract settles a partly released refund request as paid, the rest back to the client', async () => {
  const api = await startSettle();
  const { client, freelancer, contract, milestoneIds } = await activeContract(api, [50_000]);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${id}/approve`, { amount: 20_000 }, client.token));
  const ended = await expectOk(api.post(`/v1/contracts/${contract.id}/end`, {}, freelancer.token));
  assert.deepEqual(ended.milestones.map((m: any) => [m.status, m.escrow_amount, m.released_amount, m.refunded_amount, m.refund_due_at]), [['paid', 0, 20_000, 30_000, null]]);
  assert.deepEqual(await balanceOf(api, client), { available: 30_000, pending: 0, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 18_000, in_escrow: 0 });
  assert.deepEqual(typesAndActors(await milestoneEvents(api, id)), [
    ['milestone.funded', 'client'],
    ['milestone.released', 'client'],
    ['milestone.refund_requested', 'client'],
    ['milestone.refunded', 'freelancer'],
  ]);
  await assertLedger(api);
});

test('the client ending a contract opens 7-day refund requests, cancels what was never funded and stops the review window', async () => {
  const api = await startSettle();
  const t0 = await clockNow(api);
  const { client, freelancer, contract, milestoneIds } = await mixedContract(api);
  const [funded, submitted, changes, pending] = milestoneIds;
  assert.equal((await milestone(api, submitted!, client)).review_due_at, iso(t0 + 14 * DAY_MS));

  await api.advance({ seconds: 8 * DAY });
  const endedAt = t0 + 8 * DAY_MS;
  const refundDue = endedAt + 7 * DAY_MS;
  const ended = await expectOk(api.post(`/v1/contracts/${contract.id}/end`, { reason: 'Budget cut' }, client.token));
  assert.equal(ended.status, 'ended');
  assert.equal(ended.ended_at, iso(endedAt));
  assert.deepEqual(ended.milestones.map((m: any) => [m.status, m.escrow_amount, m.review_due_at, m.refund_due_at]), [
    ['refund_requested', 10_000, null, iso(refundDue)],
    ['refund_requested', 20_000, null, iso(refundDue)],
    ['refund_requested', 30_000, null, iso(refundDue)],
    ['cancelled', 0, null, null],
  ]);
  // Nothing moved yet: the freelancer has 7 days to answer.
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 60_000 });

  const twice = await api.post(`/v1/contracts/${contract.id}/end`, {}, client.token);
  assert.equal(twice.status, 409, JSON.stringify(twice.body));
  assert.equal(twice.body.error.code, 'contract_not_active');
  const byFreelancer = await api.post(`/v1/contracts/${contract.id}/end`, {}, freelancer.token);
  assert.equal(byFreelancer.status, 409, JSON.stringify(byFreelancer.body));
  assert.equal(byFreelancer.body.error.code, 'contract_not_active');

  // The submitted milestone's old review deadline passes: no auto-release.
  await api.advance({ to: iso(t0 + 14 * DAY_MS + 1000) });
  const stillHeld = await milestone(api, submitted!, client);
  assert.equal(stillHeld.status, 'refund_requested');
  assert.equal(stillHeld.escrow_amount, 20_000);
  assert.equal(stillHeld.released_amount, 0);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 60_000 });

  await api.advance({ to: iso(refundDue) });
  assert.deepEqual((await contractOf(api, contract.id, client)).milestones.map((m: any) => m.status), ['refund_requested', 'refund_requested', 'refund_requested', 'cancelled']);
  await api.advance({ seconds: 1 });
  const settled = await contractOf(api, contract.id, client);
  assert.deepEqual(settled.milestones.map((m: any) => [m.status, m.escrow_amount, m.refunded_amount, m.released_amount, m.refund_due_at]), [
    ['refunded', 0, 10_000, 0, null],
    ['refunded', 0, 20_000, 0, null],
    ['refunded', 0, 30_000, 0, null],
    ['cancelled', 0, 0, 0, null],
  ]);
  assert.deepEqual(await balanceOf(api, client), { available: 60_000, pending: 0, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 0 });
  assert.equal(await platformFees(api), 0);

  const ends = await contractEvents(api, contract.id);
  assert.deepEqual(ends.at(-1), { type: 'contract.ended', actor_role: 'client', data: { ended_by: 'client', reason: 'Budget cut' } });
  for (const [id, amount] of [[funded!, 10_000], [submitted!, 20_000], [changes!, 30_000]] as const) {
    const events = await milestoneEvents(api, id);
    assert.deepEqual(events.slice(-2), [
      { type: 'milestone.refund_requested', actor_role: 'client', data: { amount, currency: 'usd', refund_due_at: iso(refundDue), cause: 'client_ended_contract' } },
      { type: 'milestone.refunded', actor_role: 'deadline', data: { amount, currency: 'usd', cause: 'refund_window_ended' } },
    ]);
    assert.ok(!events.some((e) => e.type === 'milestone.released'));
  }
  assert.deepEqual(await milestoneEvents(api, pending!), [{ type: 'milestone.cancelled', actor_role: 'client', data: { cause: 'contract_ended' } }]);
  await assertLedger(api);
});

test('a refund request already open keeps its own deadline when the client ends the contract', async () => {
  const api = await startSettle();
  const { client, contract, milestoneIds } = await activeContract(api, [50_000, 30_000]);
  const [partly, funded] = milestoneIds;
  await expectOk(api.post(`/v1/milestones/${partly}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${funded}/fund`, {}, client.token));
  const approvedAt = await clockNow(api);
  await expectOk(api.post(`/v1/milestones/${partly}/approve`, { amount: 10_000 }, client.token));

  await api.advance({ seconds: 2 * DAY });
  const endedAt = approvedAt + 2 * DAY_MS;
  const ended = await expectOk(api.post(`/v1/contracts/${contract.id}/end`, {}, client.token));
  assert.deepEqual(ended.milestones.map((m: any) => [m.status, m.refund_due_at]), [
    ['refund_requested', iso(approvedAt + 7 * DAY_MS)],
    ['refund_requested', iso(endedAt + 7 * DAY_MS)],
  ]);
  // No second refund request is recorded for the one already open.
  assert.deepEqual(typesAndActors(await milestoneEvents(api, partly!)), [
    ['milestone.funded', 'client'],
    ['milestone.released', 'client'],
    ['milestone.refund_requested', 'client'],
  ]);

  await api.advance({ to: iso(approvedAt + 7 * DAY_MS + 1000) });
  let view = await contractOf(api, contract.id, client);
  assert.deepEqual(view.milestones.map((m: any) => [m.status, m.escrow_amount]), [
    ['paid', 0],
    ['refund_requested', 30_000],
  ]);
  assert.deepEqual(await balanceOf(api, client), { available: 40_000, pending: 0, in_escrow: 30_000 });
  await api.advance({ to: iso(endedAt + 7 * DAY_MS + 1000) });
  view = await contractOf(api, contract.id, client);
  assert.deepEqual(view.milestones.map((m: any) => [m.status, m.escrow_amount]), [
    ['paid', 0],
    ['refunded', 0],
  ]);
  assert.deepEqual(await balanceOf(api, client), { available: 70_000, pending: 0, in_escrow: 0 });
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// All Contracts and the balance

test('All Contracts lists the caller\'s contracts as client or freelancer, newest first, filtered by status and paged', async () => {
  const api = await startSettle();
  const alice = await api.user('Alice Both');
  const bob = await api.user('Bob Freelancer');
  const carol = await api.user('Carol Client');
  const stranger = await api.user('Sam Stranger');

  const first = await offer(api, alice, bob, [{ title: 'A', amount: 10_000 }], { title: 'First: Alice hires Bob' });
  await expectOk(api.post(`/v1/contracts/${first.id}/accept`, {}, bob.token));
  const second = await offer(api, carol, alice, [{ title: 'B', amount: 20_000 }], { title: 'Second: Carol hires Alice' });
  await expectOk(api.post(`/v1/contracts/${second.id}/accept`, {}, alice.token));
  const third = await offer(api, alice, bob, [{ title: 'C', amount: 30_000 }], { title: 'Third: offered only' });
  const fourth = await offer(api, carol, bob, [{ title: 'D', amount: 40_000 }], { title: 'Fourth: not Alice' });

  const all = await expectOk(api.get('/v1/contracts', alice.token));
  assert.equal(all.object, 'list');
  assert.equal(all.has_more, false);
  assert.deepEqual(all.data.map((c: any) => [c.id, c.your_role, c.status]), [
    [third.id, 'client', 'offered'],
    [second.id, 'freelancer', 'active'],
    [first.id, 'client', 'active'],
  ]);
  assert.deepEqual(all.data[1].milestones.map((m: any) => m.amount), [20_000]);

  const active = await expectOk(api.get('/v1/contracts?status=active', alice.token));
  assert.deepEqual(active.data.map((c: any) => c.id), [second.id, first.id]);
  const offered = await expectOk(api.get('/v1/contracts?status=offered', bob.token));
  assert.deepEqual(offered.data.map((c: any) => [c.id, c.your_role]), [[fourth.id, 'freelancer'], [third.id, 'freelancer']]);

  const page1 = await expectOk(api.get('/v1/contracts?limit=2', alice.token));
  assert.deepEqual(page1.data.map((c: any) => c.id), [third.id, second.id]);
  assert.equal(page1.has_more, true);
  const page2 = await expectOk(api.get(`/v1/contracts?limit=2&starting_after=${second.id}`, alice.token));
  assert.deepEqual(page2.data.map((c: any) => c.id), [first.id]);
  assert.equal(page2.has_more, false);

  // Someone else's contract is not a cursor the caller may use.
  const foreignCursor = await api.get(`/v1/contracts?starting_after=${fourth.id}`, alice.token);
  assert.equal(foreignCursor.status, 400, JSON.stringify(foreignCursor.body));
  assert.equal(foreignCursor.body.error.param, 'starting_after');

  assert.deepEqual((await expectOk(api.get('/v1/contracts', stranger.token))).data, []);
  await assertLedger(api);
});

test('the balance shows funded escrow to both parties of the contract and to no one else', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [25_000, 15_000, 5_000]);
  const stranger = await api.user('Sam Stranger');
  await expectOk(api.post(`/v1/milestones/${milestoneIds[0]}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${milestoneIds[1]}/fund`, {}, client.token));
  const body = await expectOk(api.get('/v1/balance', client.token));
  assert.deepEqual(body.in_escrow, [{ amount: 40_000, currency: 'usd' }]);
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 40_000 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 40_000 });
  assert.deepEqual((await expectOk(api.get('/v1/balance', stranger.token))).in_escrow, []);

  await expectOk(api.post(`/v1/milestones/${milestoneIds[0]}/approve`, {}, client.token));
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 15_000 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 22_500, in_escrow: 15_000 });
  await assertLedger(api);
});

// ---------------------------------------------------------------------------
// Currencies

test('eur and jpy contracts keep balances per currency; the fee on jpy rounds half up in whole yen', async () => {
  const api = await startSettle();
  const client = await api.user('Cleo Client');
  const freelancer = await api.user('Finn Freelancer');
  const eur = await offer(api, client, freelancer, [{ title: 'Euro work', amount: 12_345 }], { currency: 'eur' });
  const jpy = await offer(api, client, freelancer, [{ title: 'Yen work', amount: 5_005 }], { currency: 'jpy' });
  assert.equal(eur.currency, 'eur');
  assert.equal(jpy.currency, 'jpy');
  assert.equal(jpy.milestones[0].currency, 'jpy');
  for (const c of [eur, jpy]) await expectOk(api.post(`/v1/contracts/${c.id}/accept`, {}, freelancer.token));
  await api.credit(client.id, 5_005, 'jpy');
  const eurId = eur.milestones[0].id;
  const jpyId = jpy.milestones[0].id;
  await expectOk(api.post(`/v1/milestones/${eurId}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${jpyId}/fund`, {}, client.token));
  // The yen came from the balance, the euros from a card.
  assert.deepEqual(await transfersOf(api, jpyId), [['escrow_fund', 5_005]]);
  const balance = await expectOk(api.get('/v1/balance', freelancer.token));
  assert.deepEqual(balance.in_escrow, [
    { amount: 12_345, currency: 'eur' },
    { amount: 5_005, currency: 'jpy' },
  ]);

  const approvedAt = await clockNow(api);
  await expectOk(api.post(`/v1/milestones/${eurId}/approve`, {}, client.token));
  const yen = await expectOk(api.post(`/v1/milestones/${jpyId}/approve`, {}, client.token));
  assert.equal(yen.status, 'paid');
  assert.equal(yen.currency, 'jpy');
  // 10 % of 12,345 cents is 1,234.5 → 1,235; 10 % of 5,005 yen is 500.5 → 501.
  assert.deepEqual(await transfersOf(api, eurId), [['escrow_fund', 12_345], ['escrow_release', 11_110], ['service_fee', 1_235]]);
  assert.deepEqual(await transfersOf(api, jpyId), [['escrow_fund', 5_005], ['escrow_release', 4_504], ['service_fee', 501]]);
  assert.equal(await platformFees(api, 'eur'), 1_235);
  assert.equal(await platformFees(api, 'jpy'), 501);
  assert.equal(await platformFees(api, 'usd'), 0);
  assert.deepEqual((await milestoneEvents(api, jpyId))[1], { type: 'milestone.released', actor_role: 'client', data: { amount: 5_005, fee: 501, net: 4_504, currency: 'jpy', full: true } });

  assert.deepEqual(await balanceOf(api, freelancer, 'eur'), { available: 0, pending: 11_110, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, freelancer, 'jpy'), { available: 0, pending: 4_504, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, freelancer, 'usd'), { available: 0, pending: 0, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client, 'jpy'), { available: 0, pending: 0, in_escrow: 0 });

  await api.advance({ to: iso(approvedAt + 5 * DAY_MS + 1000) });
  assert.deepEqual(await balanceOf(api, freelancer, 'jpy'), { available: 4_504, pending: 0, in_escrow: 0 });
  const wrongCurrency = await api.post('/v1/payouts', { amount: 4_505, currency: 'jpy' }, freelancer.token);
  assert.equal(wrongCurrency.status, 402, JSON.stringify(wrongCurrency.body));
  await expectOk(api.post('/v1/payouts', { amount: 4_504, currency: 'jpy' }, freelancer.token), 201);
  await expectOk(api.post('/v1/payouts', { amount: 11_110, currency: 'eur' }, freelancer.token), 201);
  const usd = await api.post('/v1/payouts', { amount: 1, currency: 'usd' }, freelancer.token);
  assert.equal(usd.status, 402, JSON.stringify(usd.body));
  await assertLedger(api);
});
