// Shared steps for contract scenarios: two members, an accepted contract, and
// the ledger checks every scenario ends with.

import assert from 'node:assert/strict';
import type { TestApi } from './harness.ts';

export type Member = Awaited<ReturnType<TestApi['user']>>;

/** `parties` adds sign-up fields (e.g. `time_zone`, `country`) to the client or the freelancer. */
export async function activeContract(
  api: TestApi,
  amounts: number[] = [100_000],
  currency = 'usd',
  parties: { client?: Record<string, unknown>; freelancer?: Record<string, unknown> } = {},
) {
  const client = await api.user('Cleo Client', parties.client ?? {});
  const freelancer = await api.user('Finn Freelancer', parties.freelancer ?? {});
  const offered = await api.post(
    '/v1/contracts',
    { title: 'Website redesign', freelancer_email: freelancer.email, currency, milestones: amounts.map((amount, i) => ({ title: `Milestone ${i + 1}`, amount })) },
    client.token,
  );
  assert.equal(offered.status, 201, JSON.stringify(offered.body));
  const accepted = await api.post(`/v1/contracts/${offered.body.id}/accept`, {}, freelancer.token);
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  return { client, freelancer, contract: accepted.body, milestoneIds: accepted.body.milestones.map((m: { id: string }) => m.id) as string[] };
}

export async function expectOk<T = any>(promise: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const res = await promise;
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

/** The ledger verifies: balances match entries, currencies sum to zero, nothing but the world is negative. */
export async function assertLedger(api: TestApi): Promise<void> {
  const report = await api.verifyLedger();
  assert.equal(report.ok, true, report.problems.join('\n'));
  const negative = await api.settle.deps.db.query(`select id, kind, balance from accounts where kind <> 'world' and balance < 0`);
  assert.deepEqual(negative.rows, []);
}

export async function balanceOf(api: TestApi, member: Member, currency = 'usd') {
  const body = (await api.get('/v1/balance', member.token)).body;
  const pick = (list: Array<{ amount: number; currency: string }>) => list.find((x) => x.currency === currency)?.amount ?? 0;
  return { available: pick(body.available), pending: pick(body.pending), in_escrow: pick(body.in_escrow) };
}

export async function eventTypes(api: TestApi, milestoneId: string): Promise<string[]> {
  const r = await api.settle.deps.db.query<{ type: string }>('select type from events where milestone_id = $1 order by seq', [milestoneId]);
  return r.rows.map((e) => e.type);
}
