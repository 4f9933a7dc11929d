// Money moves once when things happen at the same moment (docs/milestones.md:
// every transition locks its milestone and re-checks the state; the sweeper
// picks due rows `for update skip locked`). These races mean most on
// PostgreSQL (DATABASE_URL set), where each request and each sweep batch runs
// on its own pool connection; on the embedded PGlite the transactions queue
// one after another, so the same tests check that either order is right.
// The sandbox clock's advance runs the sweeper inside the request, so racing
// a request against `api.advance` races two database transactions. Each race
// is run three ways (either request first, or one sent the moment the other's
// transaction has begun) so that on PostgreSQL both orders happen, and every
// test also asserts that no transaction had to be retried: the adapter retries
// deadlocks silently, so without that check a lock-order cycle would pass.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Db } from '../src/db/port.ts';
import { partitionFilter, sweepDue, type Rule } from '../src/jobs/engine.ts';
import type { ManualClock } from '../src/lib/clock.ts';
import { createSettle } from '../src/settle.ts';
import { DATABASE_URL, TestApi, freshDb, testConfig } from './support/harness.ts';
import { activeContract, assertLedger, balanceOf, expectOk, type Member } from './support/scenario.ts';

const DAY_MS = 24 * 3600 * 1000;

/** Watches the Settle's transactions: how many had to be run again (deadlock, serialization failure), and a hook on the next one to begin. */
interface TxWatch {
  retries: number;
  onNextBegin: (() => void) | undefined;
}

/** startSettle() of the harness, with its database's transactions watched. */
async function startWatchedSettle(): Promise<{ api: TestApi; watch: TxWatch }> {
  const db = await freshDb();
  const watch: TxWatch = { retries: 0, onNextBegin: undefined };
  const watched: Db = {
    ...db,
    transaction: (fn) => {
      let attempts = 0;
      return db.transaction((tx) => {
        if (++attempts > 1) watch.retries++;
        const hook = watch.onNextBegin;
        watch.onNextBegin = undefined;
        hook?.();
        return fn(tx);
      });
    },
  };
  const settle = await createSettle(testConfig(), { db: watched, checkResponses: true });
  after(() => settle.close());
  return { api: new TestApi(settle), watch };
}

/**
 * Runs `a` and `b` at the same time, in one of three ways so that on
 * PostgreSQL each can win: `a` started first, `b` started first, or `a`
 * started the moment `b`'s first database transaction has begun.
 */
type RaceMode = 'a_first' | 'b_first' | 'a_when_b_begins';
const RACE_MODES: readonly RaceMode[] = ['a_first', 'b_first', 'a_when_b_begins'];

