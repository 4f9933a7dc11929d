// Every dispute deadline on the sandbox clock, one second before and one second
// after each one (PRODUCT.md "Time" and "Disputes"): the client's business-day
// response window in their own zone and country, the 2-day proposal window,
// the 7-day arbitration opt-in, withdrawal resuming the milestone's own clock,
// the staff review target, arbitrator assignment and the arbitration fee.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DATABASE_URL, startSettle, type TestApi } from './support/harness.ts';
import { DECLINE, DESCRIPTION, assertChain, disputedMilestone, operatorMadeUser } from './support/disputes.ts';
import { activeContract, assertLedger, balanceOf, expectOk, type Member } from './support/scenario.ts';
import { assertDeadlineNotPassed } from '../src/domain/dispute.ts';

const SECOND = 1000;
const HOUR = 60 * 60 * SECOND;
const DAY = 24 * HOUR;
const T0 = '2026-12-01T09:00:00.000Z';
const EXPLANATION = 'Half of the screens meet the brief; the mobile layouts are missing.';
const AWARD = 'The work was delivered as specified except for the mobile layouts.';

const at = (instant: string, ms: number) => new Date(Date.parse(instant) + ms).toISOString();

async function dispute(api: TestApi, id: string, token: string) {
  return expectOk(api.get(`/v1/disputes/${id}`, token));
}
async function milestone(api: TestApi, id: string, token: string) {
  return expectOk(api.get(`/v1/milestones/${id}`, token));
}
async function clockNow(api: TestApi): Promise<string> {
  return (await expectOk(api.admin('GET', '/v1/test_helpers/clock'))).now;
}
/** What the ledger holds in arbitration fees for one dispute (0 when no account was ever opened). */
async function feesHeld(api: TestApi, disputeId: string): Promise<number> {
  const r = await api.settle.deps.db.query<{ total: number }>(`select coalesce(sum(balance), 0)::int8 as total from accounts where kind = 'arbitration_fees' and owner_id = $1`, [disputeId]);
  return r.rows[0]!.total;
}
async function platformFees(api: TestApi, currency = 'usd'): Promise<number> {
  const r = await api.settle.deps.db.query<{ total: number }>(`select coalesce(sum(balance), 0)::int8 as total from accounts where kind = 'platform_fees' and currency = $1`, [currency]);
  return r.rows[0]!.total;
}
/** The outcome without its instant, which each test checks on its own. */
function outcomeOf(d: { outcome: { kind: string; freelancer_amount: number; client_amount: number; resolved_at: string } | null }) {
  if (!d.outcome) return null;
  const { resolved_at: _, ...rest } = d.outcome;
  return rest;
}

/** A dispute that reached staff review (filed and declined now). */
async function inReview(api: TestApi, o: Parameters<typeof disputedMilestone>[1] = {}) {
  const setup = await disputedMilestone(api, o);
  const staff = await operatorMadeUser(api, 'Stella Staff', 'staff');
  const declined = await expectOk(api.post(`/v1/disputes/${setup.dispute.id}/decline`, { reason_code: 'requirements_not_met', description: DECLINE }, setup.client.token));
  assert.equal(declined.status, 'in_review');
  return { ...setup, staff };
}

/** A dispute with a proposal issued now. */
async function withProposal(api: TestApi, freelancerAmount = 50_000, o: Parameters<typeof disputedMilestone>[1] = {}) {
  const setup = await inReview(api, o);
  const proposed = await expectOk(api.post(`/v1/disputes/${setup.dispute.id}/proposal`, { freelancer_amount: freelancerAmount, explanation: EXPLANATION }, setup.staff.token), 201);
  assert.equal(proposed.status, 'proposal_issued');
  return { ...setup, proposed };
}

/** A dispute whose proposal the client rejected now: Notice of Non-Resolution, 7 days to opt in. */
async function notResolved(api: TestApi, o: Parameters<typeof disputedMilestone>[1] = {}) {
  const setup = await withProposal(api, 50_000, o);
  const rejected = await expectOk(api.post(`/v1/disputes/${setup.dispute.id}/proposal/reject`, {}, setup.client.token));
  assert.equal(rejected.status, 'not_resolved');
  return { ...setup, rejected };
}

/** A dispute in arbitration: proposal rejected, both parties paid by card. */
async function inArbitration(api: TestApi, o: Parameters<typeof disputedMilestone>[1] = {}) {
  const setup = await notResolved(api, o);
  await expectOk(api.post(`/v1/disputes/${setup.dispute.id}/arbitration`, { payment_method: 'pm_card_visa' }, setup.freelancer.token));
  const started = await expectOk(api.post(`/v1/disputes/${setup.dispute.id}/arbitration`, { payment_method: 'pm_card_visa' }, setup.client.token));
  assert.equal(started.status, 'in_arbitration');
  return { ...setup, started };
}

