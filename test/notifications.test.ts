import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, test } from 'node:test';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { createSmtpTransport, type MailTransport } from '../src/notify/transport.ts';
import { OUTBOX_MAX_ATTEMPTS, backoffMs, dispatchOutbox, fetchWebhookSender } from '../src/jobs/outbox.ts';
import { startSettle, type TestApi } from './support/harness.ts';
import { DECLINE, DESCRIPTION, disputedMilestone, operatorMadeUser, staffAndArbitrator } from './support/disputes.ts';
import { activeContract, assertLedger, expectOk, type Member } from './support/scenario.ts';
import { startSmtp } from './support/smtp.ts';
import { REMINDER_HOURS } from '../src/domain/notifications.ts';
import { reviewWindowRule } from '../src/jobs/rules/milestone-windows.ts';
import { notificationFanoutRule } from '../src/jobs/rules/notification-fanout.ts';

test('a filed dispute emails the client over SMTP with the deadline in their own zone and a link to the dispute', async () => {
  const smtp = await startSmtp();
  after(() => smtp.stop());
  const api = await startSettle({ channels: { mail: createSmtpTransport(smtp.url), webhooks: fetchWebhookSender } });
  const { client, dispute } = await disputedMilestone(api, { clientExtra: { time_zone: 'America/New_York', country: 'US' } });
  const { deps, channels } = api.settle;
  for (let i = 0; i < 5 && (await dispatchOutbox(deps, channels)).sent > 0; i++);
  const mail = smtp.received.find((m) => m.subject?.startsWith('A dispute was filed') && m.to && JSON.stringify(m.to).includes(client.email));
  assert.ok(mail, `the client got the dispute email; got: ${smtp.received.map((m) => m.subject).join(' | ')}`);
  assert.match(mail.text ?? '', /Deadline: \w+day, December \d+, 2026 at 11:59 PM EST/);
  assert.match(mail.text ?? '', new RegExp(`/disputes/${dispute.id}`));
  assert.match(mail.messageId ?? '', /^<ntf_[0-9A-Za-z]+@settle>$/);
  const inbox = await expectOk(api.get('/v1/notifications', client.token));
  assert.ok(inbox.unread_count >= 1);
});

// ---------------------------------------------------------------------------
// Helpers shared by the tests below.

const BASE_URL = 'https://settle.example';
const DISPATCH_ROUNDS_MAX = 20;

/** Dispatches batches until one has nothing to do; bounded, so a stuck outbox fails the test instead of hanging it. */
async function deliver(api: TestApi): Promise<{ sent: number; failed: number }> {
  const total = { sent: 0, failed: 0 };
  for (let round = 0; round < DISPATCH_ROUNDS_MAX; round++) {
    const r = await dispatchOutbox(api.settle.deps, api.settle.channels);
    total.sent += r.sent;
    total.failed += r.failed;
    if (r.sent === 0 && r.failed === 0) return total;
  }
  assert.fail(`the outbox still had due rows after ${DISPATCH_ROUNDS_MAX} batches`);
}

const recipientsOf = (m: ParsedMail): string[] => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a: AddressObject) => a.value.map((v) => v.address ?? ''));
const linesOf = (m: ParsedMail): string[] => (m.text ?? '').split('\n').map((l) => l.trimEnd());
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Deadline: <date> at <time>" as the reader sees it; ICU versions put " at " or ", " between date and time. */
function deadlineLine(date: string, time: string): RegExp {
  return new RegExp(`^Deadline: ${escapeRegExp(date)}(?:,| at) ${escapeRegExp(time).replace(/ /g, '[ \\u202f]')}$`);
}

async function emailOf(api: TestApi, token: string): Promise<string> {
  return (await expectOk(api.get('/v1/me', token))).email as string;
}

async function inboxOf(api: TestApi, token: string) {
  return expectOk(api.get('/v1/notifications?limit=100', token));
}

/** A member's reminders, oldest first, as "kind hours deadline". */
async function remindersOf(api: TestApi, member: Member): Promise<string[]> {
  const inbox = await inboxOf(api, member.token);
  return (inbox.data as Array<{ type: string; subject: string; deadline_at: string | null }>)
    .filter((n) => n.type.startsWith('reminder.'))
    .reverse()
    .map((n) => `${n.type} ${/(\d+) hours left/.exec(n.subject)?.[1] ?? '?'}h ${n.deadline_at}`);
}

async function outboxRows(api: TestApi, channel: 'email' | 'webhook') {
  const r = await api.settle.deps.db.query<{ seq: number; status: string; attempts: number; next_attempt_at: Date; last_error: string | null; notification_id: string | null; webhook_endpoint_id: string | null }>(
    'select seq, status, attempts, next_attempt_at, last_error, notification_id, webhook_endpoint_id from outbox where channel = $1 order by seq',
    [channel],
  );
  return r.rows;
}

async function countRows(api: TestApi, table: 'notifications' | 'outbox' | 'events'): Promise<number> {
  return (await api.settle.deps.db.query<{ n: number }>(`select count(*)::int8 as n from ${table}`)).rows[0]!.n;
}

/** Offers a contract from `client` to `freelancer` and accepts it. */
async function contractBetween(api: TestApi, client: Member, freelancer: Member, amounts: number[]) {
  const offered = await expectOk(
    api.post('/v1/contracts', { title: 'Website redesign', freelancer_email: freelancer.email, currency: 'usd', milestones: amounts.map((amount, i) => ({ title: `Milestone ${i + 1}`, amount })) }, client.token),
    201,
  );
  const accepted = await expectOk(api.post(`/v1/contracts/${offered.id}/accept`, {}, freelancer.token));
  return { id: accepted.id as string, milestoneIds: accepted.milestones.map((m: { id: string }) => m.id) as string[] };
}

// ---------------------------------------------------------------------------
// 1. Who hears what, over real SMTP, for a whole journey.

interface ExpectedMail {
  to: string;
  subject: string;
  /** Path of the page where the reader acts, after SETTLE_BASE_URL. */
  page: string;
  /** Whether the email names the milestone (contract-level events do not have one). */
  milestone: boolean;
  /** Whether the reader is asked to do something. */
  act: boolean;
  amounts?: string[];
  /** [date, time] in the reader's own zone. */
  deadline?: [string, string];
}