async function race<A, B>(watch: TxWatch, mode: RaceMode, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> {
  if (mode === 'a_first') return Promise.all([a(), b()]);
  if (mode === 'b_first') {
    const [rb, ra] = await Promise.all([b(), a()]);
    return [ra, rb];
  }
  let started: Promise<A> | undefined;
  watch.onNextBegin = () => {
    started = a();
  };
  const rb = await b();
  assert.ok(started, 'b ran a transaction');
  return [await started, rb];
}

/** No transaction had to be retried: the racing requests never waited on each other in a cycle. */
function assertNoRetries(watch: TxWatch): void {
  assert.equal(watch.retries, 0, `${watch.retries} transactions were retried after a deadlock or serialization failure`);
}

/** The service fee of a release, as docs/ledger.md states it. */
const feeOf = (api: TestApi, gross: number) => Math.floor((gross * api.settle.deps.config.feeBps + 5000) / 10_000);
const netOf = (api: TestApi, gross: number) => gross - feeOf(api, gross);

interface EscrowOut {
  /** Transfers out of the milestone's escrow, by kind. */
  releases: number;
  fees: number;
  refunds: number;
  released: number;
  refunded: number;
}

/** Every transfer out of each milestone's escrow account, counted from the ledger. */
async function escrowOut(api: TestApi, ids: readonly string[]): Promise<Map<string, EscrowOut>> {
  const out = new Map<string, EscrowOut>(ids.map((id) => [id, { releases: 0, fees: 0, refunds: 0, released: 0, refunded: 0 }]));
  const rows = await api.settle.deps.db.query<{ ref_id: string; kind: string; n: number; total: number }>(
    `select t.ref_id, t.kind, count(*)::int8 as n, sum(t.amount)::int8 as total
       from transfers t join accounts a on a.id = t.debit_account_id
      where a.kind = 'escrow' and t.ref_id = any($1::text[])
      group by t.ref_id, t.kind`,
    [ids],
  );
  for (const r of rows.rows) {
    const o = out.get(r.ref_id)!;
    if (r.kind === 'escrow_release') o.releases += r.n;
    else if (r.kind === 'service_fee') o.fees += r.n;
    else if (r.kind === 'escrow_refund') o.refunds += r.n;
    else assert.fail(`unexpected transfer ${r.kind} out of escrow`);
    if (r.kind === 'escrow_refund') o.refunded += r.total;
    else o.released += r.total;
  }
  return out;
}

async function eventCount(api: TestApi, milestoneId: string, type: string): Promise<number> {
  const r = await api.settle.deps.db.query<{ n: number }>('select count(*)::int8 as n from events where milestone_id = $1 and type = $2', [milestoneId, type]);
  return r.rows[0]!.n;
}

/** Another accepted contract between the same two members. */
async function contractBetween(api: TestApi, client: Member, freelancer: Member, amounts: number[]): Promise<{ id: string; milestoneIds: string[] }> {
  const offered = await expectOk(
    api.post('/v1/contracts', { title: 'Race', freelancer_email: freelancer.email, currency: 'usd', milestones: amounts.map((amount, i) => ({ title: `Part ${i + 1}`, amount })) }, client.token),
    201,
  );
  await expectOk(api.post(`/v1/contracts/${offered.id}/accept`, {}, freelancer.token));
  return { id: offered.id, milestoneIds: offered.milestones.map((m: { id: string }) => m.id) };
}

const fund = (api: TestApi, client: Member, id: string) => expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token));
const submit = (api: TestApi, freelancer: Member, id: string) => expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Done.' }, freelancer.token));

test('the client approving as the review window ends and the auto-release racing it pay each milestone exactly once', async (t) => {
  const { api, watch } = await startWatchedSettle();
  const amounts = Array.from({ length: 20 }, (_, i) => 10_000 + i * 1_237);
  const { client, freelancer, milestoneIds } = await activeContract(api, amounts);
  for (const id of milestoneIds) await fund(api, client, id);
  // One submission a second, so each milestone's window ends a second after the one before.
  const dues: string[] = [];
  for (const id of milestoneIds) {
    dues.push((await submit(api, freelancer, id)).review_due_at);
    await api.advance({ seconds: 1 });
  }

  const won = { client: 0, deadline: 0 };
  for (const [i, id] of milestoneIds.entries()) {
    await api.advance({ to: dues[i]! });
    const atDeadline = (await api.get(`/v1/milestones/${id}`, client.token)).body;
    assert.equal(atDeadline.status, 'submitted', 'exactly at review_due_at the window has not passed yet');
    assert.equal(atDeadline.escrow_amount, amounts[i]);

    const [res] = await race(
      watch,
      RACE_MODES[i % RACE_MODES.length]!,
      () => api.post(`/v1/milestones/${id}/approve`, {}, client.token),
      () => api.advance({ seconds: 1 }),
    );
    if (res.status === 200) won.client++;
    else {
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'milestone_settled');
      won.deadline++;
    }
    const after = (await api.get(`/v1/milestones/${id}`, client.token)).body;
    assert.deepEqual([after.status, after.escrow_amount, after.released_amount, after.refunded_amount], ['paid', 0, amounts[i], 0]);
    assert.equal(await eventCount(api, id, 'milestone.released'), 1);
  }
  t.diagnostic(`client approval first: ${won.client}, auto-release first: ${won.deadline}`);

  const moves = await escrowOut(api, milestoneIds);
  for (const [i, id] of milestoneIds.entries()) {
    assert.deepEqual(moves.get(id), { releases: 1, fees: 1, refunds: 0, released: amounts[i], refunded: 0 }, `milestone ${i}`);
  }
  const nets = amounts.reduce((sum, a) => sum + netOf(api, a), 0);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: nets, in_escrow: 0 });
  assertNoRetries(watch);
  await assertLedger(api);
});

