// The dispute's record (PRODUCT.md "The record", API.md "event"): a hash chain
// anyone with access can recompute, linear under concurrent writers, rows the
// database itself refuses to change, responses and decisions given once, and
// the case file PDF that carries the chain's final hash.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { test } from 'node:test';
import { canonicalJson } from '../src/lib/canonical-json.ts';
import { startSettle, type TestApi } from './support/harness.ts';
import { DECLINE, DESCRIPTION, assertChain, disputedMilestone, operatorMadeUser } from './support/disputes.ts';
import { activeContract, assertLedger, balanceOf, expectOk } from './support/scenario.ts';

const GENESIS = '0'.repeat(64);
const EXPLANATION = 'Half of the screens meet the brief; the mobile layouts are missing.';
const AWARD = 'The work was delivered as specified except for the mobile layouts.';

type Event = { id: string; object: 'event'; seq: number; type: string; actor: { id: string; role: string } | null; data: Record<string, unknown>; created_at: string; prev_hash: string; hash: string };

/** POST /v1/files with a plain-text file, through the real multipart path. */
async function upload(api: TestApi, member: { token: string }, filename: string, text: string): Promise<{ id: string; sha256: string }> {
  const boundary = 'settle-record-test-boundary';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n${text}\r\n--${boundary}--\r\n`;
  const res = await api.request('POST', '/v1/files', { token: member.token, rawBody: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.sha256, createHash('sha256').update(text).digest('hex'));
  return res.body;
}

async function events(api: TestApi, disputeId: string, token: string): Promise<Event[]> {
  return (await expectOk(api.get(`/v1/disputes/${disputeId}/events`, token))).data;
}

/** The chain recomputed from scratch: seq 1..n, genesis 64 zeros, each hash over prev_hash + canonical JSON without `hash`. */
function recompute(list: readonly Event[]): { ok: boolean; head: string } {
  let prev = GENESIS;
  for (const [i, e] of list.entries()) {
    const { hash, ...rest } = e;
    if (e.seq !== i + 1 || e.prev_hash !== prev) return { ok: false, head: prev };
    if (createHash('sha256').update(prev + canonicalJson(rest), 'utf8').digest('hex') !== hash) return { ok: false, head: prev };
    prev = hash;
  }
  return { ok: true, head: prev };
}

async function getDispute(api: TestApi, id: string, token: string) {
  return expectOk(api.get(`/v1/disputes/${id}`, token));
}

/** The bytes of a binary response (the harness decodes bodies as text). */
async function rawGet(api: TestApi, url: string, token: string) {
  const res = await api.settle.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload };
}

/**
 * The text a PDF shows: every content stream inflated (pdfkit compresses them),
 * then the strings of its text operators (`(…) Tj`, `<hex> Tj`, `[…] TJ`) joined.
 */
function pdfText(pdf: Buffer): string {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const start = pdf.indexOf('stream', from, 'latin1');
    if (start < 0) break;
    let dataStart = start + 'stream'.length;
    if (pdf[dataStart] === 0x0d) dataStart++;
    if (pdf[dataStart] === 0x0a) dataStart++;
    const end = pdf.indexOf('endstream', dataStart, 'latin1');
    if (end < 0) break;
    const data = pdf.subarray(dataStart, end);
    let content: string;
    try {
      content = inflateSync(data).toString('latin1');
    } catch {
      content = data.toString('latin1');
    }
    for (const block of content.match(/BT[\s\S]*?ET/g) ?? []) {
      let line = '';
      for (const op of block.match(/\[(?:[^\]\\]|\\.)*\]\s*TJ|<[0-9A-Fa-f\s]*>\s*Tj|\((?:[^)\\]|\\.)*\)\s*Tj/g) ?? []) {
        for (const piece of op.match(/<[0-9A-Fa-f\s]*>|\((?:[^)\\]|\\.)*\)/g) ?? []) {
          if (piece.startsWith('<')) line += Buffer.from(piece.slice(1, -1).replace(/\s/g, ''), 'hex').toString('latin1');
          else line += piece.slice(1, -1).replace(/\\([()\\])/g, '$1');
        }
      }
      out.push(line);
    }
    from = end + 'endstream'.length;
  }
  return out.join('\n');
}

/**
 * A dispute taken through every kind of record: filing with a file, decline
 * with a file, messages by both parties and staff (with a file), a proposal,
 * its rejection, both opt-ins and the arbitrator's award.
 */
async function longDispute(api: TestApi) {
  const { client, freelancer, milestoneIds } = await activeContract(api);
  const staff = await operatorMadeUser(api, 'Stella Staff', 'staff');
  const arbitrator = await operatorMadeUser(api, 'Ada Arbiter', 'arbitrator');
  const milestoneId = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${milestoneId}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  await expectOk(api.post(`/v1/milestones/${milestoneId}/submit`, { message: 'Final design attached.' }, freelancer.token));
  const brief = await upload(api, freelancer, 'delivery-notes.txt', 'Delivered: 12 desktop screens, style guide, assets.');
  const filed = await expectOk(api.post('/v1/disputes', { milestone_id: milestoneId, reason_code: 'work_delivered_not_paid', description: DESCRIPTION, file_ids: [brief.id] }, freelancer.token), 201);
  await api.advance({ seconds: 3600 });
  const review = await upload(api, client, 'review.txt', 'Mobile layouts missing: see section 2 of the brief.');
  await expectOk(api.post(`/v1/disputes/${filed.id}/decline`, { reason_code: 'requirements_not_met', description: DECLINE, file_ids: [review.id] }, client.token));
  await api.advance({ seconds: 600 });
  const screenshot = await upload(api, freelancer, 'chat-log.txt', 'Client on 2026-11-02: "mobile can wait for phase 2".');
  await expectOk(api.post(`/v1/disputes/${filed.id}/messages`, { body: 'The client agreed mobile was phase 2; chat log attached.', file_ids: [screenshot.id] }, freelancer.token), 201);
  await expectOk(api.post(`/v1/disputes/${filed.id}/messages`, { body: 'That was about the marketing site, not this milestone.' }, client.token), 201);
  await expectOk(api.post(`/v1/disputes/${filed.id}/messages`, { body: 'Could both of you share the signed brief?' }, staff.token), 201);
  await api.advance({ seconds: 86400 });
  await expectOk(api.post(`/v1/disputes/${filed.id}/proposal`, { freelancer_amount: 60_000, explanation: EXPLANATION }, staff.token), 201);
  await expectOk(api.post(`/v1/disputes/${filed.id}/proposal/reject`, {}, client.token));
  await api.advance({ seconds: 2 * 86400 });
  await expectOk(api.post(`/v1/disputes/${filed.id}/arbitration`, {}, client.token));
  const started = await expectOk(api.post(`/v1/disputes/${filed.id}/arbitration`, {}, freelancer.token));
  assert.equal(started.arbitration.arbitrator.id, arbitrator.id);
  await api.advance({ seconds: 5 * 86400 });
  const awarded = await expectOk(api.post(`/v1/disputes/${filed.id}/award`, { freelancer_amount: 75_000, decision: AWARD }, arbitrator.token));
  return { client, freelancer, staff, arbitrator, milestoneId, dispute: awarded, fileIds: [brief.id, review.id, screenshot.id] };
}

test('the hash chain of a long dispute recomputes from the events API for every reader and ends at the dispute’s events_hash', async () => {
  const api = await startSettle();
  const { client, freelancer, staff, arbitrator, dispute, milestoneId } = await longDispute(api);
  assert.equal(dispute.status, 'resolved');
  assert.deepEqual({ ...dispute.outcome, resolved_at: undefined }, { kind: 'arbitration_award', freelancer_amount: 75_000, client_amount: 25_000, resolved_at: undefined });
  assert.equal(dispute.next_deadline, null);

  const chain = await events(api, dispute.id, client.token);
  assert.deepEqual(
    chain.map((e) => e.type),
    [
      'dispute.filed',
      'dispute.declined',
      'dispute.message_added',
      'dispute.message_added',
      'dispute.message_added',
      'dispute.proposal_issued',
      'dispute.proposal_rejected',
      'dispute.not_resolved',
      'dispute.arbitration_opt_in',
      'dispute.arbitration_opt_in',
      'dispute.arbitration_started',
      'dispute.award_recorded',
      'dispute.resolved',
    ],
  );
  assert.deepEqual(chain.map((e) => e.seq), chain.map((_, i) => i + 1));
  assert.equal(chain[0]!.prev_hash, GENESIS);
  for (const e of chain) assert.match(e.hash, /^[0-9a-f]{64}$/);
  for (let i = 1; i < chain.length; i++) {
    assert.equal(chain[i]!.prev_hash, chain[i - 1]!.hash);
    assert.ok(chain[i]!.created_at >= chain[i - 1]!.created_at, 'oldest first');
  }
  const { ok, head } = recompute(chain);
  assert.equal(ok, true);
  assert.equal(head, chain.at(-1)!.hash);
  assert.equal(dispute.events_hash, head);
  assert.equal((await getDispute(api, dispute.id, freelancer.token)).events_hash, head);
  // Who acted, as the record says.
  assert.deepEqual(chain.slice(0, 5).map((e) => e.actor?.role), ['freelancer', 'client', 'freelancer', 'client', 'staff']);
  assert.equal(chain[11]!.actor!.id, arbitrator.id);

  // Every reader gets the same chain.
  for (const token of [freelancer.token, staff.token, arbitrator.token]) assert.deepEqual(await events(api, dispute.id, token), chain);
  // The check has teeth: changing any byte of an event breaks it.
  const tampered = structuredClone(chain);
  tampered[6]!.data = { ...tampered[6]!.data, note: 'edited' };
  assert.equal(recompute(tampered).ok, false);
  const reordered = [chain[1]!, chain[0]!, ...chain.slice(2)];
  assert.equal(recompute(reordered).ok, false);

  assert.equal((await expectOk(api.get(`/v1/milestones/${milestoneId}`, client.token))).status, 'paid');
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 67_500, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 25_000, pending: 0, in_escrow: 0 });
  await assertChain(api, dispute.id, arbitrator.token);
  await assertLedger(api);
});

test('twenty messages posted at once by both parties keep the chain linear: unique, contiguous seq, and it verifies', async () => {
  const api = await startSettle();
  const { client, freelancer, dispute, milestoneId } = await disputedMilestone(api);
  await expectOk(api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'quality_issues', description: DECLINE }, client.token));
  const posts = Array.from({ length: 20 }, (_, i) => {
    const author = i % 2 === 0 ? freelancer : client;
    return api.post(`/v1/disputes/${dispute.id}/messages`, { body: `Message ${i} from ${i % 2 === 0 ? 'the freelancer' : 'the client'}.` }, author.token);
  });
  const results = await Promise.all(posts);
  assert.deepEqual(results.map((r) => r.status), results.map(() => 201), JSON.stringify(results.find((r) => r.status !== 201)?.body));

  const chain = await events(api, dispute.id, freelancer.token);
  assert.equal(chain.length, 22);
  assert.deepEqual(chain.map((e) => e.seq), Array.from({ length: 22 }, (_, i) => i + 1));
  const { ok, head } = recompute(chain);
  assert.equal(ok, true);
  const after = await getDispute(api, dispute.id, client.token);
  assert.equal(after.events_hash, head);
  assert.equal(after.messages.length, 20);
  assert.deepEqual(new Set(after.messages.map((m: { body: string }) => m.body)).size, 20);
  // The messages are in the order their events were chained.
  const chained = chain.filter((e) => e.type === 'dispute.message_added').map((e) => e.data.message);
  assert.deepEqual(after.messages.map((m: { id: string }) => m.id), chained);
  // The database agrees: one row per seq, no gaps, no fork.
  const rows = await api.settle.deps.db.query<{ n: number; distinct_seq: number; max_seq: number; distinct_prev: number }>(
    'select count(*)::int8 as n, count(distinct dispute_seq)::int8 as distinct_seq, max(dispute_seq)::int8 as max_seq, count(distinct prev_hash)::int8 as distinct_prev from events where dispute_id = $1',
    [dispute.id],
  );
  assert.deepEqual(rows.rows[0], { n: 22, distinct_seq: 22, max_seq: 22, distinct_prev: 22 });

  assert.equal(after.status, 'in_review');
  assert.equal(after.outcome, null);
  assert.equal(after.next_deadline.kind, 'proposal_target');
  assert.equal((await expectOk(api.get(`/v1/milestones/${milestoneId}`, client.token))).status, 'in_dispute');
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 100_000 });
  await assertChain(api, dispute.id, client.token);
  await assertLedger(api);
});

test('an approval and a decline sent at the same time: exactly one becomes the response', async () => {
  const api = await startSettle();
  const { client, freelancer, dispute } = await disputedMilestone(api, { requested: 40_000 });
  const [approve, decline] = await Promise.all([
    api.post(`/v1/disputes/${dispute.id}/approve`, {}, client.token),
    api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'other', description: DECLINE }, client.token),
  ]);
  assert.deepEqual([approve.status, decline.status].sort(), [200, 409]);
  const after = await getDispute(api, dispute.id, client.token);
  const statements = await api.settle.deps.db.query('select kind from dispute_statements where dispute_id = $1 order by kind', [dispute.id]);
  assert.deepEqual(statements.rows, [{ kind: 'filing' }, { kind: 'response' }]);
  if (approve.status === 200) {
    assert.equal(after.status, 'resolved');
    assert.deepEqual({ ...after.outcome, resolved_at: undefined }, { kind: 'client_approved', freelancer_amount: 40_000, client_amount: 60_000, resolved_at: undefined });
    assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 36_000, in_escrow: 0 });
    assert.equal(after.next_deadline, null);
  } else {
    assert.equal(after.status, 'in_review');
    assert.equal(after.outcome, null);
    assert.equal(after.next_deadline.kind, 'proposal_target');
    assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 0, in_escrow: 100_000 });
  }
  assert.equal(after.response.decision, approve.status === 200 ? 'approved' : 'declined');
  await assertChain(api, dispute.id, client.token);
  await assertLedger(api);
});

test('the database refuses UPDATE and DELETE on statements, messages, proposals, decisions, opt-ins, awards, files, citations and events', async () => {
  const api = await startSettle();
  const { client, dispute, fileIds } = await longDispute(api);
  const db = api.settle.deps.db;
  const cases: Array<{ table: string; where: string; params: unknown[]; set: string }> = [
    { table: 'dispute_statements', where: 'dispute_id = $1', params: [dispute.id], set: `description = 'Rewritten after the fact, to look better.'` },
    { table: 'dispute_messages', where: 'dispute_id = $1', params: [dispute.id], set: `body = 'rewritten'` },
    { table: 'dispute_proposals', where: 'dispute_id = $1', params: [dispute.id], set: `freelancer_amount = 0, client_amount = 100000` },
    { table: 'proposal_decisions', where: 'dispute_id = $1', params: [dispute.id], set: `decision = 'accepted'` },
    { table: 'arbitration_opt_ins', where: 'dispute_id = $1', params: [dispute.id], set: `fee_amount = 0` },
    { table: 'dispute_awards', where: 'dispute_id = $1', params: [dispute.id], set: `freelancer_amount = 0, client_amount = 100000` },
    { table: 'files', where: 'id = any($1::text[])', params: [fileIds], set: `sha256 = '${'f'.repeat(64)}', filename = 'swapped.txt'` },
    { table: 'file_citations', where: 'dispute_id = $1', params: [dispute.id], set: `dispute_id = null` },
    { table: 'events', where: 'dispute_id = $1', params: [dispute.id], set: `data = '{}'::jsonb` },
  ];
  for (const c of cases) {
    const snapshot = async () => (await db.query(`select * from ${c.table} where ${c.where}`, c.params)).rows.map((r) => JSON.stringify(r)).sort();
    const before = await snapshot();
    assert.ok(before.length > 0, `${c.table} has rows for this dispute`);
    await assert.rejects(db.query(`update ${c.table} set ${c.set} where ${c.where}`, c.params), /immutable/, `UPDATE ${c.table}`);
    await assert.rejects(db.query(`delete from ${c.table} where ${c.where}`, c.params), /immutable/, `DELETE ${c.table}`);
    assert.deepEqual(await snapshot(), before, `${c.table} unchanged`);
  }
  const after = await getDispute(api, dispute.id, client.token);
  assert.equal(after.status, 'resolved');
  assert.equal(after.outcome.kind, 'arbitration_award');
  assert.equal(after.next_deadline, null);
  assert.equal(recompute(await events(api, dispute.id, client.token)).head, after.events_hash);
  assert.deepEqual(await balanceOf(api, client), { available: 25_000, pending: 0, in_escrow: 0 });
  await assertChain(api, dispute.id, client.token);
  await assertLedger(api);
});

test('a response is given once: approving after a decline or declining twice is 409 and the first response stays as it was', async () => {
  const api = await startSettle();
  const { client, freelancer, dispute, milestoneId } = await disputedMilestone(api);
  const declined = await expectOk(api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'requirements_not_met', description: DECLINE }, client.token));
  const stored = async () => (await api.settle.deps.db.query(`select * from dispute_statements where dispute_id = $1 and kind = 'response'`, [dispute.id])).rows;
  const first = await stored();
  await api.advance({ seconds: 60 });

  const approve = await api.post(`/v1/disputes/${dispute.id}/approve`, {}, client.token);
  assert.equal(approve.status, 409);
  assert.equal(approve.body.error.code, 'dispute_in_review');
  const again = await api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'quality_issues', description: 'A second, different story about the same delivery.' }, client.token);
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'dispute_in_review');

  const after = await getDispute(api, dispute.id, freelancer.token);
  assert.deepEqual(after.response, declined.response);
  assert.equal(after.response.description, DECLINE);
  assert.deepEqual(await stored(), first);
  assert.equal(after.status, 'in_review');
  assert.equal(after.outcome, null);
  assert.equal(after.next_deadline.kind, 'proposal_target');
  assert.equal((await expectOk(api.get(`/v1/milestones/${milestoneId}`, client.token))).status, 'in_dispute');
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 100_000 });
  assert.deepEqual(await assertChain(api, dispute.id, client.token), ['dispute.filed', 'dispute.declined']);
  await assertLedger(api);
});

test('a proposal is decided once per party (409 proposal_already_decided) and the arbitration fee is paid once (409)', async () => {
  const api = await startSettle();
  const { client, freelancer, dispute } = await disputedMilestone(api);
  const staff = await operatorMadeUser(api, 'Stella Staff', 'staff');
  await expectOk(api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'requirements_not_met', description: DECLINE }, client.token));
  await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal`, { freelancer_amount: 50_000, explanation: EXPLANATION }, staff.token), 201);
  await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal/accept`, {}, freelancer.token));
  for (const verb of ['accept', 'reject']) {
    const twice = await api.post(`/v1/disputes/${dispute.id}/proposal/${verb}`, {}, freelancer.token);
    assert.equal(twice.status, 409, verb);
    assert.equal(twice.body.error.code, 'proposal_already_decided');
  }
  const still = await getDispute(api, dispute.id, client.token);
  assert.equal(still.status, 'proposal_issued', 'the refused rejection did not end mediation');
  assert.equal(still.proposal.freelancer_decision, 'accepted');
  assert.equal(still.proposal.client_decision, null);
  assert.equal(still.next_deadline.party, 'client');

  const rejected = await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal/reject`, {}, client.token));
  assert.equal(rejected.status, 'not_resolved');
  const decidedAgain = await api.post(`/v1/disputes/${dispute.id}/proposal/accept`, {}, client.token);
  assert.equal(decidedAgain.status, 409);

  await api.credit(freelancer.id, 50_000);
  await expectOk(api.post(`/v1/disputes/${dispute.id}/arbitration`, {}, freelancer.token));
  assert.deepEqual(await balanceOf(api, freelancer), { available: 20_900, pending: 0, in_escrow: 100_000 });
  const payTwice = await api.post(`/v1/disputes/${dispute.id}/arbitration`, {}, freelancer.token);
  assert.equal(payTwice.status, 409);
  assert.equal(payTwice.body.error.code, 'arbitration_fee_already_paid');
  const payTwiceByCard = await api.post(`/v1/disputes/${dispute.id}/arbitration`, { payment_method: 'pm_card_visa' }, freelancer.token);
  assert.equal(payTwiceByCard.status, 409);
  assert.deepEqual(await balanceOf(api, freelancer), { available: 20_900, pending: 0, in_escrow: 100_000 });
  const optIns = await api.settle.deps.db.query('select party from arbitration_opt_ins where dispute_id = $1', [dispute.id]);
  assert.deepEqual(optIns.rows, [{ party: 'freelancer' }]);

  // The client never pays: the lone payer wins and gets the one fee back, once.
  await api.advance({ to: rejected.arbitration.due_at });
  await api.advance({ seconds: 1 });
  const resolved = await getDispute(api, dispute.id, freelancer.token);
  assert.equal(resolved.status, 'resolved');
  assert.deepEqual({ ...resolved.outcome, resolved_at: undefined }, { kind: 'arbitration_default', freelancer_amount: 100_000, client_amount: 0, resolved_at: undefined });
  assert.equal(resolved.next_deadline, null);
  // 50,000 credited − 29,100 fee + 29,100 refund; the 90,000 release is past its 5-day hold.
  assert.deepEqual(await balanceOf(api, freelancer), { available: 50_000, pending: 90_000, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 0 });
  await assertChain(api, dispute.id, staff.token);
  await assertLedger(api);
});