function assertMails(fresh: ParsedMail[], expected: ExpectedMail[], step: string, names: { contract: string; milestone: string }): void {
  const got = fresh.map((m) => `${recipientsOf(m).join(',')} | ${m.subject}`).sort();
  const want = expected.map((e) => `${e.to} | ${e.subject}`).sort();
  assert.deepEqual(got, want, `${step}: exactly these people get exactly these emails`);
  for (const e of expected) {
    const mail = fresh.find((m) => recipientsOf(m).includes(e.to) && m.subject === e.subject)!;
    const lines = linesOf(mail);
    const where = `${step} → ${e.to}: ${mail.text}`;
    assert.ok(lines.includes(`${e.subject}.`), `${where}\nsays what happened`);
    assert.ok(lines.includes(`Contract: ${names.contract}`), `${where}\nnames the contract`);
    assert.equal(lines.includes(`Milestone: ${names.milestone}`), e.milestone, `${where}\nnames the milestone`);
    const moneyLines = lines.filter((l) => /: -?\$[\d,]+\.\d\d$/.test(l));
    assert.deepEqual(moneyLines, e.amounts ?? [], `${where}\namounts as money`);
    const deadlines = lines.filter((l) => l.startsWith('Deadline:'));
    if (e.deadline) {
      assert.equal(deadlines.length, 1, `${where}\none deadline`);
      assert.match(deadlines[0]!, deadlineLine(...e.deadline), `${where}\nthe deadline in the reader's zone`);
    } else {
      assert.deepEqual(deadlines, [], `${where}\nno deadline`);
    }
    assert.equal(lines.some((l) => l.startsWith('What to do: ')), e.act, `${where}\nsays what to do`);
    const link = `${BASE_URL}${e.page}`;
    assert.ok(lines.includes(`Open it in Settle: ${link}`), `${where}\nlinks to ${link}`);
    assert.ok(typeof mail.html === 'string' && mail.html.includes(`href="${link}"`), `${where}\nthe HTML links there too`);
    assert.match(mail.messageId ?? '', /^<ntf_[0-9A-Za-z]+@settle>$/);
  }
}