test('two approvals of the same milestone at once release its escrow once: one 200, the other refused', async () => {
  const { api, watch } = await startWatchedSettle();
  const amount = 50_000;
  // Full + full: one is 409. Part + part where only one fits: one is 400. Part + part where both fit: both 200, in turn.
  const cases = [
    ...Array.from({ length: 6 }, () => ({ body: {}, statuses: [200, 409], code: 'milestone_settled', released: amount, releases: 1 })),
    ...Array.from({ length: 4 }, () => ({ body: { amount: 30_000 }, statuses: [200, 400], code: 'amount_exceeds_escrow', released: 30_000, releases: 1 })),
    ...Array.from({ length: 4 }, () => ({ body: { amount: 20_000 }, statuses: [200, 200], code: undefined, released: 40_000, releases: 2 })),
  ];
  const { client, freelancer, milestoneIds } = await activeContract(api, cases.map(() => amount));
  for (const id of milestoneIds) await fund(api, client, id);

  for (const [i, id] of milestoneIds.entries()) {
    const c = cases[i]!;
    const approve = () => api.post(`/v1/milestones/${id}/approve`, c.body, client.token);
    // Sent together, or the second the moment the first one's transaction has begun.
    const both = await race(watch, i % 2 === 0 ? 'a_first' : 'a_when_b_begins', approve, approve);
    assert.deepEqual(both.map((r) => r.status).sort(), c.statuses, JSON.stringify(both.map((r) => r.body)));
    const refused = both.find((r) => r.status !== 200);
    if (c.code) assert.equal(refused?.body.error.code, c.code);
    const after = (await api.get(`/v1/milestones/${id}`, client.token)).body;
    assert.equal(after.released_amount, c.released);
    assert.equal(after.escrow_amount, amount - c.released);
    assert.equal(after.status, c.released === amount ? 'paid' : 'refund_requested');
    if (c.releases === 2) {
      // The second approval kept the refund window the first one opened.
      assert.ok(both.every((r) => r.body.refund_due_at === after.refund_due_at));
    }
    assert.equal(await eventCount(api, id, 'milestone.released'), c.releases);
    assert.deepEqual(await eventCount(api, id, 'milestone.refund_requested'), c.released === amount ? 0 : 1);
  }

  const moves = await escrowOut(api, milestoneIds);
  for (const [i, id] of milestoneIds.entries()) {
    const c = cases[i]!;
    assert.equal(moves.get(id)!.releases, c.releases, `milestone ${i}`);
    assert.equal(moves.get(id)!.released, c.released, `milestone ${i}`);
  }
  const nets = cases.reduce((sum, c) => sum + (c.releases === 2 ? 2 * netOf(api, 20_000) : netOf(api, c.released)), 0);
  assert.equal((await balanceOf(api, freelancer)).pending, nets);
  assertNoRetries(watch);
  await assertLedger(api);
});

