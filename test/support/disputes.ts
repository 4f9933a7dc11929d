// Steps shared by dispute scenarios: a submitted milestone, a filed dispute,
// staff and arbitrator accounts, and checking the record's hash chain.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src/lib/canonical-json.ts';
import { randomToken } from '../../src/lib/ids.ts';
import type { TestApi } from './harness.ts';
import { activeContract, expectOk } from './scenario.ts';

export const DESCRIPTION = 'I delivered the full design on time as agreed in the contract brief.';
export const DECLINE = 'The delivered design misses the mobile layouts the brief required in section 2.';

export async function disputedMilestone(api: TestApi, o: { amount?: number; requested?: number; currency?: string; clientExtra?: Record<string, unknown> } = {}) {
  const setup = await activeContract(api, [o.amount ?? 100_000], o.currency ?? 'usd', { client: o.clientExtra ?? {} });
  const id = setup.milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, setup.client.token));
  await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Final design attached.' }, setup.freelancer.token));
  const dispute = await expectOk(
    api.post('/v1/disputes', { milestone_id: id, reason_code: 'work_delivered_not_paid', description: DESCRIPTION, ...(o.requested ? { amount: o.requested } : {}) }, setup.freelancer.token),
    201,
  );
  return { ...setup, milestoneId: id, dispute };
}

export async function staffAndArbitrator(api: TestApi) {
  return { staff: await operatorMadeUser(api, 'Stella', 'staff'), arbitrator: await operatorMadeUser(api, 'Arbo', 'arbitrator') };
}

export const STAFF_PASSWORD = 'a long staff password';

/** A staff or arbitrator account made by the operator, signed in; any number per test (unique emails). */
export async function operatorMadeUser(api: TestApi, name: string, role: 'staff' | 'arbitrator') {
  const email = `${name.toLowerCase().replace(/\W/g, '')}.${randomToken(4).replace(/\W/g, '').toLowerCase()}@settle.example`;
  await expectOk(api.admin('POST', '/v1/admin/users', { email, password: STAFF_PASSWORD, name, role }), 201);
  const session = await expectOk(api.post('/v1/sessions', { email, password: STAFF_PASSWORD }), 201);
  return { id: session.user.id as string, token: session.token as string, email, password: STAFF_PASSWORD };
}

/** Recomputes every hash of the chain from what the API returns. */
export async function assertChain(api: TestApi, disputeId: string, token: string): Promise<string[]> {
  const events = (await expectOk(api.get(`/v1/disputes/${disputeId}/events`, token))).data as Array<Record<string, unknown> & { hash: string; prev_hash: string; seq: number; type: string }>;
  let prev = '0'.repeat(64);
  for (const [i, event] of events.entries()) {
    const { hash, ...rest } = event;
    assert.equal(event.seq, i + 1);
    assert.equal(event.prev_hash, prev, `event ${event.seq} links to the one before`);
    assert.equal(createHash('sha256').update(prev + canonicalJson(rest)).digest('hex'), hash, `event ${event.seq} hash`);
    prev = hash;
  }
  return events.map((e) => e.type);
}