test('each step from offer to arbitration award emails exactly the people concerned, with the facts, the deadline in their own zone and a link', async () => {
  const smtp = await startSmtp();
  after(() => smtp.stop());
  const api = await startSettle({ env: { SMTP_URL: smtp.url, SETTLE_BASE_URL: BASE_URL } });
  const CONTRACT = 'Brand identity for Acme';
  const MILESTONE = 'Logo design';
  const names = { contract: CONTRACT, milestone: MILESTONE };
  const client = await api.user('Cleo Client', { time_zone: 'America/New_York', country: 'US' });
  const freelancer = await api.user('Finn Freelancer', { time_zone: 'Asia/Tokyo', country: 'JP' });
  const staff = await operatorMadeUser(api, 'Stella Staff', 'staff');
  const firstArbitrator = await operatorMadeUser(api, 'Arlo Arbiter', 'arbitrator');
  const secondArbitrator = await operatorMadeUser(api, 'Ada Arbiter', 'arbitrator');
  const staffEmail = await emailOf(api, staff.token);
  const firstArbitratorEmail = await emailOf(api, firstArbitrator.token);
  const secondArbitratorEmail = await emailOf(api, secondArbitrator.token);

  let seen = 0;
  const step = async (label: string, expected: ExpectedMail[]) => {
    await deliver(api);
    const fresh = smtp.received.slice(seen);
    seen = smtp.received.length;
    assertMails(fresh, expected, label, names);
  };

  // Tuesday 2026-12-01 09:00 UTC: 04:00 in New York, 18:00 in Tokyo.
  const offered = await expectOk(api.post('/v1/contracts', { title: CONTRACT, freelancer_email: freelancer.email, currency: 'usd', milestones: [{ title: MILESTONE, amount: 100_000 }] }, client.token), 201);
  const contractPage = `/contracts/${offered.id}`;
  await step('offer', [{ to: freelancer.email, subject: `New contract offer: "${CONTRACT}"`, page: contractPage, milestone: false, act: true }]);

  const accepted = await expectOk(api.post(`/v1/contracts/${offered.id}/accept`, {}, freelancer.token));
  const milestoneId = accepted.milestones[0].id as string;
  await step('accept', [{ to: client.email, subject: `Your offer "${CONTRACT}" was accepted`, page: contractPage, milestone: false, act: true }]);

  await expectOk(api.post(`/v1/milestones/${milestoneId}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  await step('fund', [{ to: freelancer.email, subject: `Milestone "${MILESTONE}" is funded: the money is in escrow`, page: contractPage, milestone: true, act: false, amounts: ['In escrow: $1,000.00'] }]);

  const submitted = await expectOk(api.post(`/v1/milestones/${milestoneId}/submit`, { message: 'First logo concepts attached.' }, freelancer.token));
  assert.equal(submitted.review_due_at, '2026-12-15T09:00:00.000Z');
  await step('submit', [{ to: client.email, subject: `Work was submitted for "${MILESTONE}"`, page: contractPage, milestone: true, act: true, deadline: ['Tuesday, December 15, 2026', '4:00 AM EST'] }]);

  await expectOk(api.post(`/v1/milestones/${milestoneId}/request_changes`, { message: 'Please add a dark variant.' }, client.token));
  await step('request changes', [{ to: freelancer.email, subject: `Changes were requested on "${MILESTONE}"`, page: contractPage, milestone: true, act: true }]);

  // The next day (Wednesday 09:00 UTC) the freelancer resubmits: a new 14-day window.
  await api.advance({ seconds: 86_400 });
  const resubmitted = await expectOk(api.post(`/v1/milestones/${milestoneId}/submit`, { message: 'Dark variant added.' }, freelancer.token));
  assert.equal(resubmitted.review_due_at, '2026-12-16T09:00:00.000Z');
  await step('resubmit', [{ to: client.email, subject: `Work was submitted for "${MILESTONE}"`, page: contractPage, milestone: true, act: true, deadline: ['Wednesday, December 16, 2026', '4:00 AM EST'] }]);

  // A partial approval releases 400.00 (fee 40.00) and asks for the other 600.00 back within 7 days.
  const partial = await expectOk(api.post(`/v1/milestones/${milestoneId}/approve`, { amount: 40_000 }, client.token));
  assert.equal(partial.status, 'refund_requested');
  assert.equal(partial.refund_due_at, '2026-12-09T09:00:00.000Z');
  const released = ['Released: $400.00', 'Service fee: $40.00', 'To the freelancer: $360.00'];
  await step('approve part, refund request', [
    { to: freelancer.email, subject: `Payment released for "${MILESTONE}"`, page: contractPage, milestone: true, act: false, amounts: released },
    { to: client.email, subject: `You released payment for "${MILESTONE}"`, page: contractPage, milestone: true, act: false, amounts: released },
    {
      to: freelancer.email,
      subject: `The client asks for the escrow of "${MILESTONE}" back`,
      page: contractPage,
      milestone: true,
      act: true,
      amounts: ['Refund requested: $600.00'],
      deadline: ['Wednesday, December 9, 2026', '6:00 PM GMT+9'],
    },
  ]);

  // Filed Wednesday 04:00 in New York: 5 US business days are Thu 3, Fri 4, Mon 7, Tue 8, Wed 9, ending 23:59:59 local.
  const dispute = await expectOk(api.post('/v1/disputes', { milestone_id: milestoneId, reason_code: 'work_delivered_not_paid', description: DESCRIPTION, amount: 50_000 }, freelancer.token), 201);
  assert.equal(dispute.response_due_at, '2026-12-10T04:59:59.000Z');
  const disputePage = `/disputes/${dispute.id}`;
  await step('dispute filed', [
    {
      to: client.email,
      subject: `A dispute was filed on "${MILESTONE}"`,
      page: disputePage,
      milestone: true,
      act: true,
      amounts: ['Requested: $500.00'],
      deadline: ['Wednesday, December 9, 2026', '11:59 PM EST'],
    },
    { to: freelancer.email, subject: `Your dispute on "${MILESTONE}" was filed; the client has been asked to respond`, page: disputePage, milestone: true, act: false, amounts: ['Requested: $500.00'] },
  ]);

  await expectOk(api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'requirements_not_met', description: DECLINE }, client.token));
  await step('client declines', [{ to: freelancer.email, subject: `The client declined your dispute on "${MILESTONE}"; our team will review both sides`, page: disputePage, milestone: true, act: false }]);

  const proposed = await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal`, { freelancer_amount: 35_000, explanation: 'Most of the logo work meets the brief; the dark variant came late.' }, staff.token), 201);
  assert.equal(proposed.proposal.due_at, '2026-12-04T09:00:00.000Z');
  const split = ['To the freelancer: $350.00', 'To the client: $250.00'];
  const proposalSubject = `A resolution was proposed for the dispute on "${MILESTONE}"`;
  await step('proposal issued', [
    { to: client.email, subject: proposalSubject, page: disputePage, milestone: true, act: true, amounts: split, deadline: ['Friday, December 4, 2026', '4:00 AM EST'] },
    { to: freelancer.email, subject: proposalSubject, page: disputePage, milestone: true, act: true, amounts: split, deadline: ['Friday, December 4, 2026', '6:00 PM GMT+9'] },
  ]);

  const rejected = await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal/reject`, {}, client.token));
  assert.equal(rejected.status, 'not_resolved');
  assert.equal(rejected.arbitration.due_at, '2026-12-09T09:00:00.000Z');
  const notice = `Notice of Non-Resolution: the dispute on "${MILESTONE}"`;
  await step('proposal rejected, Notice of Non-Resolution', [
    { to: freelancer.email, subject: `The client rejected the proposal on "${MILESTONE}"`, page: disputePage, milestone: true, act: false },
    { to: client.email, subject: notice, page: disputePage, milestone: true, act: true, amounts: ['Arbitration fee: $291.00'], deadline: ['Wednesday, December 9, 2026', '4:00 AM EST'] },
    { to: freelancer.email, subject: notice, page: disputePage, milestone: true, act: true, amounts: ['Arbitration fee: $291.00'], deadline: ['Wednesday, December 9, 2026', '6:00 PM GMT+9'] },
  ]);

  await expectOk(api.post(`/v1/disputes/${dispute.id}/arbitration`, { payment_method: 'pm_card_visa' }, freelancer.token));
  await step('freelancer opts in', [{ to: client.email, subject: `The freelancer opted in to arbitration on "${MILESTONE}"`, page: disputePage, milestone: true, act: false, amounts: ['Fee paid: $291.00'] }]);

  const started = await expectOk(api.post(`/v1/disputes/${dispute.id}/arbitration`, { payment_method: 'pm_card_visa' }, client.token));
  assert.equal(started.arbitration.arbitrator.id, firstArbitrator.id);
  const assigned = `An arbitrator is assigned to the dispute on "${MILESTONE}"`;
  const newCase = `New case: the dispute on "${MILESTONE}"`;
  await step('client opts in, arbitration starts', [
    { to: freelancer.email, subject: `The client opted in to arbitration on "${MILESTONE}"`, page: disputePage, milestone: true, act: false, amounts: ['Fee paid: $291.00'] },
    { to: client.email, subject: assigned, page: disputePage, milestone: true, act: false },
    { to: freelancer.email, subject: assigned, page: disputePage, milestone: true, act: false },
    { to: firstArbitratorEmail, subject: newCase, page: disputePage, milestone: true, act: true },
  ]);

  await expectOk(api.admin('POST', `/v1/admin/disputes/${dispute.id}/arbitrator`, { arbitrator_id: secondArbitrator.id }));
  await step('operator reassigns the arbitrator', [
    { to: client.email, subject: assigned, page: disputePage, milestone: true, act: false },
    { to: freelancer.email, subject: assigned, page: disputePage, milestone: true, act: false },
    { to: secondArbitratorEmail, subject: newCase, page: disputePage, milestone: true, act: true },
  ]);

  await expectOk(api.post(`/v1/disputes/${dispute.id}/award`, { freelancer_amount: 45_000, decision: 'Three of the four deliverables meet the brief as written.' }, secondArbitrator.token));
  const award = `The arbitrator's award on "${MILESTONE}"`;
  const resolved = `The dispute on "${MILESTONE}" is resolved`;
  await step('award and resolution', [
    { to: client.email, subject: award, page: disputePage, milestone: true, act: false, amounts: ['To the freelancer: $450.00', 'To the client: $150.00'] },
    { to: freelancer.email, subject: award, page: disputePage, milestone: true, act: false, amounts: ['To the freelancer: $450.00', 'To the client: $150.00'] },
    { to: client.email, subject: resolved, page: disputePage, milestone: true, act: false, amounts: ['To the freelancer: $450.00', 'Service fee: $45.00', 'To the client: $150.00'] },
    { to: freelancer.email, subject: resolved, page: disputePage, milestone: true, act: false, amounts: ['To the freelancer: $450.00', 'Service fee: $45.00', 'To the client: $150.00'] },
  ]);
  assert.ok(!smtp.received.some((m) => recipientsOf(m).includes(staffEmail)), 'staff were never emailed');

  // The in-app inbox holds the same notifications as the emails, each one's Message-ID naming it.
  const people = [
    { who: 'client', token: client.token, email: client.email },
    { who: 'freelancer', token: freelancer.token, email: freelancer.email },
    { who: 'first arbitrator', token: firstArbitrator.token, email: firstArbitratorEmail },
    { who: 'second arbitrator', token: secondArbitrator.token, email: secondArbitratorEmail },
    { who: 'staff', token: staff.token, email: staffEmail },
  ];
  for (const p of people) {
    const mails = smtp.received.filter((m) => recipientsOf(m).includes(p.email));
    const inbox = await inboxOf(api, p.token);
    assert.equal(inbox.has_more, false);
    assert.deepEqual(inbox.data.map((n: { id: string }) => `<${n.id}@settle>`).sort(), mails.map((m) => m.messageId).sort(), `${p.who}: one notification per email`);
    for (const n of inbox.data as Array<{ id: string; subject: string; link: string; read_at: string | null }>) {
      const mail = mails.find((m) => m.messageId === `<${n.id}@settle>`)!;
      assert.equal(mail.subject, n.subject);
      assert.ok(linesOf(mail).includes(`Open it in Settle: ${BASE_URL}${n.link}`), `${p.who}: the inbox links where the email does`);
      assert.equal(n.read_at, null);
    }
    assert.equal(inbox.unread_count, mails.length, `${p.who}: every notification is unread`);
  }
  assert.equal((await inboxOf(api, staff.token)).data.length, 0);

  // Reading lowers the unread count, once; another user's notification is not found and stays unread.
  const clientInbox = await inboxOf(api, client.token);
  const [newest, older] = clientInbox.data as Array<{ id: string }>;
  const read = await expectOk(api.post(`/v1/notifications/${newest!.id}/read`, {}, client.token));
  assert.equal(read.read_at, '2026-12-02T09:00:00.000Z');
  assert.equal((await inboxOf(api, client.token)).unread_count, clientInbox.unread_count - 1);
  await expectOk(api.post(`/v1/notifications/${newest!.id}/read`, {}, client.token));
  assert.equal((await inboxOf(api, client.token)).unread_count, clientInbox.unread_count - 1, 'reading twice counts once');
  const unreadOnly = await expectOk(api.get('/v1/notifications?unread=true&limit=100', client.token));
  assert.ok(!unreadOnly.data.some((n: { id: string }) => n.id === newest!.id));
  assert.equal(unreadOnly.data.length, clientInbox.unread_count - 1);
  const foreign = await api.post(`/v1/notifications/${older!.id}/read`, {}, freelancer.token);
  assert.equal(foreign.status, 404);
  assert.equal(foreign.body.error.type, 'not_found');
  assert.equal((await inboxOf(api, client.token)).unread_count, clientInbox.unread_count - 1, "another user's attempt marks nothing read");
  assert.equal((await api.post('/v1/notifications/ntf_doesnotexist/read', {}, client.token)).status, 404);
});