test('an approval racing the freelancer ending the contract leaves each milestone settled once: paid if the approval came first, else refunded', async (t) => {
  const { api, watch } = await startWatchedSettle();
  const client = await api.user('Cleo Client');
  const freelancer = await api.user('Finn Freelancer');
  const amount = 40_000;
  const won = { approval: 0, end: 0 };
  const settled: string[] = [];
  let clientRefunds = 0;
  for (let i = 0; i < 12; i++) {
    // One funded milestone (submitted or not) and one never funded, which ending cancels.
    const contract = await contractBetween(api, client, freelancer, [amount, 9_999]);
    const id = contract.milestoneIds[0]!;
    await fund(api, client, id);
    if (i % 3 !== 0) await submit(api, freelancer, id);
    const release = i % 2 === 0 ? amount : 25_000;
    const [approved, ended] = await race(
      watch,
      RACE_MODES[i % RACE_MODES.length]!,
      () => api.post(`/v1/milestones/${id}/approve`, release === amount ? {} : { amount: release }, client.token),
      () => api.post(`/v1/contracts/${contract.id}/end`, { reason: 'Cannot continue' }, freelancer.token),
    );

    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    assert.equal(ended.body.status, 'ended');
    assert.equal(ended.body.milestones[1].status, 'cancelled');
    const after = (await api.get(`/v1/milestones/${id}`, client.token)).body;
    assert.equal(after.escrow_amount, 0);
    assert.equal(after.released_amount + after.refunded_amount, amount);
    if (approved.status === 200) {
      won.approval++;
      // Approved first: the release stands; ending returned whatever was left.
      assert.deepEqual([after.status, after.released_amount, after.refunded_amount], ['paid', release, amount - release]);
    } else {
      won.end++;
      assert.equal(approved.status, 409, JSON.stringify(approved.body));
      assert.equal(approved.body.error.code, 'milestone_settled');
      assert.deepEqual([after.status, after.released_amount, after.refunded_amount], ['refunded', 0, amount]);
    }
    clientRefunds += after.refunded_amount;
    settled.push(id);
    const moves = (await escrowOut(api, [id])).get(id)!;
    assert.ok(moves.releases <= 1 && moves.refunds <= 1, JSON.stringify(moves));
    assert.deepEqual([moves.released, moves.refunded], [after.released_amount, after.refunded_amount]);
  }
  t.diagnostic(`approval first: ${won.approval}, ending first: ${won.end}`);
  assert.equal((await balanceOf(api, client)).available, clientRefunds);
  assertNoRetries(watch);
  await assertLedger(api);
});

test('the freelancer approving a refund as its 7-day window ends and the automatic refund racing it refund each milestone once', async (t) => {
  const { api, watch } = await startWatchedSettle();
  const amount = 30_000;
  const won = { freelancer: 0, deadline: 0 };

  // Refund requests from partial approvals, one a second apart: each raced on its own.
  const partial = await activeContract(api, Array.from({ length: 10 }, () => amount));
  const { client, freelancer } = partial;
  for (const id of partial.milestoneIds) await fund(api, client, id);
  const dues: string[] = [];
  for (const id of partial.milestoneIds) {
    dues.push((await expectOk(api.post(`/v1/milestones/${id}/approve`, { amount: 12_000 }, client.token))).refund_due_at);
    await api.advance({ seconds: 1 });
  }
  // Refund requests from the client ending a contract, all due at the same instant: raced all at once.
  const ending = await contractBetween(api, client, freelancer, Array.from({ length: 8 }, () => amount));
  for (const id of ending.milestoneIds) await fund(api, client, id);
  for (const id of ending.milestoneIds.slice(0, 4)) await submit(api, freelancer, id);
  const endedBody = await expectOk(api.post(`/v1/contracts/${ending.id}/end`, {}, client.token));
  const endingDue = endedBody.milestones[0].refund_due_at as string;
  assert.ok(endedBody.milestones.every((m: { status: string; refund_due_at: string }) => m.status === 'refund_requested' && m.refund_due_at === endingDue));

  const count = (status: number) => {
    if (status === 200) won.freelancer++;
    else won.deadline++;
  };
  const approveRefund = (id: string) => api.post(`/v1/milestones/${id}/refund/approve`, {}, freelancer.token);
  for (const [i, id] of partial.milestoneIds.entries()) {
    await api.advance({ to: dues[i]! });
    assert.equal((await api.get(`/v1/milestones/${id}`, client.token)).body.status, 'refund_requested', 'exactly at refund_due_at the window has not passed yet');
    const [r] = await race(watch, RACE_MODES[i % RACE_MODES.length]!, () => approveRefund(id), () => api.advance({ seconds: 1 }));
    assert.ok(r.status === 200 || (r.status === 409 && r.body.error.code === 'milestone_settled'), JSON.stringify(r.body));
    count(r.status);
  }
  await api.advance({ to: endingDue });
  const raced = await Promise.all([...ending.milestoneIds.map((id) => approveRefund(id)), api.advance({ seconds: 1 })]);
  for (const r of raced.slice(0, -1)) {
    assert.ok(r.status === 200 || (r.status === 409 && r.body.error.code === 'milestone_settled'), JSON.stringify(r.body));
    count(r.status);
  }
  t.diagnostic(`freelancer first: ${won.freelancer}, deadline first: ${won.deadline}`);

  const moves = await escrowOut(api, [...partial.milestoneIds, ...ending.milestoneIds]);
  for (const id of partial.milestoneIds) {
    const m = (await api.get(`/v1/milestones/${id}`, client.token)).body;
    assert.deepEqual([m.status, m.escrow_amount, m.released_amount, m.refunded_amount], ['paid', 0, 12_000, 18_000]);
    assert.deepEqual(moves.get(id), { releases: 1, fees: 1, refunds: 1, released: 12_000, refunded: 18_000 });
    assert.equal(await eventCount(api, id, 'milestone.refunded'), 1);
  }
  for (const id of ending.milestoneIds) {
    const m = (await api.get(`/v1/milestones/${id}`, client.token)).body;
    assert.deepEqual([m.status, m.escrow_amount, m.released_amount, m.refunded_amount], ['refunded', 0, 0, amount]);
    assert.deepEqual(moves.get(id), { releases: 0, fees: 0, refunds: 1, released: 0, refunded: amount });
    assert.equal(await eventCount(api, id, 'milestone.refunded'), 1);
  }
  assert.equal((await balanceOf(api, client)).available, 10 * 18_000 + 8 * amount);
  assertNoRetries(watch);
  await assertLedger(api);
});