test('the case file is a real PDF for the parties, staff after review and the arbitrator, naming the dispute and the final hash', async () => {
  const api = await startSettle();
  const outsider = await api.user('Olga Outsider');
  const staff = await operatorMadeUser(api, 'Stella Staff', 'staff');
  const arbitrator = await operatorMadeUser(api, 'Bo Arbiter', 'arbitrator');
  const { client, freelancer, dispute, milestoneId } = await disputedMilestone(api);

  const early = await rawGet(api, `/v1/disputes/${dispute.id}/case_file`, staff.token);
  assert.equal(early.status, 404, 'staff see a dispute only once it reached review');
  assert.equal((await rawGet(api, `/v1/disputes/${dispute.id}/case_file`, outsider.token)).status, 404);

  await expectOk(api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'quality_issues', description: DECLINE }, client.token));
  await expectOk(api.post(`/v1/disputes/${dispute.id}/messages`, { body: 'Please look at the second delivery too.' }, freelancer.token), 201);
  await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal`, { freelancer_amount: 40_000, explanation: EXPLANATION }, staff.token), 201);
  await expectOk(api.post(`/v1/disputes/${dispute.id}/proposal/reject`, {}, freelancer.token));
  await expectOk(api.post(`/v1/disputes/${dispute.id}/arbitration`, {}, freelancer.token));
  const started = await expectOk(api.post(`/v1/disputes/${dispute.id}/arbitration`, {}, client.token));
  assert.equal(started.arbitration.arbitrator.id, arbitrator.id, 'the only arbitrator got the case');
  const head = started.events_hash;

  for (const [who, token] of [['client', client.token], ['freelancer', freelancer.token], ['staff', staff.token], ['arbitrator', arbitrator.token]] as const) {
    const res = await rawGet(api, `/v1/disputes/${dispute.id}/case_file`, token);
    assert.equal(res.status, 200, who);
    assert.match(String(res.headers['content-type']), /^application\/pdf/);
    const pdf = res.bytes;
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', who);
    assert.match(pdf.subarray(-32).toString('latin1'), /%%EOF\s*$/, who);
    assert.ok(pdf.length > 2048, `${who}: a real document, ${pdf.length} bytes`);
    const text = pdfText(pdf);
    assert.ok(text.includes('Case file'), `${who}: the title is in the page text`);
    assert.ok(text.includes(`Dispute ${dispute.id}`), `${who}: the dispute id is in the page text`);
    assert.ok(text.includes(head), `${who}: the final hash ${head} is in the page text`);
    assert.ok(text.includes(DECLINE), `${who}: the client's statement is in the page text`);
  }
  const sample = pdfText((await rawGet(api, `/v1/disputes/${dispute.id}/case_file`, client.token)).bytes);
  assert.match(sample, new RegExp(`Final hash:\\s*${head}\\s*$`), 'the case file ends with the final hash, labelled');

  const awarded = await expectOk(api.post(`/v1/disputes/${dispute.id}/award`, { freelancer_amount: 50_000, decision: AWARD }, arbitrator.token));
  const final = await rawGet(api, `/v1/disputes/${dispute.id}/case_file`, arbitrator.token);
  const finalText = pdfText(final.bytes);
  assert.ok(finalText.includes(awarded.events_hash), 'after the award the case file ends at the new head');
  assert.ok(finalText.includes('arbitration_award'));
  assert.notEqual(awarded.events_hash, head);

  assert.deepEqual({ ...awarded.outcome, resolved_at: undefined }, { kind: 'arbitration_award', freelancer_amount: 50_000, client_amount: 50_000, resolved_at: undefined });
  assert.equal(awarded.next_deadline, null);
  assert.equal((await expectOk(api.get(`/v1/milestones/${milestoneId}`, client.token))).status, 'paid');
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 45_000, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 50_000, pending: 0, in_escrow: 0 });
  await assertChain(api, dispute.id, arbitrator.token);
  await assertLedger(api);
});