// ---------------------------------------------------------------------------
// 2. Outages: nothing lost, nothing twice, dead after the last attempt.

test('an SMTP outage mid-batch loses nothing: once the server is back every email arrives exactly once per recipient and event', async () => {
  const smtp = await startSmtp();
  after(() => smtp.stop());
  const smtpMail = createSmtpTransport(smtp.url);
  let accepted = 0;
  // The server goes down right after accepting the second message of the batch.
  const mail: MailTransport = {
    async send(m) {
      await smtpMail.send(m);
      accepted++;
      if (accepted === 2) await smtp.stop();
    },
  };
  const api = await startSettle({ env: { SETTLE_BASE_URL: BASE_URL }, channels: { mail, webhooks: fetchWebhookSender } });
  const { deps, channels } = api.settle;
  await disputedMilestone(api);
  const notifications = (
    await deps.db.query<{ id: string; email: string; event_id: string }>('select n.id, u.email, n.event_id from notifications n join users u on u.id = n.user_id order by n.seq')
  ).rows;
  assert.ok(notifications.length > 3, `a batch of several emails (${notifications.length})`);

  const first = await dispatchOutbox(deps, channels);
  assert.deepEqual(first, { sent: 2, failed: notifications.length - 2 });
  assert.equal(smtp.received.length, 2);
  const now = deps.clock.now();
  const rows = await outboxRows(api, 'email');
  assert.equal(rows.filter((r) => r.status === 'sent').length, 2);
  const waiting = rows.filter((r) => r.status === 'pending');
  assert.equal(waiting.length, notifications.length - 2);
  for (const r of waiting) {
    assert.equal(r.attempts, 1);
    assert.equal(r.next_attempt_at.getTime(), now.getTime() + backoffMs(1), 'retried after the backoff');
    assert.ok(r.next_attempt_at > now);
    assert.ok(r.last_error && r.last_error.length > 0, 'the failure is kept');
  }
  const pendingView = await expectOk(api.admin('GET', '/v1/admin/outbox?status=pending&limit=100'));
  assert.equal(pendingView.data.length, waiting.length);

  // Back up on the same port; nothing is retried before its backoff has passed.
  await smtp.start();
  assert.deepEqual(await dispatchOutbox(deps, channels), { sent: 0, failed: 0 });
  await api.advance({ seconds: backoffMs(1) / 1000 });
  const rest = await deliver(api);
  assert.deepEqual(rest, { sent: notifications.length - 2, failed: 0 });
  assert.deepEqual(await deliver(api), { sent: 0, failed: 0 }, 'nothing is sent again');

  const ids = smtp.received.map((m) => m.messageId);
  assert.equal(new Set(ids).size, ids.length, 'no Message-ID arrived twice');
  assert.deepEqual([...ids].sort(), notifications.map((n) => `<${n.id}@settle>`).sort(), 'every notification arrived');
  const pairs = new Set<string>();
  for (const n of notifications) {
    const arrived = smtp.received.filter((m) => m.messageId === `<${n.id}@settle>`);
    assert.equal(arrived.length, 1);
    assert.deepEqual(recipientsOf(arrived[0]!), [n.email], 'to the notification’s reader');
    pairs.add(`${n.email}|${n.event_id}`);
  }
  assert.equal(pairs.size, smtp.received.length, 'one email per recipient and event');
  assert.ok((await outboxRows(api, 'email')).every((r) => r.status === 'sent'));
});

test('an email that fails every attempt is dead after OUTBOX_MAX_ATTEMPTS, shown to the operator, and not tried again', async () => {
  const smtp = await startSmtp();
  after(() => smtp.stop());
  await smtp.stop();
  const api = await startSettle({ env: { SMTP_URL: smtp.url, SETTLE_BASE_URL: BASE_URL } });
  const { deps, channels } = api.settle;
  const { client } = await activeContract(api);
  const emails = (await outboxRows(api, 'email')).length;
  assert.ok(emails >= 2);

  for (let attempt = 1; attempt <= OUTBOX_MAX_ATTEMPTS; attempt++) {
    assert.deepEqual(await dispatchOutbox(deps, channels), { sent: 0, failed: emails }, `attempt ${attempt} fails`);
    const rows = await outboxRows(api, 'email');
    const last = attempt === OUTBOX_MAX_ATTEMPTS;
    for (const r of rows) {
      assert.equal(r.attempts, attempt);
      assert.equal(r.status, last ? 'dead' : 'pending', `after attempt ${attempt}`);
    }
    if (last) break;
    assert.deepEqual(await dispatchOutbox(deps, channels), { sent: 0, failed: 0 }, 'not retried before the backoff');
    assert.equal(backoffMs(attempt + 1) >= backoffMs(attempt), true, 'the backoff grows');
    await api.advance({ seconds: backoffMs(attempt) / 1000 });
  }

  const dead = await expectOk(api.admin('GET', '/v1/admin/outbox?status=dead&limit=100'));
  assert.equal(dead.data.length, emails);
  for (const d of dead.data) {
    assert.equal(d.channel, 'email');
    assert.equal(d.status, 'dead');
    assert.equal(d.attempts, OUTBOX_MAX_ATTEMPTS);
    assert.match(d.last_error, /\S/);
    assert.match(d.notification, /^ntf_/);
  }
  assert.equal((await expectOk(api.admin('GET', '/v1/admin/outbox?status=pending'))).data.length, 0);
  assert.equal((await api.get('/v1/admin/outbox?status=dead', client.token)).status, 403, 'members do not see the outbox');

  // Dead is final: the server coming back and days passing send nothing.
  await smtp.start();
  await api.advance({ seconds: 3 * 86_400 });
  assert.deepEqual(await deliver(api), { sent: 0, failed: 0 });
  assert.equal(smtp.received.length, 0);
});