test('a client funding milestones by card while paying out its balance never deadlocks, even when the world account locks first', async () => {
  const { api, watch } = await startWatchedSettle();
  // Accounts are locked in id order; give the world the lowest id, so a payout locks it before the client's balance.
  await api.settle.deps.db.query(`insert into accounts (id, kind, owner_id, currency, created_at) values ('acct_0000000000000000000000', 'world', null, 'usd', $1)`, [
    api.settle.deps.clock.now(),
  ]);
  const client = await api.user('Cleo Client');
  const freelancer = await api.user('Finn Freelancer');
  await api.credit(client.id, 100_000);
  const contract = await contractBetween(api, client, freelancer, Array.from({ length: 12 }, () => 5_000));
  for (const [i, id] of contract.milestoneIds.entries()) {
    const [funded, paidOut] = await race(
      watch,
      RACE_MODES[i % RACE_MODES.length]!,
      () => api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token),
      () => api.post('/v1/payouts', { amount: 1_000, currency: 'usd' }, client.token),
    );
    assert.equal(funded.status, 200, JSON.stringify(funded.body));
    assert.equal(paidOut.status, 201, JSON.stringify(paidOut.body));
  }
  assert.deepEqual(await balanceOf(api, client), { available: 100_000 - 12 * 1_000, pending: 0, in_escrow: 12 * 5_000 });
  const world = await api.settle.deps.db.query<{ balance: number }>(`select balance from accounts where kind = 'world' and currency = 'usd'`);
  assert.deepEqual(world.rows, [{ balance: -100_000 - 12 * 5_000 + 12 * 1_000 }]);
  assertNoRetries(watch);
  await assertLedger(api);
});

/** The Settle's rules, each counting the rows it applied (other rules, such as reminders, may apply rows of their own); batches of `limit` rows when given. */
function countingRules(rules: readonly Rule[], limit?: number): { rules: Rule[]; applied: Record<string, number> } {
  const applied: Record<string, number> = {};
  return {
    applied,
    rules: rules.map((rule) => ({
      ...rule,
      async runBatch(deps, now, until, batchLimit, part) {
        const n = await rule.runBatch(deps, now, until, limit ?? batchLimit, part);
        applied[rule.name] = (applied[rule.name] ?? 0) + n;
        return n;
      },
    })),
  };
}

/** The partition of a sweep's loops (SETTLE_SWEEP_WORKERS = 2) a member's rows fall in, asked of `partitionFilter` itself. */
async function partitionOf(api: TestApi, userId: string): Promise<number> {
  const r = await api.settle.deps.db.query<{ second: boolean }>(`select true${partitionFilter('$1::text', { index: 1, count: 2 })} as second`, [userId]);
  return r.rows[0]!.second ? 1 : 0;
}

