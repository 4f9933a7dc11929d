// A cast and disputes in every state, built through the public API: the
// client, the freelancer, a stranger (another member), staff, an arbitrator and
// another arbitrator, one contract per dispute between the same two parties.

import assert from 'node:assert/strict';
import { startSettle, type TestApi } from './harness.ts';
import { DECLINE, DESCRIPTION, operatorMadeUser } from './disputes.ts';
import { expectOk } from './scenario.ts';

export const WHO = ['client', 'freelancer', 'stranger', 'staff', 'arbitrator', 'other_arbitrator'] as const;
export type Who = (typeof WHO)[number];
export interface Person {
  id: string;
  token: string;
}
export interface World {
  api: TestApi;
  people: Record<Who, Person>;
}

export async function operatorAccount(api: TestApi, name: string, role: 'staff' | 'arbitrator'): Promise<Person> {
  const { id, token } = await operatorMadeUser(api, name, role);
  return { id, token };
}

export async function world(): Promise<World> {
  const api = await startSettle();
  const member = async (name: string) => {
    const u = await api.user(name);
    return { id: u.id, token: u.token };
  };
  return {
    api,
    people: {
      client: await member('Cleo Client'),
      freelancer: await member('Finn Freelancer'),
      stranger: await member('Sam Stranger'),
      staff: await operatorAccount(api, 'Stella Staff', 'staff'),
      // Made first, so it is also the one the least-loaded rule picks on a tie.
      arbitrator: await operatorAccount(api, 'Arbo Arbitrator', 'arbitrator'),
      other_arbitrator: await operatorAccount(api, 'Otto Arbitrator', 'arbitrator'),
    },
  };
}

export const STATES = ['awaiting_response', 'in_review', 'proposal_issued', 'not_resolved', 'in_arbitration', 'resolved', 'withdrawn'] as const;
export type State = (typeof STATES)[number];

export const EXPLANATION = 'Most of the work was delivered; the mobile layouts were missing.';
export const AWARD = 'The work was delivered as specified, except the mobile layouts.';

/** A fresh contract between the world's client and freelancer, one 1,000.00 milestone funded and submitted. */
export async function submittedMilestone(w: World): Promise<string> {
  const { api, people } = w;
  const freelancerEmail = (await expectOk(api.get('/v1/me', people.freelancer.token))).email;
  const contract = await expectOk(
    api.post('/v1/contracts', { title: 'Website redesign', freelancer_email: freelancerEmail, currency: 'usd', milestones: [{ title: 'Design', amount: 100_000 }] }, people.client.token),
    201,
  );
  await expectOk(api.post(`/v1/contracts/${contract.id}/accept`, {}, people.freelancer.token));
  const milestoneId = contract.milestones[0].id as string;
  await expectOk(api.post(`/v1/milestones/${milestoneId}/fund`, { payment_method: 'pm_card_visa' }, people.client.token));
  await expectOk(api.post(`/v1/milestones/${milestoneId}/submit`, { message: 'Final design attached.' }, people.freelancer.token));
  return milestoneId;
}

/** A dispute brought through the public API to `state`; in arbitration it is assigned to `arbitrator`. */
export async function disputeIn(w: World, state: State, o: { file_ids?: string[]; arbitrator?: Who } = {}): Promise<string> {
  const { api, people } = w;
  const milestoneId = await submittedMilestone(w);
  const filed = await expectOk(
    api.post('/v1/disputes', { milestone_id: milestoneId, reason_code: 'work_delivered_not_paid', description: DESCRIPTION, ...(o.file_ids ? { file_ids: o.file_ids } : {}) }, people.freelancer.token),
    201,
  );
  const id = filed.id as string;
  const reached = async () => (await expectOk(api.get(`/v1/disputes/${id}`, people.client.token))).status as State;
  if (state === 'awaiting_response') return id;
  if (state === 'withdrawn') {
    await expectOk(api.post(`/v1/disputes/${id}/withdraw`, {}, people.freelancer.token));
    assert.equal(await reached(), 'withdrawn');
    return id;
  }
  await expectOk(api.post(`/v1/disputes/${id}/decline`, { reason_code: 'requirements_not_met', description: DECLINE }, people.client.token));
  if (state === 'in_review') return id;
  await expectOk(api.post(`/v1/disputes/${id}/proposal`, { freelancer_amount: 60_000, explanation: EXPLANATION }, people.staff.token), 201);
  if (state === 'proposal_issued') return id;
  await expectOk(api.post(`/v1/disputes/${id}/proposal/reject`, {}, people.client.token));
  if (state === 'not_resolved') return id;
  await expectOk(api.post(`/v1/disputes/${id}/arbitration`, {}, people.freelancer.token));
  await expectOk(api.post(`/v1/disputes/${id}/arbitration`, {}, people.client.token));
  // Assigned explicitly: the least-loaded rule depends on the other cases of the world.
  await expectOk(api.admin('POST', `/v1/admin/disputes/${id}/arbitrator`, { arbitrator_id: people[o.arbitrator ?? 'arbitrator'].id }));
  if (state === 'in_arbitration') return id;
  await expectOk(api.post(`/v1/disputes/${id}/award`, { freelancer_amount: 70_000, decision: AWARD }, people[o.arbitrator ?? 'arbitrator'].token));
  assert.equal(await reached(), 'resolved');
  return id;
}

/** Every table a dispute call may touch, and the money: a refused call leaves all of it as it was. */
export async function everything(api: TestApi) {
  const rows = async (sql: string) => (await api.settle.deps.db.query<Record<string, unknown>>(sql)).rows;
  return {
    counts: await rows(
      `select (select count(*) from disputes)::int8 as disputes, (select count(*) from events)::int8 as events, (select count(*) from transfers)::int8 as transfers,
              (select count(*) from dispute_statements)::int8 as statements, (select count(*) from dispute_messages)::int8 as messages,
              (select count(*) from dispute_proposals)::int8 as proposals, (select count(*) from proposal_decisions)::int8 as decisions,
              (select count(*) from arbitration_opt_ins)::int8 as opt_ins, (select count(*) from dispute_awards)::int8 as awards,
              (select count(*) from file_citations)::int8 as citations`,
    ),
    disputes: await rows('select id, status, event_count, last_hash, arbitrator_id, outcome_kind from disputes order by id'),
    milestones: await rows('select id, status, review_due_at, refund_due_at from milestones order by id'),
    accounts: await rows('select id, balance from accounts order by id'),
  };
}