// ---------------------------------------------------------------------------
// 3. Without SMTP_URL: .eml files in the data dir.

test('without SMTP_URL each email is written once as an .eml file in the data dir’s mail folder and is in the inbox', async () => {
  const api = await startSettle({ env: { SETTLE_BASE_URL: BASE_URL } });
  assert.equal(api.settle.deps.config.smtpUrl, undefined);
  const { client, freelancer, contract } = await activeContract(api);
  const mine = (
    await api.settle.deps.db.query<{ id: string; email: string; subject: string; user_id: string }>('select n.id, u.email, n.subject, n.user_id from notifications n join users u on u.id = n.user_id')
  ).rows;
  assert.deepEqual(mine.map((n) => n.email).sort(), [client.email, freelancer.email].sort(), 'the offer and its acceptance');
  const mailDir = path.join(path.resolve(api.settle.deps.config.dataDir), 'mail');
  const ourFiles = async () => (await readdir(mailDir)).filter((f) => mine.some((n) => f.startsWith(`${n.id}@`))).sort();

  assert.equal((await deliver(api)).sent, mine.length);
  assert.deepEqual(await ourFiles(), mine.map((n) => `${n.id}@settle.eml`).sort());
  for (const n of mine) {
    const parsed = await simpleParser(await readFile(path.join(mailDir, `${n.id}@settle.eml`)));
    assert.deepEqual(recipientsOf(parsed), [n.email]);
    assert.equal(parsed.subject, n.subject);
    assert.equal(parsed.messageId, `<${n.id}@settle>`);
    assert.ok(linesOf(parsed).includes(`Open it in Settle: ${BASE_URL}/contracts/${contract.id}`));
    const owner = n.user_id === client.id ? client : freelancer;
    const inbox = await inboxOf(api, owner.token);
    assert.ok(inbox.data.some((x: { id: string; subject: string }) => x.id === n.id && x.subject === n.subject), 'also in the inbox');
    assert.equal(inbox.unread_count, 1);
  }

  // A second dispatch has nothing to do; a retry of the same rows (as after a
  // crash between writing and marking them sent) rewrites the same files.
  assert.deepEqual(await dispatchOutbox(api.settle.deps, api.settle.channels), { sent: 0, failed: 0 });
  await api.settle.deps.db.query(`update outbox set status = 'pending', sent_at = null where channel = 'email'`);
  assert.equal((await deliver(api)).sent, mine.length);
  assert.deepEqual(await ourFiles(), mine.map((n) => `${n.id}@settle.eml`).sort(), 'the same files, no second copy');
  assert.ok(!(await readdir(mailDir)).some((f) => f.endsWith('.tmp')), 'no half-written file left');
  for (const n of mine) {
    const parsed = await simpleParser(await readFile(path.join(mailDir, `${n.id}@settle.eml`)));
    assert.equal(parsed.messageId, `<${n.id}@settle>`);
  }
});

// ---------------------------------------------------------------------------
// 4. Reminders 48 h and 24 h before every deadline, with the manual clock.

test('the client is reminded 48 h and 24 h before the review window ends, each once, in their own zone; the freelancer is not', async () => {
  const smtp = await startSmtp();
  after(() => smtp.stop());
  const api = await startSettle({ env: { SMTP_URL: smtp.url, SETTLE_BASE_URL: BASE_URL } });
  const { client, freelancer, contract, milestoneIds } = await activeContract(api, [100_000], 'usd', { client: { time_zone: 'America/New_York' } });
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  const submitted = await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Done.' }, freelancer.token));
  const due = '2026-12-15T09:00:00.000Z';
  assert.equal(submitted.review_due_at, due);

  await api.advance({ to: '2026-12-13T09:00:00.000Z' });
  assert.deepEqual(await remindersOf(api, client), [], 'exactly 48 h before is not yet past it');
  await api.advance({ seconds: 1 });
  assert.deepEqual(await remindersOf(api, client), [`reminder.review 48h ${due}`]);
  await api.advance({ to: '2026-12-14T09:00:00.000Z' });
  assert.deepEqual(await remindersOf(api, client), [`reminder.review 48h ${due}`]);
  await api.advance({ seconds: 1 });
  assert.deepEqual(await remindersOf(api, client), [`reminder.review 48h ${due}`, `reminder.review 24h ${due}`]);
  assert.deepEqual(await remindersOf(api, freelancer), []);

  await deliver(api);
  const reminders = smtp.received.filter((m) => m.subject?.startsWith('Reminder:'));
  assert.deepEqual(
    reminders.map((m) => `${recipientsOf(m).join(',')} | ${m.subject}`).sort(),
    [24, 48].map((h) => `${client.email} | Reminder: ${h} hours left to review the submitted work on "Milestone 1"`),
  );
  for (const m of reminders) {
    const lines = linesOf(m);
    assert.ok(lines.some((l) => deadlineLine('Tuesday, December 15, 2026', '4:00 AM EST').test(l)), m.text);
    assert.ok(lines.includes('Milestone: Milestone 1'));
    assert.ok(lines.some((l) => l.startsWith('What to do: ')));
    assert.ok(lines.includes(`Open it in Settle: ${BASE_URL}/contracts/${contract.id}`));
  }

  // The window ends: released, and no reminder after the deadline.
  await api.advance({ to: '2026-12-16T09:00:00.000Z' });
  assert.equal((await expectOk(api.get(`/v1/milestones/${id}`, client.token))).status, 'paid');
  assert.equal((await remindersOf(api, client)).length, 2);
});

test('a client who approves between the 48 h and the 24 h reminder gets no 24 h reminder', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Done.' }, freelancer.token));
  await api.advance({ to: '2026-12-13T09:00:01.000Z' });
  assert.deepEqual(await remindersOf(api, client), ['reminder.review 48h 2026-12-15T09:00:00.000Z']);
  await expectOk(api.post(`/v1/milestones/${id}/approve`, {}, client.token));
  await api.advance({ to: '2026-12-16T09:00:00.000Z' });
  assert.deepEqual(await remindersOf(api, client), ['reminder.review 48h 2026-12-15T09:00:00.000Z']);
  assert.deepEqual(await remindersOf(api, freelancer), []);
});

test('the freelancer is reminded before the refund window ends and not after approving the refund; the client is not', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  const partial = await expectOk(api.post(`/v1/milestones/${id}/approve`, { amount: 30_000 }, client.token));
  const due = '2026-12-08T09:00:00.000Z';
  assert.equal(partial.refund_due_at, due);
  await api.advance({ to: '2026-12-06T09:00:01.000Z' });
  assert.deepEqual(await remindersOf(api, freelancer), [`reminder.refund 48h ${due}`]);
  await expectOk(api.post(`/v1/milestones/${id}/refund/approve`, {}, freelancer.token));
  await api.advance({ to: '2026-12-09T09:00:00.000Z' });
  assert.deepEqual(await remindersOf(api, freelancer), [`reminder.refund 48h ${due}`]);
  assert.deepEqual(await remindersOf(api, client), []);
});