test('on PostgreSQL a release batch of one loop takes only the milestones of the freelancers in its partition, and one sweep of two loops releases every due milestone once', { skip: !DATABASE_URL && 'PostgreSQL only: PGlite runs one loop' }, async () => {
  const { api, watch } = await startWatchedSettle();
  assert.equal(api.settle.deps.config.sweepWorkers, 2);
  const client = await api.user('Cleo Client');
  // Two freelancers in each partition.
  const byPartition: Member[][] = [[], []];
  for (let n = 0; (byPartition[0]!.length < 2 || byPartition[1]!.length < 2) && n < 60; n++) {
    const candidate = await api.user(`Freelancer ${n}`);
    const mine = byPartition[await partitionOf(api, candidate.id)]!;
    if (mine.length < 2) mine.push(candidate);
  }
  assert.deepEqual(byPartition.map((p) => p.length), [2, 2], 'found two freelancers in each partition');
  const amount = 10_000;
  const ids = new Map<Member, string[]>();
  for (const freelancer of byPartition.flat()) {
    const mine = await fundedMilestones(api, client, freelancer, 1, amount);
    for (const id of mine) await submit(api, freelancer, id);
    ids.set(freelancer, mine);
  }
  const clock = api.settle.deps.clock as ManualClock;
  const now = new Date(clock.now().getTime() + 14 * DAY_MS + 1);
  clock.set(now);
  const review = api.settle.rules.find((r) => r.name === 'review_window')!;
  const paid = async (freelancer: Member) =>
    (await api.settle.deps.db.query<{ n: number }>(`select count(*)::int8 as n from milestones where id = any($1::text[]) and status = 'paid'`, [ids.get(freelancer)!])).rows[0]!.n;

  // A batch of partition 1 of 2 releases the first freelancer of partition 1, all of it, and nothing of partition 0.
  assert.equal(await review.runBatch(api.settle.deps, now, now, 50, { index: 1, count: 2 }), 50);
  assert.deepEqual(await Promise.all(byPartition.flat().map(paid)), [0, 0, 50, 0]);
  // The whole sweep, two loops at once, in batches of 10: the other 150, each once.
  const counted = countingRules(api.settle.rules, 10);
  const result = await sweepDue(api.settle.deps, counted.rules, now);
  assert.equal(counted.applied.review_window, 150, JSON.stringify(counted.applied));
  assert.equal(result.applied, Object.values(counted.applied).reduce((sum, n) => sum + n, 0));
  for (const freelancer of byPartition.flat()) {
    assert.equal(await paid(freelancer), 50);
    const moves = await escrowOut(api, ids.get(freelancer)!);
    for (const id of ids.get(freelancer)!) assert.deepEqual(moves.get(id), { releases: 1, fees: 1, refunds: 0, released: amount, refunded: 0 });
    assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 50 * netOf(api, amount), in_escrow: 0 });
  }
  assert.equal((await sweepDue(api.settle.deps, api.settle.rules, now)).applied, 0);
  assertNoRetries(watch);
  await assertLedger(api);
});

/** Four contracts of 50 milestones each (the most a contract holds), funded. */
async function fundedMilestones(api: TestApi, client: Member, freelancer: Member, contracts: number, amount: number): Promise<string[]> {
  const ids: string[] = [];
  for (let c = 0; c < contracts; c++) {
    const contract = await contractBetween(api, client, freelancer, Array.from({ length: 50 }, () => amount));
    ids.push(...contract.milestoneIds);
  }
  for (const id of ids) await fund(api, client, id);
  return ids;
}