async function fundAndSubmit(api: TestApi, client: Member, freelancer: Member, milestoneId: string) {
  await expectOk(api.post(`/v1/milestones/${milestoneId}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  return expectOk(api.post(`/v1/milestones/${milestoneId}/submit`, { message: 'Final design attached.' }, freelancer.token));
}

async function file(api: TestApi, freelancer: Member, milestoneId: string, amount?: number) {
  return expectOk(api.post('/v1/disputes', { milestone_id: milestoneId, reason_code: 'work_delivered_not_paid', description: DESCRIPTION, ...(amount ? { amount } : {}) }, freelancer.token), 201);
}

// ─── The response window ──────────────────────────────────────────────────

test('the response deadline counts 5 business days in the client’s own zone and country, skipping Thanksgiving and the weekend', async () => {
  const api = await startSettle({ env: { SETTLE_CLOCK_START: '2026-11-24T15:00:00Z' } });
  // Filed Tuesday 2026-11-24 10:00 EST. Counted: Wed 25, Fri 27, Mon 30, Tue Dec 1, Wed Dec 2; due Wed Dec 2 23:59:59 EST.
  const { client, freelancer, dispute: filed, milestoneId } = await disputedMilestone(api, { clientExtra: { time_zone: 'America/New_York', country: 'US' } });
  const me = await expectOk(api.get('/v1/me', client.token));
  assert.equal(me.time_zone, 'America/New_York');
  assert.equal(me.country, 'US');
  const due = '2026-12-03T04:59:59.000Z';
  assert.equal(filed.status, 'awaiting_response');
  assert.equal(filed.response_due_at, due);
  assert.deepEqual(filed.next_deadline, { kind: 'response', due_at: due, party: 'client' });
  const expectedBasis = {
    rule: 'business_days',
    days: 5,
    from: '2026-11-24T15:00:00.000Z',
    time_zone: 'America/New_York',
    country: 'US',
    event_local_date: '2026-11-24',
    counted: ['2026-11-25', '2026-11-27', '2026-11-30', '2026-12-01', '2026-12-02'],
    skipped: [
      { date: '2026-11-26', reason: 'public_holiday', name: 'Thanksgiving Day' },
      { date: '2026-11-28', reason: 'weekend' },
      { date: '2026-11-29', reason: 'weekend' },
    ],
    ends_local: '2026-12-02T23:59:59',
  };
  assert.deepEqual(filed.response_deadline_basis, expectedBasis);
  // Stored with the deadline, and in the record.
  const stored = await api.settle.deps.db.query<{ response_deadline_basis: unknown; response_due_at: Date }>('select response_deadline_basis, response_due_at from disputes where id = $1', [filed.id]);
  assert.deepEqual(stored.rows[0]!.response_deadline_basis, expectedBasis);
  assert.equal(stored.rows[0]!.response_due_at.toISOString(), due);

  await api.advance({ to: due });
  const atDue = await dispute(api, filed.id, client.token);
  assert.equal(atDue.status, 'awaiting_response');
  assert.equal(atDue.outcome, null);
  assert.deepEqual(atDue.next_deadline, { kind: 'response', due_at: due, party: 'client' });
  assert.equal((await milestone(api, milestoneId, client.token)).status, 'in_dispute');
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 100_000 });
  assert.equal((await balanceOf(api, client)).in_escrow, 100_000);

  await api.advance({ seconds: 1 });
  const resolved = await dispute(api, filed.id, client.token);
  assert.equal(resolved.status, 'resolved');
  assert.deepEqual(outcomeOf(resolved), { kind: 'response_deadline_missed', freelancer_amount: 100_000, client_amount: 0 });
  assert.ok(resolved.outcome.resolved_at > due && resolved.outcome.resolved_at <= at(due, SECOND), `resolved just after the deadline, at ${resolved.outcome.resolved_at}`);
  assert.equal(resolved.next_deadline, null);
  assert.equal((await milestone(api, milestoneId, client.token)).status, 'paid');
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 90_000, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 0 });
  assert.equal(await platformFees(api), 10_000);
  const types = await assertChain(api, filed.id, freelancer.token);
  assert.deepEqual(types, ['dispute.filed', 'dispute.response_deadline_passed', 'dispute.resolved']);
  const events = (await expectOk(api.get(`/v1/disputes/${filed.id}/events`, client.token))).data;
  assert.deepEqual(events[0].data.response_deadline_basis, expectedBasis);
  await assertLedger(api);
});

// ─── The proposal window ──────────────────────────────────────────────────

test('a proposal one party accepted and the other ignored ends in a Notice of Non-Resolution one second after its 2 calendar days', async () => {
  const api = await startSettle();
  const setup = await inReview(api);
  const { client, freelancer, staff } = setup;
  const id = setup.dispute.id;
  // Staff take 5 h 17 min 3 s; the window is exactly 2 × 24 h from the proposal.
  await api.advance({ seconds: 5 * 3600 + 17 * 60 + 3 });
  const issuedAt = at(T0, 5 * HOUR + 17 * 60 * SECOND + 3 * SECOND);
  const proposed = await expectOk(api.post(`/v1/disputes/${id}/proposal`, { freelancer_amount: 60_000, explanation: EXPLANATION }, staff.token), 201);
  const due = at(issuedAt, 2 * DAY);
  assert.equal(proposed.proposal.issued_at, issuedAt);
  assert.equal(proposed.proposal.due_at, due);
  assert.deepEqual(proposed.next_deadline, { kind: 'proposal_decision', due_at: due, party: 'both' });

  await api.advance({ seconds: 3600 });
  const accepted = await expectOk(api.post(`/v1/disputes/${id}/proposal/accept`, {}, freelancer.token));
  assert.equal(accepted.status, 'proposal_issued');
  assert.deepEqual(accepted.next_deadline, { kind: 'proposal_decision', due_at: due, party: 'client' });

  await api.advance({ to: due });
  const atDue = await dispute(api, id, client.token);
  assert.equal(atDue.status, 'proposal_issued');
  assert.equal(atDue.proposal.freelancer_decision, 'accepted');
  assert.equal(atDue.proposal.client_decision, null);
  assert.equal(atDue.arbitration, null);
  assert.equal(atDue.outcome, null);

  await api.advance({ seconds: 1 });
  const notice = await dispute(api, id, client.token);
  assert.equal(notice.status, 'not_resolved');
  assert.equal(notice.outcome, null);
  const optInDue = at(due, 7 * DAY);
  assert.deepEqual(notice.next_deadline, { kind: 'arbitration_opt_in', due_at: optInDue, party: 'both' });
  assert.equal(notice.arbitration.due_at, optInDue);
  assert.equal(notice.arbitration.fee_amount, 29_100);
  assert.equal(notice.arbitration.freelancer_paid, false);
  assert.equal(notice.arbitration.client_paid, false);
  assert.equal(notice.arbitration.arbitrator, null);
  // Nothing moved: the escrow waits for the arbitration phase.
  assert.equal((await milestone(api, setup.milestoneId, client.token)).status, 'in_dispute');
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 100_000 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 100_000 });
  assert.equal(await feesHeld(api, id), 0);
  const events = (await expectOk(api.get(`/v1/disputes/${id}/events`, freelancer.token))).data;
  assert.deepEqual(events.at(-1).data, { cause: 'proposal_window_ended', arbitration_due_at: optInDue, arbitration_fee_amount: 29_100 });
  // A late answer is refused.
  assert.equal((await api.post(`/v1/disputes/${id}/proposal/accept`, {}, client.token)).status, 409);
  assert.deepEqual(await assertChain(api, id, staff.token), ['dispute.filed', 'dispute.declined', 'dispute.proposal_issued', 'dispute.proposal_accepted', 'dispute.not_resolved']);
  await assertLedger(api);
});

test('a proposal both parties ignore ends in a Notice of Non-Resolution one second after its 2 calendar days', async () => {
  const api = await startSettle();
  const { client, freelancer, staff, proposed, milestoneId } = await withProposal(api, 30_000);
  const due = at(T0, 2 * DAY);
  assert.equal(proposed.proposal.due_at, due);

  await api.advance({ to: due });
  const atDue = await dispute(api, proposed.id, freelancer.token);
  assert.equal(atDue.status, 'proposal_issued');
  assert.deepEqual(atDue.next_deadline, { kind: 'proposal_decision', due_at: due, party: 'both' });
  assert.equal(atDue.outcome, null);

  await api.advance({ seconds: 1 });
  const notice = await dispute(api, proposed.id, freelancer.token);
  assert.equal(notice.status, 'not_resolved');
  assert.equal(notice.proposal.freelancer_decision, null);
  assert.equal(notice.proposal.client_decision, null);
  assert.deepEqual(notice.next_deadline, { kind: 'arbitration_opt_in', due_at: at(due, 7 * DAY), party: 'both' });
  assert.equal(notice.outcome, null);
  assert.equal((await milestone(api, milestoneId, client.token)).status, 'in_dispute');
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 100_000 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 100_000 });
  assert.deepEqual(await assertChain(api, proposed.id, staff.token), ['dispute.filed', 'dispute.declined', 'dispute.proposal_issued', 'dispute.not_resolved']);
  await assertLedger(api);
});

// ─── The arbitration window ───────────────────────────────────────────────

test('when nobody opts in to arbitration the escrow returns to the client one second after the 7 days', async () => {
  const api = await startSettle();
  const { client, freelancer, rejected, milestoneId } = await notResolved(api);
  const due = at(T0, 7 * DAY);
  assert.equal(rejected.arbitration.due_at, due);
  assert.deepEqual(rejected.next_deadline, { kind: 'arbitration_opt_in', due_at: due, party: 'both' });

  await api.advance({ to: due });
  const atDue = await dispute(api, rejected.id, client.token);
  assert.equal(atDue.status, 'not_resolved');
  assert.equal(atDue.outcome, null);
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 100_000 });

  await api.advance({ seconds: 1 });
  const resolved = await dispute(api, rejected.id, client.token);
  assert.equal(resolved.status, 'resolved');
  assert.deepEqual(outcomeOf(resolved), { kind: 'arbitration_not_pursued', freelancer_amount: 0, client_amount: 100_000 });
  assert.ok(resolved.outcome.resolved_at > due && resolved.outcome.resolved_at <= at(due, SECOND));
  assert.equal(resolved.next_deadline, null);
  const m = await milestone(api, milestoneId, client.token);
  assert.equal(m.status, 'refunded');
  assert.equal(m.refunded_amount, 100_000);
  assert.deepEqual(await balanceOf(api, client), { available: 100_000, pending: 0, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 0 });
  assert.equal(await feesHeld(api, rejected.id), 0);
  assert.equal(await platformFees(api), 0);
  const types = await assertChain(api, rejected.id, freelancer.token);
  assert.deepEqual(types.slice(-2), ['dispute.arbitration_window_ended', 'dispute.resolved']);
  await assertLedger(api);
});

test('when only the freelancer pays the arbitration fee they get the whole escrow, less the service fee, and the fee back', async () => {
  const api = await startSettle();
  const { client, freelancer, rejected, milestoneId } = await notResolved(api);
  const due = at(T0, 7 * DAY);
  await api.advance({ seconds: 2 * 86400 });
  const paid = await expectOk(api.post(`/v1/disputes/${rejected.id}/arbitration`, {}, freelancer.token));
  assert.equal(paid.status, 'not_resolved');
  assert.equal(paid.arbitration.freelancer_paid, true);
  assert.equal(paid.arbitration.client_paid, false);
  assert.deepEqual(paid.next_deadline, { kind: 'arbitration_opt_in', due_at: due, party: 'client' });
  assert.equal(await feesHeld(api, rejected.id), 29_100);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 100_000 });

  await api.advance({ to: due });
  assert.equal((await dispute(api, rejected.id, client.token)).status, 'not_resolved');
  assert.equal(await feesHeld(api, rejected.id), 29_100);

  await api.advance({ seconds: 1 });
  const resolved = await dispute(api, rejected.id, freelancer.token);
  assert.equal(resolved.status, 'resolved');
  assert.deepEqual(outcomeOf(resolved), { kind: 'arbitration_default', freelancer_amount: 100_000, client_amount: 0 });
  assert.equal(resolved.next_deadline, null);
  assert.equal((await milestone(api, milestoneId, client.token)).status, 'paid');
  // The fee refund is available at once; the released escrow waits out its 5-day hold.
  assert.deepEqual(await balanceOf(api, freelancer), { available: 29_100, pending: 90_000, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 0 });
  assert.equal(await feesHeld(api, rejected.id), 0);
  assert.equal(await platformFees(api), 10_000);
  const events = (await expectOk(api.get(`/v1/disputes/${rejected.id}/events`, client.token))).data;
  assert.deepEqual(events.at(-2).data, { paid: ['freelancer'], fee_refunded_to: 'freelancer' });
  await assertChain(api, rejected.id, client.token);
  await assertLedger(api);
});

test('when only the client pays the arbitration fee they get the escrow and the fee back', async () => {
  const api = await startSettle();
  const { client, freelancer, rejected, milestoneId } = await notResolved(api);
  const due = at(T0, 7 * DAY);
  await api.advance({ seconds: 6 * 86400 });
  const paid = await expectOk(api.post(`/v1/disputes/${rejected.id}/arbitration`, { payment_method: 'pm_card_visa' }, client.token));
  assert.equal(paid.arbitration.client_paid, true);
  assert.deepEqual(paid.next_deadline, { kind: 'arbitration_opt_in', due_at: due, party: 'freelancer' });
  assert.equal(await feesHeld(api, rejected.id), 29_100);

  await api.advance({ to: due });
  assert.equal((await dispute(api, rejected.id, client.token)).status, 'not_resolved');

  await api.advance({ seconds: 1 });
  const resolved = await dispute(api, rejected.id, client.token);
  assert.equal(resolved.status, 'resolved');
  assert.deepEqual(outcomeOf(resolved), { kind: 'arbitration_default', freelancer_amount: 0, client_amount: 100_000 });
  assert.equal(resolved.next_deadline, null);
  assert.equal((await milestone(api, milestoneId, client.token)).status, 'refunded');
  assert.deepEqual(await balanceOf(api, client), { available: 129_100, pending: 0, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 0 });
  assert.equal(await feesHeld(api, rejected.id), 0);
  assert.equal(await platformFees(api), 0);
  await assertChain(api, rejected.id, freelancer.token);
  await assertLedger(api);
});

// ─── Withdrawal and the milestone's paused clock ──────────────────────────

test('withdrawing resumes the review window with the 11 days it had left, and auto-release happens one second after it ends', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const id = milestoneIds[0]!;
  const submitted = await fundAndSubmit(api, client, freelancer, id);
  assert.equal(submitted.review_due_at, at(T0, 14 * DAY));

  await api.advance({ seconds: 3 * 86400 });
  const filed = await file(api, freelancer, id);
  const paused = await milestone(api, id, client.token);
  assert.equal(paused.status, 'in_dispute');
  assert.equal(paused.review_due_at, null);

  await api.advance({ seconds: 4 * 86400 });
  const withdrawnAt = await clockNow(api);
  assert.equal(withdrawnAt, at(T0, 7 * DAY));
  const withdrawn = await expectOk(api.post(`/v1/disputes/${filed.id}/withdraw`, {}, freelancer.token));
  assert.equal(withdrawn.status, 'withdrawn');
  assert.deepEqual(withdrawn.outcome, { kind: 'withdrawn', freelancer_amount: 0, client_amount: 0, resolved_at: withdrawnAt });
  assert.equal(withdrawn.next_deadline, null);
  const resumedDue = at(withdrawnAt, 11 * DAY);
  const resumed = await milestone(api, id, client.token);
  assert.equal(resumed.status, 'submitted');
  assert.equal(resumed.review_due_at, resumedDue);
  assert.equal(resumed.review_due_at, '2026-12-19T09:00:00.000Z');
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 100_000 });

  // The original deadline (Dec 15) no longer applies.
  await api.advance({ to: at(T0, 14 * DAY + SECOND) });
  assert.equal((await milestone(api, id, client.token)).status, 'submitted');
  await api.advance({ to: resumedDue });
  assert.equal((await milestone(api, id, client.token)).status, 'submitted');
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 100_000 });

  await api.advance({ seconds: 1 });
  const released = await milestone(api, id, client.token);
  assert.equal(released.status, 'paid');
  assert.equal(released.released_amount, 100_000);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 90_000, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 0 });
  const again = await dispute(api, filed.id, client.token);
  assert.equal(again.status, 'withdrawn');
  assert.deepEqual(await assertChain(api, filed.id, client.token), ['dispute.filed', 'dispute.withdrawn']);
  const events = (await expectOk(api.get(`/v1/disputes/${filed.id}/events`, client.token))).data;
  assert.deepEqual(events[1].data, { milestone_state: 'submitted', deadline_resumes_at: resumedDue });
  await assertLedger(api);
});

test('a dispute in review can be withdrawn and the milestone gets back its whole review window', async () => {
  const api = await startSettle();
  const { client, freelancer, staff, dispute: filed, milestoneId } = await inReview(api);
  await api.advance({ seconds: 2 * 86400 });
  const withdrawn = await expectOk(api.post(`/v1/disputes/${filed.id}/withdraw`, {}, freelancer.token));
  assert.equal(withdrawn.status, 'withdrawn');
  assert.deepEqual(outcomeOf(withdrawn), { kind: 'withdrawn', freelancer_amount: 0, client_amount: 0 });
  assert.equal(withdrawn.next_deadline, null);
  // Filed at the moment of submission: all 14 days were left.
  const m = await milestone(api, milestoneId, client.token);
  assert.equal(m.status, 'submitted');
  assert.equal(m.review_due_at, at(T0, 16 * DAY));
  // The client may still approve normally.
  const paid = await expectOk(api.post(`/v1/milestones/${milestoneId}/approve`, {}, client.token));
  assert.equal(paid.status, 'paid');
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 90_000, in_escrow: 0 });
  assert.deepEqual(await assertChain(api, filed.id, staff.token), ['dispute.filed', 'dispute.declined', 'dispute.withdrawn']);
  await assertLedger(api);
});

test('a dispute cannot be withdrawn once a proposal is issued (409), nor by the client (403)', async () => {
  const api = await startSettle();
  const { client, freelancer, staff, proposed, milestoneId } = await withProposal(api, 70_000);
  const byClient = await api.post(`/v1/disputes/${proposed.id}/withdraw`, {}, client.token);
  assert.equal(byClient.status, 403);
  const late = await api.post(`/v1/disputes/${proposed.id}/withdraw`, {}, freelancer.token);
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, 'dispute_proposal_issued');
  const unchanged = await dispute(api, proposed.id, freelancer.token);
  assert.equal(unchanged.status, 'proposal_issued');
  assert.equal(unchanged.outcome, null);
  assert.equal((await milestone(api, milestoneId, client.token)).status, 'in_dispute');

  await expectOk(api.post(`/v1/disputes/${proposed.id}/proposal/accept`, {}, freelancer.token));
  const done = await expectOk(api.post(`/v1/disputes/${proposed.id}/proposal/accept`, {}, client.token));
  assert.equal(done.status, 'resolved');
  assert.deepEqual(outcomeOf(done), { kind: 'proposal_accepted', freelancer_amount: 70_000, client_amount: 30_000 });
  assert.equal(done.next_deadline, null);
  assert.equal((await api.post(`/v1/disputes/${proposed.id}/withdraw`, {}, freelancer.token)).status, 409);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 63_000, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 30_000, pending: 0, in_escrow: 0 });
  assert.deepEqual(await assertChain(api, proposed.id, staff.token), ['dispute.filed', 'dispute.declined', 'dispute.proposal_issued', 'dispute.proposal_accepted', 'dispute.proposal_accepted', 'dispute.resolved']);
  await assertLedger(api);
});

test('withdrawing a dispute on a refund request resumes the refund window with the time it had left', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const id = milestoneIds[0]!;
  await fundAndSubmit(api, client, freelancer, id);
  const partial = await expectOk(api.post(`/v1/milestones/${id}/approve`, { amount: 40_000 }, client.token));
  assert.equal(partial.status, 'refund_requested');
  assert.equal(partial.refund_due_at, at(T0, 7 * DAY));

  await api.advance({ seconds: 2 * 86400 });
  const filed = await file(api, freelancer, id);
  assert.equal(filed.escrow_amount, 60_000);
  assert.equal(filed.amount_requested, 60_000);
  assert.equal((await milestone(api, id, client.token)).refund_due_at, null);

  await api.advance({ seconds: 86400 });
  const withdrawnAt = await clockNow(api);
  const withdrawn = await expectOk(api.post(`/v1/disputes/${filed.id}/withdraw`, {}, freelancer.token));
  assert.deepEqual(outcomeOf(withdrawn), { kind: 'withdrawn', freelancer_amount: 0, client_amount: 0 });
  assert.equal(withdrawn.next_deadline, null);
  const refundDue = at(withdrawnAt, 5 * DAY);
  const resumed = await milestone(api, id, client.token);
  assert.equal(resumed.status, 'refund_requested');
  assert.equal(resumed.refund_due_at, refundDue);
  assert.equal(resumed.review_due_at, null);

  // The original refund deadline (T0 + 7 days) passes without effect.
  await api.advance({ to: at(T0, 7 * DAY + SECOND) });
  assert.equal((await milestone(api, id, client.token)).status, 'refund_requested');
  await api.advance({ to: refundDue });
  assert.equal((await milestone(api, id, client.token)).status, 'refund_requested');
  assert.equal((await balanceOf(api, client)).in_escrow, 60_000);

  await api.advance({ seconds: 1 });
  const settled = await milestone(api, id, client.token);
  assert.equal(settled.status, 'paid', 'something was released before the refund');
  assert.equal(settled.released_amount, 40_000);
  assert.equal(settled.refunded_amount, 60_000);
  assert.deepEqual(await balanceOf(api, client), { available: 60_000, pending: 0, in_escrow: 0 });
  // The 36,000 released at T0 finished its 5-day hold.
  assert.deepEqual(await balanceOf(api, freelancer), { available: 36_000, pending: 0, in_escrow: 0 });
  assert.deepEqual(await assertChain(api, filed.id, freelancer.token), ['dispute.filed', 'dispute.withdrawn']);
  await assertLedger(api);
});

test('withdrawing a dispute on changes_requested returns the milestone there with no clock running', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const id = milestoneIds[0]!;
  await fundAndSubmit(api, client, freelancer, id);
  await expectOk(api.post(`/v1/milestones/${id}/request_changes`, { message: 'Please add the mobile layouts.' }, client.token));
  await api.advance({ seconds: 86400 });
  const filed = await file(api, freelancer, id);
  await api.advance({ seconds: 86400 });
  const withdrawn = await expectOk(api.post(`/v1/disputes/${filed.id}/withdraw`, {}, freelancer.token));
  assert.deepEqual(outcomeOf(withdrawn), { kind: 'withdrawn', freelancer_amount: 0, client_amount: 0 });
  assert.equal(withdrawn.next_deadline, null);
  const back = await milestone(api, id, client.token);
  assert.equal(back.status, 'changes_requested');
  assert.equal(back.review_due_at, null);
  assert.equal(back.refund_due_at, null);

  await api.advance({ seconds: 20 * 86400 }); // sessions last 30 days
  const later = await milestone(api, id, client.token);
  assert.equal(later.status, 'changes_requested');
  assert.equal(later.escrow_amount, 100_000);
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 100_000 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 100_000 });
  const events = (await expectOk(api.get(`/v1/disputes/${filed.id}/events`, client.token))).data;
  assert.deepEqual(events[1].data, { milestone_state: 'changes_requested', deadline_resumes_at: null });
  assert.deepEqual(await assertChain(api, filed.id, client.token), ['dispute.filed', 'dispute.withdrawn']);
  await assertLedger(api);
});

test('while a dispute is open, the milestone’s original review deadline passing releases nothing', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const id = milestoneIds[0]!;
  await fundAndSubmit(api, client, freelancer, id);
  const originalDue = at(T0, 14 * DAY);
  await api.advance({ seconds: 86400 });
  const filed = await file(api, freelancer, id);
  // Declined, so the response deadline does not settle it either.
  await expectOk(api.post(`/v1/disputes/${filed.id}/decline`, { reason_code: 'quality_issues', description: DECLINE }, client.token));

  await api.advance({ to: at(originalDue, SECOND) });
  const m = await milestone(api, id, client.token);
  assert.equal(m.status, 'in_dispute');
  assert.equal(m.review_due_at, null);
  assert.equal(m.escrow_amount, 100_000);
  assert.equal(m.released_amount, 0);
  await api.advance({ seconds: 10 * 86400 }); // sessions last 30 days
  assert.equal((await milestone(api, id, client.token)).status, 'in_dispute');
  const d = await dispute(api, filed.id, client.token);
  assert.equal(d.status, 'in_review');
  assert.equal(d.outcome, null);
  assert.equal(d.review_overdue, true);
  assert.deepEqual(d.next_deadline, { kind: 'proposal_target', due_at: at(T0, 3 * DAY), party: 'staff' });
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 100_000 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 100_000 });
  const events = await api.settle.deps.db.query<{ type: string }>(`select type from events where milestone_id = $1 and type = 'milestone.released'`, [id]);
  assert.equal(events.rows.length, 0);
  assert.deepEqual(await assertChain(api, filed.id, freelancer.token), ['dispute.filed', 'dispute.declined']);
  await assertLedger(api);
});

// ─── Filing on a refund request ───────────────────────────────────────────

test('a dispute on a refund request after a partial approval covers the remainder; the client approving settles all of it', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const id = milestoneIds[0]!;
  await fundAndSubmit(api, client, freelancer, id);
  await expectOk(api.post(`/v1/milestones/${id}/approve`, { amount: 40_000 }, client.token));
  const filed = await file(api, freelancer, id, 20_000);
  assert.equal(filed.escrow_amount, 60_000);
  assert.equal(filed.amount_requested, 20_000);
  assert.equal((await api.post('/v1/disputes', { milestone_id: id, reason_code: 'partial_payment', description: DESCRIPTION, amount: 60_001 }, freelancer.token)).status, 409, 'one open dispute per milestone');

  const approved = await expectOk(api.post(`/v1/disputes/${filed.id}/approve`, {}, client.token));
  assert.equal(approved.status, 'resolved');
  assert.deepEqual(outcomeOf(approved), { kind: 'client_approved', freelancer_amount: 20_000, client_amount: 40_000 });
  assert.equal(approved.next_deadline, null);
  const m = await milestone(api, id, client.token);
  assert.equal(m.status, 'paid');
  assert.equal(m.escrow_amount, 0);
  assert.equal(m.released_amount, 60_000);
  assert.equal(m.refunded_amount, 40_000);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 54_000, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 40_000, pending: 0, in_escrow: 0 });
  assert.deepEqual(await assertChain(api, filed.id, client.token), ['dispute.filed', 'dispute.approved', 'dispute.resolved']);
  await assertLedger(api);
});

test('a dispute on a refund request that gives the freelancer nothing still ends the milestone paid: something was released earlier', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const id = milestoneIds[0]!;
  await fundAndSubmit(api, client, freelancer, id);
  await expectOk(api.post(`/v1/milestones/${id}/approve`, { amount: 40_000 }, client.token));
  const filed = await file(api, freelancer, id);
  assert.equal(filed.escrow_amount, 60_000);
  const staff = await operatorMadeUser(api, 'Stella Staff', 'staff');
  await expectOk(api.post(`/v1/disputes/${filed.id}/decline`, { reason_code: 'work_not_delivered', description: DECLINE }, client.token));
  assert.equal((await api.post(`/v1/disputes/${filed.id}/proposal`, { freelancer_amount: 60_001, explanation: EXPLANATION }, staff.token)).status, 400, 'a proposal splits at most the escrow');
  await expectOk(api.post(`/v1/disputes/${filed.id}/proposal`, { freelancer_amount: 0, explanation: EXPLANATION }, staff.token), 201);
  await expectOk(api.post(`/v1/disputes/${filed.id}/proposal/accept`, {}, freelancer.token));
  const done = await expectOk(api.post(`/v1/disputes/${filed.id}/proposal/accept`, {}, client.token));
  assert.deepEqual(outcomeOf(done), { kind: 'proposal_accepted', freelancer_amount: 0, client_amount: 60_000 });
  assert.equal(done.next_deadline, null);
  const m = await milestone(api, id, client.token);
  assert.equal(m.status, 'paid');
  assert.equal(m.escrow_amount, 0);
  assert.equal(m.released_amount, 40_000);
  assert.equal(m.refunded_amount, 60_000);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 36_000, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 60_000, pending: 0, in_escrow: 0 });
  await assertChain(api, filed.id, staff.token);
  await assertLedger(api);
});

// ─── The staff review queue ───────────────────────────────────────────────

test('the staff review queue lists oldest first and flags a dispute 1 s after the 2-day target, not at it', async () => {
  const api = await startSettle();
  const first = await inReview(api);
  await api.advance({ seconds: 3600 });
  const second = await disputedMilestone(api);
  await expectOk(api.post(`/v1/disputes/${second.dispute.id}/decline`, { reason_code: 'other', description: DECLINE }, second.client.token));
  // A third one still awaiting a response is not in the queue.
  const third = await disputedMilestone(api);
  const staff = first.staff;

  const target = at(T0, 2 * DAY);
  await api.advance({ to: target });
  const queue = await expectOk(api.get('/v1/disputes?status=in_review', staff.token));
  assert.deepEqual(queue.data.map((d: { id: string }) => d.id), [first.dispute.id, second.dispute.id]);
  assert.deepEqual(queue.data.map((d: { review_overdue: boolean }) => d.review_overdue), [false, false]);
  assert.deepEqual(queue.data[0].next_deadline, { kind: 'proposal_target', due_at: target, party: 'staff' });
  assert.equal((await api.get(`/v1/disputes/${third.dispute.id}`, staff.token)).status, 404);

  await api.advance({ seconds: 1 });
  const flagged = await expectOk(api.get('/v1/disputes?status=in_review', staff.token));
  assert.deepEqual(flagged.data.map((d: { review_overdue: boolean }) => d.review_overdue), [true, false]);
  await api.advance({ to: at(T0, HOUR + 2 * DAY) });
  assert.equal((await dispute(api, second.dispute.id, staff.token)).review_overdue, false);
  await api.advance({ seconds: 1 });
  assert.equal((await dispute(api, second.dispute.id, staff.token)).review_overdue, true);

  // Issuing a proposal takes the first off the queue.
  const proposed = await expectOk(api.post(`/v1/disputes/${first.dispute.id}/proposal`, { freelancer_amount: 50_000, explanation: EXPLANATION }, staff.token), 201);
  assert.equal(proposed.review_overdue, false);
  const after = await expectOk(api.get('/v1/disputes?status=in_review', staff.token));
  assert.deepEqual(after.data.map((d: { id: string }) => d.id), [second.dispute.id]);
  for (const s of [first, second]) {
    const d = await dispute(api, s.dispute.id, staff.token);
    assert.equal(d.outcome, null);
    assert.deepEqual(await balanceOf(api, s.client), { available: 0, pending: 0, in_escrow: 100_000 });
    assert.deepEqual(await balanceOf(api, s.freelancer), { available: 0, pending: 0, in_escrow: 100_000 });
    await assertChain(api, s.dispute.id, staff.token);
  }
  // The third still waits for its client's response (due Tuesday Dec 8), outside the queue.
  const waiting = await dispute(api, third.dispute.id, third.client.token);
  assert.equal(waiting.status, 'awaiting_response');
  assert.equal(waiting.outcome, null);
  assert.deepEqual(waiting.next_deadline, { kind: 'response', due_at: '2026-12-08T23:59:59.000Z', party: 'client' });
  await assertChain(api, third.dispute.id, third.client.token);
  await assertLedger(api);
});

// ─── Arbitrators ──────────────────────────────────────────────────────────

test('arbitration without an arbitrator account waits for the operator to assign one; reassigning moves all access', async () => {
  const api = await startSettle();
  const { client, freelancer, started, milestoneId } = await inArbitration(api);
  assert.equal(started.arbitration.arbitrator, null);
  assert.equal(started.next_deadline, null);
  assert.equal(started.outcome, null);

  const first = await operatorMadeUser(api, 'Ada Arbiter', 'arbitrator');
  const second = await operatorMadeUser(api, 'Bo Arbiter', 'arbitrator');
  const staff = await operatorMadeUser(api, 'Sam Staff', 'staff');
  assert.equal((await api.get(`/v1/disputes/${started.id}`, first.token)).status, 404, 'an unassigned arbitrator sees nothing');
  const notArbitrator = await api.admin('POST', `/v1/admin/disputes/${started.id}/arbitrator`, { arbitrator_id: staff.id });
  assert.equal(notArbitrator.status, 400);
  assert.equal(notArbitrator.body.error.code, 'not_an_arbitrator');
  const byMember = await api.post(`/v1/admin/disputes/${started.id}/arbitrator`, { arbitrator_id: first.id }, client.token);
  assert.equal(byMember.status, 403, 'only the operator assigns');

  const assigned = await expectOk(api.admin('POST', `/v1/admin/disputes/${started.id}/arbitrator`, { arbitrator_id: first.id }));
  assert.deepEqual(assigned.arbitration.arbitrator, { id: first.id, name: 'Ada Arbiter' });
  assert.equal((await expectOk(api.get(`/v1/disputes/${started.id}`, first.token))).status, 'in_arbitration');
  assert.equal((await api.get(`/v1/disputes/${started.id}`, second.token)).status, 404);
  assert.equal((await api.post(`/v1/disputes/${started.id}/award`, { freelancer_amount: 1, decision: AWARD }, second.token)).status, 404);
  assert.equal((await api.post(`/v1/disputes/${started.id}/award`, { freelancer_amount: 1, decision: AWARD }, staff.token)).status, 403, 'staff see it but cannot award');

  const reassigned = await expectOk(api.admin('POST', `/v1/admin/disputes/${started.id}/arbitrator`, { arbitrator_id: second.id }));
  assert.deepEqual(reassigned.arbitration.arbitrator, { id: second.id, name: 'Bo Arbiter' });
  assert.equal((await api.get(`/v1/disputes/${started.id}`, first.token)).status, 404);
  assert.equal((await api.get(`/v1/disputes/${started.id}/events`, first.token)).status, 404);
  assert.equal((await api.get(`/v1/disputes/${started.id}/case_file`, first.token)).status, 404);
  assert.equal((await api.post(`/v1/disputes/${started.id}/award`, { freelancer_amount: 1, decision: AWARD }, first.token)).status, 404);
  assert.deepEqual((await expectOk(api.get('/v1/disputes', first.token))).data, []);
  assert.deepEqual((await expectOk(api.get('/v1/disputes', second.token))).data.map((d: { id: string }) => d.id), [started.id]);

  const awarded = await expectOk(api.post(`/v1/disputes/${started.id}/award`, { freelancer_amount: 80_000, decision: AWARD }, second.token));
  assert.equal(awarded.status, 'resolved');
  assert.deepEqual(outcomeOf(awarded), { kind: 'arbitration_award', freelancer_amount: 80_000, client_amount: 20_000 });
  assert.equal(awarded.next_deadline, null);
  assert.equal(awarded.arbitration.award.freelancer_amount, 80_000);
  assert.equal((await milestone(api, milestoneId, client.token)).status, 'paid');
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 72_000, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 20_000, pending: 0, in_escrow: 0 });
  assert.equal(await feesHeld(api, started.id), 0);
  const types = await assertChain(api, started.id, second.token);
  assert.deepEqual(types.slice(-5), ['dispute.arbitration_started', 'dispute.arbitrator_assigned', 'dispute.arbitrator_assigned', 'dispute.award_recorded', 'dispute.resolved']);
  await assertLedger(api);
});

test('the arbitrator with the fewest open cases gets the next one (oldest account on a tie)', async () => {
  const api = await startSettle();
  const ada = await operatorMadeUser(api, 'Ada Arbiter', 'arbitrator');
  const bo = await operatorMadeUser(api, 'Bo Arbiter', 'arbitrator');

  const one = await inArbitration(api);
  assert.equal(one.started.arbitration.arbitrator.id, ada.id, 'a tie at 0 goes to the oldest account');
  const two = await inArbitration(api);
  assert.equal(two.started.arbitration.arbitrator.id, bo.id, 'Ada has one open case, Bo none');
  // Ada closes her case: 0 open against Bo's 1, so the next is hers again (round-robin would give it to Bo).
  await expectOk(api.post(`/v1/disputes/${one.started.id}/award`, { freelancer_amount: 100_000, decision: AWARD }, ada.token));
  const three = await inArbitration(api);
  assert.equal(three.started.arbitration.arbitrator.id, ada.id);
  const four = await inArbitration(api);
  assert.equal(four.started.arbitration.arbitrator.id, ada.id, 'a tie at 1 goes to the oldest account');
  const five = await inArbitration(api);
  assert.equal(five.started.arbitration.arbitrator.id, bo.id, 'Ada has two open cases, Bo one');

  assert.deepEqual(
    (await expectOk(api.get('/v1/disputes?status=in_arbitration', ada.token))).data.map((d: { id: string }) => d.id),
    [four.started.id, three.started.id],
  );
  assert.deepEqual(outcomeOf(await dispute(api, one.started.id, one.client.token)), { kind: 'arbitration_award', freelancer_amount: 100_000, client_amount: 0 });
  assert.deepEqual(await balanceOf(api, one.freelancer), { available: 0, pending: 90_000, in_escrow: 0 });
  for (const c of [two, three, four, five]) {
    const d = await dispute(api, c.started.id, c.client.token);
    assert.equal(d.status, 'in_arbitration');
    assert.equal(d.next_deadline, null);
    assert.equal(d.outcome, null);
    assert.deepEqual(await balanceOf(api, c.client), { available: 0, pending: 0, in_escrow: 100_000 });
    await assertChain(api, c.started.id, c.client.token);
  }
  await assertChain(api, one.started.id, ada.token);
  await assertLedger(api);
});

// ─── Paying the arbitration fee ───────────────────────────────────────────

test('the arbitration fee comes from the balance when it covers it, else a card; a declined card changes nothing and can be retried', async () => {
  const api = await startSettle();
  const { client, freelancer, rejected } = await notResolved(api);
  const arbitrator = await operatorMadeUser(api, 'Ada Arbiter', 'arbitrator');
  const id = rejected.id;
  const charges = async () =>
    (await api.settle.deps.db.query<{ n: number }>(`select count(*)::int8 as n from transfers where kind = 'card_charge'`)).rows[0]!.n;

  // The freelancer has credit: no card is charged.
  await api.credit(freelancer.id, 30_000);
  const chargesBefore = await charges();
  const freelancerPaid = await expectOk(api.post(`/v1/disputes/${id}/arbitration`, {}, freelancer.token));
  assert.equal(freelancerPaid.arbitration.freelancer_paid, true);
  assert.equal(await charges(), chargesBefore);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 900, pending: 0, in_escrow: 100_000 });
  assert.equal(await feesHeld(api, id), 29_100);

  // The client has nothing: paying from the balance is refused, a declined card too, and nothing changes.
  const eventsBefore = (await expectOk(api.get(`/v1/disputes/${id}/events`, client.token))).data.length;
  const short = await api.post(`/v1/disputes/${id}/arbitration`, { payment_method: 'balance' }, client.token);
  assert.equal(short.status, 402);
  assert.equal(short.body.error.code, 'insufficient_balance');
  const declined = await api.post(`/v1/disputes/${id}/arbitration`, { payment_method: 'pm_card_declined' }, client.token);
  assert.equal(declined.status, 402);
  assert.equal(declined.body.error.code, 'card_declined');
  const still = await dispute(api, id, client.token);
  assert.equal(still.status, 'not_resolved');
  assert.equal(still.arbitration.client_paid, false);
  assert.deepEqual(still.next_deadline, { kind: 'arbitration_opt_in', due_at: at(T0, 7 * DAY), party: 'client' });
  assert.equal((await expectOk(api.get(`/v1/disputes/${id}/events`, client.token))).data.length, eventsBefore);
  assert.equal(await charges(), chargesBefore);
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 100_000 });
  assert.equal(await feesHeld(api, id), 29_100);

  // Retried with a good card: charged into the balance and straight on to the fee.
  const started = await expectOk(api.post(`/v1/disputes/${id}/arbitration`, { payment_method: 'pm_card_visa' }, client.token));
  assert.equal(started.status, 'in_arbitration');
  assert.equal(started.arbitration.client_paid, true);
  assert.equal(started.arbitration.arbitrator.id, arbitrator.id);
  assert.equal(started.next_deadline, null);
  assert.equal(await charges(), chargesBefore + 1);
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 100_000 });
  assert.equal(await feesHeld(api, id), 0, 'both fees went to the arbitration provider');

  const awarded = await expectOk(api.post(`/v1/disputes/${id}/award`, { freelancer_amount: 0, decision: AWARD }, arbitrator.token));
  assert.deepEqual(outcomeOf(awarded), { kind: 'arbitration_award', freelancer_amount: 0, client_amount: 100_000 });
  assert.equal(awarded.next_deadline, null);
  assert.deepEqual(await balanceOf(api, client), { available: 100_000, pending: 0, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, freelancer), { available: 900, pending: 0, in_escrow: 0 });
  const types = await assertChain(api, id, arbitrator.token);
  assert.equal(types.filter((t) => t === 'dispute.arbitration_opt_in').length, 2);
  await assertLedger(api);
});

test('a jpy dispute runs end to end with the ¥29,100 arbitration fee in whole yen', async () => {
  const api = await startSettle();
  const arbitrator = await operatorMadeUser(api, 'Ada Arbiter', 'arbitrator');
  const { client, freelancer, rejected, milestoneId } = await notResolved(api, { currency: 'jpy' });
  assert.equal(rejected.currency, 'jpy');
  assert.equal(rejected.escrow_amount, 100_000);
  assert.equal(rejected.arbitration.fee_amount, 29_100);
  await expectOk(api.post(`/v1/disputes/${rejected.id}/arbitration`, {}, freelancer.token));
  assert.equal(await feesHeld(api, rejected.id), 29_100);
  const started = await expectOk(api.post(`/v1/disputes/${rejected.id}/arbitration`, {}, client.token));
  assert.equal(started.status, 'in_arbitration');
  const provider = await api.settle.deps.db.query<{ amount: number; currency: string }>(`select amount, currency from transfers where kind = 'arbitration_fee_payment' and ref_id = $1`, [rejected.id]);
  assert.deepEqual(provider.rows, [{ amount: 58_200, currency: 'jpy' }]);
  const awarded = await expectOk(api.post(`/v1/disputes/${rejected.id}/award`, { freelancer_amount: 70_001, decision: AWARD }, arbitrator.token));
  assert.deepEqual(outcomeOf(awarded), { kind: 'arbitration_award', freelancer_amount: 70_001, client_amount: 29_999 });
  assert.equal(awarded.next_deadline, null);
  assert.equal((await milestone(api, milestoneId, client.token)).status, 'paid');
  // 10 % of ¥70,001 is ¥7,000.1, rounded half up to ¥7,000.
  assert.deepEqual(await balanceOf(api, freelancer, 'jpy'), { available: 0, pending: 63_001, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client, 'jpy'), { available: 29_999, pending: 0, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client, 'usd'), { available: 0, pending: 0, in_escrow: 0 });
  assert.equal(await platformFees(api, 'jpy'), 7_000);
  assert.equal(await feesHeld(api, rejected.id), 0);
  const pdf = await api.get(`/v1/disputes/${rejected.id}/case_file`, arbitrator.token);
  assert.equal(pdf.status, 200);
  await assertChain(api, rejected.id, arbitrator.token);
  await assertLedger(api);
});

// ─── After a deadline, before the sweeper ─────────────────────────────────

/**
 * Moves the clock to `to` while another connection holds the dispute's row as a use case
 * in flight would (FOR NO KEY UPDATE, which leaves foreign-key checks free), so
 * the sweep skips it (SKIP LOCKED) exactly as a busy or late sweeper would:
 * the deadline has passed and nothing has settled it yet.
 */
async function passDeadlineUnswept(api: TestApi, disputeId: string, to: string) {
  let release!: () => void;
  let locked!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const holding = new Promise<void>((r) => (locked = r));
  const holder = api.settle.deps.db.transaction(async (tx) => {
    await tx.query('select id from disputes where id = $1 for no key update', [disputeId]);
    locked();
    await gate;
  });
  await holding;
  try {
    await api.advance({ to });
  } finally {
    release();
    await holder;
  }
}

test('a dispute’s running deadline refuses late actions from 1 ms after it, never at it (both databases)', () => {
  const due = new Date('2026-12-08T23:59:59.000Z');
  const base = { response_due_at: due, proposal_due_at: due, arbitration_due_at: due };
  for (const status of ['awaiting_response', 'proposal_issued', 'not_resolved'] as const) {
    assert.doesNotThrow(() => assertDeadlineNotPassed({ ...base, status }, due), status);
    assert.throws(() => assertDeadlineNotPassed({ ...base, status }, new Date(due.getTime() + 1)), (e: { code?: string }) => e.code === 'dispute_deadline_passed', status);
  }
  // In review and in arbitration no party deadline runs (the staff target only flags the queue).
  for (const status of ['in_review', 'in_arbitration', 'resolved', 'withdrawn'] as const) {
    assert.doesNotThrow(() => assertDeadlineNotPassed({ ...base, status }, new Date(due.getTime() + 365 * DAY)), status);
  }
});

test(
  'a response, a proposal decision, an opt-in or a withdrawal that comes after its deadline, before the sweep settles it, is refused (409) and the deadline rule decides',
  { skip: !DATABASE_URL && 'needs a second connection to hold the dispute while the clock passes its deadline (runs on PostgreSQL)' },
  async () => {
    const api = await startSettle();

    // Response: due Tuesday Dec 8 23:59:59 UTC; a decline at 00:00:00 would dodge the default release.
    const r = await disputedMilestone(api);
    await passDeadlineUnswept(api, r.dispute.id, at(r.dispute.response_due_at, SECOND));
    assert.equal((await dispute(api, r.dispute.id, r.client.token)).status, 'awaiting_response', 'not swept yet');
    for (const [path, body, token] of [
      ['decline', { reason_code: 'other', description: DECLINE }, r.client.token],
      ['approve', {}, r.client.token],
      ['withdraw', {}, r.freelancer.token],
    ] as const) {
      const late = await api.post(`/v1/disputes/${r.dispute.id}/${path}`, body, token);
      assert.equal(late.status, 409, `${path}: ${JSON.stringify(late.body)}`);
      assert.equal(late.body.error.code, 'dispute_deadline_passed');
    }
    await api.advance({ seconds: 1 });
    const settled = await dispute(api, r.dispute.id, r.client.token);
    assert.deepEqual(outcomeOf(settled), { kind: 'response_deadline_missed', freelancer_amount: 100_000, client_amount: 0 });
    assert.equal(settled.next_deadline, null);
    assert.deepEqual(await balanceOf(api, r.freelancer), { available: 0, pending: 90_000, in_escrow: 0 });
    assert.deepEqual(await assertChain(api, r.dispute.id, r.client.token), ['dispute.filed', 'dispute.response_deadline_passed', 'dispute.resolved']);

    // Proposal: the second acceptance after the 2 days would turn a Notice of Non-Resolution into a settlement.
    const p = await withProposal(api, 50_000);
    await expectOk(api.post(`/v1/disputes/${p.proposed.id}/proposal/accept`, {}, p.freelancer.token));
    await passDeadlineUnswept(api, p.proposed.id, at(p.proposed.proposal.due_at, SECOND));
    const lateAccept = await api.post(`/v1/disputes/${p.proposed.id}/proposal/accept`, {}, p.client.token);
    assert.equal(lateAccept.status, 409, JSON.stringify(lateAccept.body));
    assert.equal(lateAccept.body.error.code, 'dispute_deadline_passed');
    await api.advance({ seconds: 1 });
    const notice = await dispute(api, p.proposed.id, p.client.token);
    assert.equal(notice.status, 'not_resolved');
    assert.equal(notice.outcome, null);
    assert.deepEqual(notice.next_deadline, { kind: 'arbitration_opt_in', due_at: at(p.proposed.proposal.due_at, 7 * DAY), party: 'both' });
    assert.deepEqual(await balanceOf(api, p.client), { available: 0, pending: 0, in_escrow: 100_000 });

    // Arbitration: paying after the 7 days would start an arbitration the rule already closed.
    await expectOk(api.post(`/v1/disputes/${p.proposed.id}/arbitration`, {}, p.freelancer.token));
    await passDeadlineUnswept(api, p.proposed.id, at(notice.arbitration.due_at, SECOND));
    const lateOptIn = await api.post(`/v1/disputes/${p.proposed.id}/arbitration`, { payment_method: 'pm_card_visa' }, p.client.token);
    assert.equal(lateOptIn.status, 409, JSON.stringify(lateOptIn.body));
    assert.equal(lateOptIn.body.error.code, 'dispute_deadline_passed');
    assert.equal(await feesHeld(api, p.proposed.id), 29_100, 'the late payer was not charged');
    await api.advance({ seconds: 1 });
    const defaulted = await dispute(api, p.proposed.id, p.client.token);
    assert.deepEqual(outcomeOf(defaulted), { kind: 'arbitration_default', freelancer_amount: 100_000, client_amount: 0 });
    assert.equal(defaulted.next_deadline, null);
    assert.equal(await feesHeld(api, p.proposed.id), 0);
    assert.deepEqual(await balanceOf(api, p.client), { available: 0, pending: 0, in_escrow: 0 });
    await assertChain(api, p.proposed.id, p.staff.token);
    await assertLedger(api);
  },
);