test('the client is reminded 48 h and 24 h before the business-day dispute response deadline; the freelancer is not', async () => {
  const api = await startSettle();
  const { client, freelancer, dispute } = await disputedMilestone(api, { clientExtra: { time_zone: 'America/New_York', country: 'US' } });
  // Filed Tuesday 04:00 in New York: Wed 2, Thu 3, Fri 4, Mon 7, Tue 8 → Tuesday 23:59:59 EST.
  const due = '2026-12-09T04:59:59.000Z';
  assert.equal(dispute.response_due_at, due);
  await api.advance({ to: '2026-12-07T04:59:59.000Z' });
  assert.deepEqual(await remindersOf(api, client), []);
  await api.advance({ seconds: 1 });
  assert.deepEqual(await remindersOf(api, client), [`reminder.response 48h ${due}`]);
  await api.advance({ to: '2026-12-08T05:00:00.000Z' });
  assert.deepEqual(await remindersOf(api, client), [`reminder.response 48h ${due}`, `reminder.response 24h ${due}`]);
  assert.deepEqual(await remindersOf(api, freelancer), []);
  const inbox = await inboxOf(api, client.token);
  assert.ok(inbox.data.filter((n: { type: string }) => n.type === 'reminder.response').every((n: { link: string }) => n.link === `/disputes/${dispute.id}`));
});

test('proposal reminders go only to a party that has not decided yet', async () => {
  const api = await startSettle();
  const { client, freelancer, dispute } = await disputedMilestone(api);
  const { staff } = await staffAndArbitrator(api);
  await expectOk(api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'quality_issues', description: DECLINE }, client.token));
  const proposed = await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal`, { freelancer_amount: 50_000, explanation: 'Half the work meets the brief, half does not.' }, staff.token), 201);
  const due = proposed.proposal.due_at as string;
  assert.equal(due, '2026-12-03T09:00:00.000Z');
  // The 2-day window opens exactly 48 h before it ends: both parties, undecided, get the 48 h reminder.
  await api.advance({ seconds: 3600 });
  assert.deepEqual(await remindersOf(api, client), [`reminder.proposal 48h ${due}`]);
  assert.deepEqual(await remindersOf(api, freelancer), [`reminder.proposal 48h ${due}`]);
  await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal/accept`, {}, freelancer.token));
  await api.advance({ to: '2026-12-02T09:00:01.000Z' });
  assert.deepEqual(await remindersOf(api, client), [`reminder.proposal 48h ${due}`, `reminder.proposal 24h ${due}`]);
  assert.deepEqual(await remindersOf(api, freelancer), [`reminder.proposal 48h ${due}`], 'the freelancer decided: no 24 h reminder');
});

test('arbitration reminders go only to the party that has not paid its fee', async () => {
  const api = await startSettle();
  const { client, freelancer, dispute } = await disputedMilestone(api);
  const { staff } = await staffAndArbitrator(api);
  await expectOk(api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'quality_issues', description: DECLINE }, client.token));
  await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal`, { freelancer_amount: 50_000, explanation: 'Half the work meets the brief, half does not.' }, staff.token), 201);
  const rejected = await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal/reject`, {}, client.token));
  const due = rejected.arbitration.due_at as string;
  assert.equal(due, '2026-12-08T09:00:00.000Z');
  await expectOk(api.post(`/v1/disputes/${dispute.id}/arbitration`, { payment_method: 'pm_card_visa' }, freelancer.token));
  await api.advance({ to: '2026-12-06T09:00:01.000Z' });
  assert.deepEqual(await remindersOf(api, client), [`reminder.arbitration 48h ${due}`]);
  await api.advance({ to: '2026-12-07T09:00:01.000Z' });
  assert.deepEqual(await remindersOf(api, client), [`reminder.arbitration 48h ${due}`, `reminder.arbitration 24h ${due}`]);
  assert.deepEqual(await remindersOf(api, freelancer), [], 'the freelancer paid');
  // Past the deadline the escrow goes to the one who paid, and nobody is reminded of anything.
  await api.advance({ to: '2026-12-09T09:00:00.000Z' });
  assert.equal((await expectOk(api.get(`/v1/disputes/${dispute.id}`, client.token))).status, 'resolved');
  assert.equal((await remindersOf(api, client)).length, 2);
});

test('a review window resumed with 30 h left by a withdrawn dispute sends only the 24 h reminder', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Done.' }, freelancer.token));
  const firstDue = '2026-12-15T09:00:00.000Z';
  // 30 h before the window ends (after its 48 h reminder), the freelancer files a dispute.
  await api.advance({ to: '2026-12-14T03:00:00.000Z' });
  assert.deepEqual(await remindersOf(api, client), [`reminder.review 48h ${firstDue}`]);
  const dispute = await expectOk(api.post('/v1/disputes', { milestone_id: id, reason_code: 'work_delivered_not_paid', description: DESCRIPTION }, freelancer.token), 201);
  // A day later it is withdrawn: the window resumes with its 30 h.
  await api.advance({ to: '2026-12-15T03:00:00.000Z' });
  await expectOk(api.post(`/v1/disputes/${dispute.id}/withdraw`, {}, freelancer.token));
  const resumed = await expectOk(api.get(`/v1/milestones/${id}`, client.token));
  const due = '2026-12-16T09:00:00.000Z';
  assert.equal(resumed.review_due_at, due);
  await api.advance({ to: '2026-12-15T09:00:00.000Z' });
  assert.deepEqual(await remindersOf(api, client), [`reminder.review 48h ${firstDue}`], 'no 48 h reminder with 30 h left');
  await api.advance({ seconds: 1 });
  assert.deepEqual(await remindersOf(api, client), [`reminder.review 48h ${firstDue}`, `reminder.review 24h ${due}`]);
  assert.deepEqual(await remindersOf(api, freelancer), []);
});