test('four sweeps at once over 200 milestones whose review window ended release each exactly once', async () => {
  const { api, watch } = await startWatchedSettle();
  const client = await api.user('Cleo Client');
  const freelancer = await api.user('Finn Freelancer');
  const amount = 7_777;
  const ids = await fundedMilestones(api, client, freelancer, 4, amount);
  let due = '';
  for (const id of ids) due = (await submit(api, freelancer, id)).review_due_at;

  // Past the window without the API's advance, which would sweep on its own.
  const clock = api.settle.deps.clock as ManualClock;
  const now = new Date(Date.parse(due) + 1);
  clock.set(now);
  const counted = countingRules(api.settle.rules);
  const results = await Promise.all([1, 2, 3, 4].map(() => sweepDue(api.settle.deps, counted.rules, now)));
  assert.equal(counted.applied.review_window, 200, JSON.stringify(counted.applied));
  assert.equal(counted.applied.refund_window ?? 0, 0);
  assert.equal(counted.applied.pending_hold ?? 0, 0);
  assert.equal(
    results.reduce((sum, r) => sum + r.applied, 0),
    Object.values(counted.applied).reduce((sum, n) => sum + n, 0),
  );

  const moves = await escrowOut(api, ids);
  for (const id of ids) assert.deepEqual(moves.get(id), { releases: 1, fees: 1, refunds: 0, released: amount, refunded: 0 });
  const statuses = await api.settle.deps.db.query<{ status: string; n: number }>('select status, count(*)::int8 as n from milestones where id = any($1::text[]) group by status', [ids]);
  assert.deepEqual(statuses.rows, [{ status: 'paid', n: 200 }]);
  const released = await api.settle.deps.db.query<{ n: number }>(`select count(*)::int8 as n from events where type = 'milestone.released' and milestone_id = any($1::text[])`, [ids]);
  assert.equal(released.rows[0]!.n, 200);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 200 * netOf(api, amount), in_escrow: 0 });
  // Nothing is left due: a fifth sweep finds nothing.
  assert.equal((await sweepDue(api.settle.deps, api.settle.rules, now)).applied, 0);
  assertNoRetries(watch);
  await assertLedger(api);
});

test('four sweeps at once in small batches interleave review releases, refund-window refunds and hold releases without applying any row twice', async () => {
  const { api, watch } = await startWatchedSettle();
  const client = await api.user('Cleo Client');
  const freelancer = await api.user('Finn Freelancer');
  const amount = 10_000;
  const part = 3_000;
  const ids = await fundedMilestones(api, client, freelancer, 4, amount);
  const toReview = ids.slice(0, 100);
  const toRefund = ids.slice(100);
  for (const id of toReview) await submit(api, freelancer, id);
  // A partial release each: a hold that ends in 5 days, a refund request that ends in 7.
  for (const id of toRefund) await expectOk(api.post(`/v1/milestones/${id}/approve`, { amount: part }, client.token));

  const clock = api.settle.deps.clock as ManualClock;
  const now = new Date(clock.now().getTime() + 14 * DAY_MS + 1);
  clock.set(now);
  // Batches of 7 rows, so the four sweeps take turns and skip each other's locked rows.
  const counted = countingRules(api.settle.rules, 7);
  await Promise.all([1, 2, 3, 4].map(() => sweepDue(api.settle.deps, counted.rules, now)));
  // 100 review releases, 100 refunds, and the 100 holds of the partial releases.
  assert.deepEqual(
    { review: counted.applied.review_window, refund: counted.applied.refund_window, hold: counted.applied.pending_hold },
    { review: 100, refund: 100, hold: 100 },
    JSON.stringify(counted.applied),
  );

  const moves = await escrowOut(api, ids);
  for (const id of toReview) assert.deepEqual(moves.get(id), { releases: 1, fees: 1, refunds: 0, released: amount, refunded: 0 });
  for (const id of toRefund) assert.deepEqual(moves.get(id), { releases: 1, fees: 1, refunds: 1, released: part, refunded: amount - part });
  const holds = await api.settle.deps.db.query<{ n: number }>(`select count(*)::int8 as n from transfers where kind = 'hold_release'`);
  assert.equal(holds.rows[0]!.n, 100);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 100 * netOf(api, part), pending: 100 * netOf(api, amount), in_escrow: 0 });
  assert.equal((await balanceOf(api, client)).available, 100 * (amount - part));
  assert.equal((await sweepDue(api.settle.deps, api.settle.rules, now)).applied, 0);
  assertNoRetries(watch);
  await assertLedger(api);
});