test("the schedule's next reminder follows the window: the first offset of REMINDER_HOURS not yet handled, then none", async () => {
  // migrations/0006 writes the offsets in SQL; they must be the ones the rules send.
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const id = milestoneIds[0]!;
  const next = async () => (await api.settle.deps.db.query<{ at: Date | null }>('select next_reminder_at as at from milestones where id = $1', [id])).rows[0]!.at?.toISOString() ?? null;
  const before = (due: string, hours: number) => new Date(Date.parse(due) - hours * 3_600_000).toISOString();
  await expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  assert.equal(await next(), null, 'no window, no reminder');
  const due = (await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Done.' }, freelancer.token))).review_due_at as string;
  const [first, second] = [...REMINDER_HOURS].sort((a, b) => b - a);
  assert.equal(await next(), before(due, first!));
  await api.advance({ to: before(due, first!) });
  await api.advance({ seconds: 1 });
  assert.equal(await next(), before(due, second!));
  await api.advance({ to: before(due, second!) });
  await api.advance({ seconds: 1 });
  assert.equal(await next(), null, 'both reminders handled');
  const expected = await api.settle.deps.db.query<{ h: number[] }>(
    `select array_agg(hours_before order by hours_before desc) as h from reminders_sent where subject_id = $1`,
    [id],
  );
  assert.deepEqual(expected.rows[0]!.h, [first, second]);
  await expectOk(api.post(`/v1/milestones/${id}/request_changes`, { message: 'Please adjust.' }, client.token));
  assert.equal(await next(), null, 'changes requested: the window stopped');
});

// ---------------------------------------------------------------------------
// 5. Webhooks.

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A real HTTP receiver on loopback; `answer` picks the status of the n-th request to a path. */
async function startReceiver(answer: (path: string, n: number) => number) {
  const hits: Hit[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const p = req.url ?? '/';
      const n = (counts.get(p) ?? 0) + 1;
      counts.set(p, n);
      const status = answer(p, n);
      hits.push({ path: p, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'unavailable');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Checks Settle-Signature as a receiver would; returns its timestamp. */
function verifySignature(header: string | string[] | undefined, body: string, secret: string): number {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header));
  assert.ok(m, `Settle-Signature has the form t=<unix>,v1=<hex>: ${header}`);
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  assert.ok(timingSafeEqual(expected, Buffer.from(m[2]!, 'hex')), 'the signature verifies with the endpoint secret');
  const forged = createHmac('sha256', secret).update(`${m[1]}.${body} `).digest();
  assert.ok(!timingSafeEqual(forged, Buffer.from(m[2]!, 'hex')), 'and only for this exact body');
  return Number(m[1]);
}

test('webhooks: signed JSON for subscribed events on the owner’s contracts only, retried after a failure, nothing once deleted', async () => {
  // The client's endpoint fails its first request, then accepts.
  const receiver = await startReceiver((p, n) => (p === '/client' && n === 1 ? 500 : 200));
  after(() => receiver.close());
  const api = await startSettle();
  const { deps, channels } = api.settle;
  const client = await api.user('Cleo Client');
  const freelancer = await api.user('Finn Freelancer');
  const stranger = await api.user('Sam Stranger');
  const other = await api.user('Olga Other');

  const endpoint = await expectOk(api.post('/v1/webhook_endpoints', { url: `${receiver.url}/client`, events: ['milestone.funded', 'dispute.filed', 'milestone.released'] }, client.token), 201);
  assert.match(endpoint.secret, /^whsec_/);
  assert.deepEqual(endpoint.events, ['milestone.funded', 'dispute.filed', 'milestone.released']);
  const listed = await expectOk(api.get('/v1/webhook_endpoints', client.token));
  assert.deepEqual(listed.data.map((e: { id: string }) => e.id), [endpoint.id]);
  assert.equal('secret' in listed.data[0], false, 'the secret is shown only once');
  const strangerEndpoint = await expectOk(api.post('/v1/webhook_endpoints', { url: `${receiver.url}/stranger`, events: ['*'] }, stranger.token), 201);
  assert.deepEqual((await expectOk(api.get('/v1/webhook_endpoints', stranger.token))).data.map((e: { id: string }) => e.id), [strangerEndpoint.id]);

  const contract = await contractBetween(api, client, freelancer, [100_000, 50_000]);
  const strangers = await contractBetween(api, stranger, other, [10_000]);
  const [m1, m2] = contract.milestoneIds as [string, string];
  await expectOk(api.post(`/v1/milestones/${m1}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  await expectOk(api.post(`/v1/milestones/${m1}/submit`, { message: 'Done.' }, freelancer.token));

  const clientHits = () => receiver.hits.filter((h) => h.path === '/client');
  await deliver(api);
  assert.deepEqual(clientHits().map((h) => h.status), [500], 'one attempt, refused');
  const [failedRow] = (await outboxRows(api, 'webhook')).filter((r) => r.webhook_endpoint_id === endpoint.id);
  assert.equal(failedRow!.status, 'pending');
  assert.equal(failedRow!.attempts, 1);
  assert.equal(failedRow!.next_attempt_at.getTime(), deps.clock.now().getTime() + backoffMs(1));
  assert.match(failedRow!.last_error ?? '', /500/);

  await api.advance({ seconds: backoffMs(1) / 1000 });
  await deliver(api);
  assert.deepEqual(clientHits().map((h) => h.status), [500, 200], 'retried after the backoff');
  const [refused, funded] = clientHits() as [Hit, Hit];
  assert.equal(funded.body, refused.body, 'the retry carries the same event');
  assert.match(String(funded.headers['content-type']), /^application\/json/);
  assert.equal(verifySignature(funded.headers['settle-signature'], funded.body, endpoint.secret), Math.floor(deps.clock.now().getTime() / 1000));
  const fundedEvent = JSON.parse(funded.body);
  assert.match(fundedEvent.id, /^evt_/);
  assert.equal(fundedEvent.type, 'milestone.funded');
  assert.equal(fundedEvent.contract, contract.id);
  assert.equal(fundedEvent.milestone, m1);
  assert.equal(fundedEvent.data.amount, 100_000);
  const stored = await deps.db.query<{ type: string }>('select type from events where id = $1', [fundedEvent.id]);
  assert.equal(stored.rows[0]?.type, 'milestone.funded', 'the id is the recorded event’s');
  assert.equal((await outboxRows(api, 'webhook')).find((r) => r.seq === failedRow!.seq)!.status, 'sent');

  const dispute = await expectOk(api.post('/v1/disputes', { milestone_id: m1, reason_code: 'work_delivered_not_paid', description: DESCRIPTION }, freelancer.token), 201);
  await deliver(api);
  const filed = clientHits()[2]!;
  verifySignature(filed.headers['settle-signature'], filed.body, endpoint.secret);
  assert.deepEqual({ type: JSON.parse(filed.body).type, dispute: JSON.parse(filed.body).dispute }, { type: 'dispute.filed', dispute: dispute.id });
  assert.deepEqual(
    clientHits().filter((h) => h.status === 200).map((h) => JSON.parse(h.body).type),
    ['milestone.funded', 'dispute.filed'],
    'only the subscribed types (no offer, submission or milestone.disputed)',
  );
  assert.equal(new Set(clientHits().filter((h) => h.status === 200).map((h) => JSON.parse(h.body).id)).size, 2, 'each event delivered once');

  // The stranger's "*" endpoint hears its own contract, never the client's.
  const strangerHits = receiver.hits.filter((h) => h.path === '/stranger');
  assert.ok(strangerHits.length >= 2);
  for (const h of strangerHits) {
    verifySignature(h.headers['settle-signature'], h.body, strangerEndpoint.secret);
    assert.equal(JSON.parse(h.body).contract, strangers.id);
  }
  const strangerTypes = strangerHits.map((h) => JSON.parse(h.body).type as string);
  assert.ok(strangerTypes.includes('contract.offered') && strangerTypes.includes('contract.accepted'), strangerTypes.join());

  // Deleted with a delivery still waiting: that delivery and every later event go nowhere.
  await expectOk(api.post(`/v1/milestones/${m2}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  assert.equal((await api.request('DELETE', `/v1/webhook_endpoints/${endpoint.id}`, { token: client.token })).status, 204);
  assert.equal((await api.request('DELETE', `/v1/webhook_endpoints/${endpoint.id}`, { token: client.token })).status, 404);
  assert.deepEqual((await expectOk(api.get('/v1/webhook_endpoints', client.token))).data, []);
  const rowsAtDeletion = (await outboxRows(api, 'webhook')).filter((r) => r.webhook_endpoint_id === endpoint.id).length;
  await expectOk(api.post(`/v1/milestones/${m2}/submit`, { message: 'Done.' }, freelancer.token));
  await expectOk(api.post(`/v1/milestones/${m2}/approve`, {}, client.token));
  assert.equal((await outboxRows(api, 'webhook')).filter((r) => r.webhook_endpoint_id === endpoint.id).length, rowsAtDeletion, 'nothing new is queued for it');
  await api.advance({ seconds: 3600 });
  await deliver(api);
  assert.equal(clientHits().length, 3, 'the deleted endpoint got nothing more');

  // Another member cannot delete the stranger's endpoint.
  assert.equal((await api.request('DELETE', `/v1/webhook_endpoints/${strangerEndpoint.id}`, { token: client.token })).status, 404);

  const ftp = await api.post('/v1/webhook_endpoints', { url: 'ftp://x', events: ['*'] }, client.token);
  assert.equal(ftp.status, 400);
  assert.equal(ftp.body.error.param, 'url');
  const none = await api.post('/v1/webhook_endpoints', { url: `${receiver.url}/client`, events: [] }, client.token);
  assert.equal(none.status, 400);
  assert.equal(none.body.error.param, 'events');
});

// ---------------------------------------------------------------------------
// 6. Same transaction as the cause.

test('a failed action writes no notification and no outbox row: the notification is part of the change’s transaction', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const id = milestoneIds[0]!;
  const before = { notifications: await countRows(api, 'notifications'), outbox: await countRows(api, 'outbox'), events: await countRows(api, 'events') };
  const freelancerInbox = (await inboxOf(api, freelancer.token)).data.length;

  const declined = await api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_declined' }, client.token);
  assert.equal(declined.status, 402);
  assert.equal(declined.body.error.code, 'card_declined');
  assert.deepEqual({ notifications: await countRows(api, 'notifications'), outbox: await countRows(api, 'outbox'), events: await countRows(api, 'events') }, before);

  // A failure after the notification was written (the outbox insert refusing) rolls back the notification and the change together.
  const db = api.settle.deps.db;
  await db.exec(`create function test_outbox_down() returns trigger language plpgsql as $$ begin raise exception 'outbox unavailable'; end $$;
                 create trigger test_outbox_down before insert on outbox for each row execute function test_outbox_down();`);
  const failed = await api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token);
  assert.equal(failed.status, 500);
  await db.exec('drop trigger test_outbox_down on outbox; drop function test_outbox_down();');
  assert.equal((await expectOk(api.get(`/v1/milestones/${id}`, client.token))).status, 'pending', 'the milestone was not funded');
  assert.deepEqual({ notifications: await countRows(api, 'notifications'), outbox: await countRows(api, 'outbox'), events: await countRows(api, 'events') }, before);
  assert.equal((await inboxOf(api, freelancer.token)).data.length, freelancerInbox);

  // With the outbox back, the same action commits its notification with it.
  await expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  const funded = await db.query<{ n: number }>(
    `select count(*)::int8 as n from notifications n join outbox o on o.notification_id = n.id join events e on e.id = n.event_id where e.type = 'milestone.funded' and n.user_id = $1`,
    [freelancer.id],
  );
  assert.equal(funded.rows[0]!.n, 1);
  await assertLedger(api);
});

test("an auto-release's notifications follow its batch: queued in the release's transaction, written once after it, kept through a failure", async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [100_000]);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  const submitted = await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Done.' }, freelancer.token));
  const { deps } = api.settle;
  const db = deps.db;
  const released = async () =>
    (
      await db.query<{ user_id: string; emails: number }>(
        `select n.user_id, (select count(*)::int8 from outbox o where o.notification_id = n.id) as emails
           from notifications n join events e on e.id = n.event_id
          where e.type = 'milestone.released' and e.milestone_id = $1 order by n.user_id`,
        [id],
      )
    ).rows;
  const queued = async () => (await db.query<{ event_ids: string[] }>('select event_ids from notification_queue')).rows;

  // The batch alone: money moved and the event recorded, its notifications only queued.
  const after = new Date(new Date(submitted.review_due_at).getTime() + 1000);
  assert.equal(await reviewWindowRule.runBatch(deps, after, after, 10), 1);
  assert.equal((await expectOk(api.get(`/v1/milestones/${id}`, client.token))).status, 'paid');
  const [entry] = await queued();
  assert.equal(entry?.event_ids.length, 1);
  assert.deepEqual(await released(), []);
  assert.ok((await notificationFanoutRule.nextDue(db))! < after, 'due in the sweep that queued it');

  // A fan-out that fails writes nothing and keeps the queue entry.
  await db.exec(`create function test_outbox_down() returns trigger language plpgsql as $$ begin raise exception 'outbox unavailable'; end $$;
                 create trigger test_outbox_down before insert on outbox for each row execute function test_outbox_down();`);
  await assert.rejects(notificationFanoutRule.runBatch(deps, after, after, 10), /outbox unavailable/);
  await db.exec('drop trigger test_outbox_down on outbox; drop function test_outbox_down();');
  assert.deepEqual(await released(), []);
  assert.equal((await queued()).length, 1);

  // Then each party gets one notification and one email, and the entry is gone.
  assert.equal(await notificationFanoutRule.runBatch(deps, after, after, 10), 1);
  assert.deepEqual(await released(), [client.id, freelancer.id].sort().map((user_id) => ({ user_id, emails: 1 })));
  assert.deepEqual(await queued(), []);
  assert.equal(await notificationFanoutRule.runBatch(deps, after, after, 10), 0);

  // The same events queued again (a repeated pass) write nothing new.
  await db.query('insert into notification_queue (event_ids, queued_at) values ($1::text[], $2)', [entry!.event_ids, after]);
  assert.equal(await notificationFanoutRule.runBatch(deps, after, after, 10), 1);
  assert.deepEqual(await released(), [client.id, freelancer.id].sort().map((user_id) => ({ user_id, emails: 1 })));
  assert.equal((await inboxOf(api, freelancer.token)).data.filter((n: { type: string }) => n.type === 'milestone.released').length, 1);
  await assertLedger(api);
});
