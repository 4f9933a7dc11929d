// Random command sequences against a model of the milestone rules (PRODUCT.md
// "Money", "Time", "Milestones"; docs/milestones.md), through the public HTTP
// API. One Settle for the test; each run (one command sequence) gets a fresh
// client and freelancer with two contracts (usd or eur, 1–4 milestones of
// random amounts) and drives fund (balance / card / declined card) / submit /
// request changes / approve (full, part, over the escrow, with a bonus) /
// refund approval / accept, decline, end by either party / add milestones /
// payouts / sandbox clock advances (random sizes, and to exactly a deadline or
// a hold's end, a millisecond or a second either side), also by the wrong
// party, a stranger, or in the wrong state. The model predicts every status
// code, every milestone's state, money and deadlines, and every balance.
// After every step:
//   (a) the ledger verifies and no account but the world is negative;
//   (b) per currency, the world account moved by exactly payouts − card charges
//       since the run began (this run's money in minus money out);
//   (c) each milestone's escrow matches its state, and amount = escrow +
//       released + refunded once funded; everything matches the model;
//   (d) no response is ever 5xx, and each status is the one the model expects.
//
// Reproduce: PROPERTY_SEED=<seed> PROPERTY_RUNS=<runs> npm test -- test/milestones-random.test.ts
// (defaults: seed 424242, 100 runs). Add PROPERTY_SHRINK=1 to shrink a failure
// to a smaller sequence (slow: every try replays against the database).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ADMIN_TOKEN, startSettle, type Response, type TestApi } from './support/harness.ts';
import type { Member } from './support/scenario.ts';

const SEED = Number(process.env.PROPERTY_SEED || 424242);
const RUNS = Number(process.env.PROPERTY_RUNS || 200);
const SHRINK = process.env.PROPERTY_SHRINK === '1';

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;
const REVIEW_MS = 14 * DAY;
const REFUND_MS = 7 * DAY;
const HOLD_MS = 5 * DAY;

type Cur = 'usd' | 'eur';
const CURRENCIES: readonly Cur[] = ['usd', 'eur'];
type MState = 'pending' | 'funded' | 'submitted' | 'changes_requested' | 'paid' | 'refund_requested' | 'refunded' | 'cancelled';
type CState = 'offered' | 'active' | 'declined' | 'ended';
const HOLDS_ESCROW: readonly MState[] = ['funded', 'submitted', 'changes_requested', 'refund_requested'];
type Method = 'balance' | 'pm_card_visa' | 'pm_card_declined' | undefined;
/** Who sends a command: the party it belongs to, the other party, or a stranger to the contract. */
type Who = 'right' | 'wrong' | 'stranger';

// ------------------------------------------------------------------ commands

/**
 * A command names its milestone (or contract) by `target`, an index into the
 * run's milestones. When `aimed`, the index is taken among the milestones the
 * model says the command is valid for (if there are any), so sequences get
 * far into the lifecycle; otherwise among all of them, so wrong states are
 * tried too. Resolution depends only on the model, so a seed replays exactly.
 */
interface Aim {
  target: number;
  aimed: boolean;
}

type Command =
  | ({ type: 'fund'; method: Method; who: Who } & Aim)
  | ({ type: 'submit'; who: Who } & Aim)
  | ({ type: 'request_changes'; who: Who } & Aim)
  | ({ type: 'approve'; mode: 'default' | 'exact' | 'part' | 'over'; pick: number; bonus: number | undefined; method: Method; who: Who } & Aim)
  | ({ type: 'approve_refund'; who: Who } & Aim)
  | { type: 'end'; c: number; by: 'client' | 'freelancer' | 'stranger' }
  | { type: 'accept' | 'decline'; c: number; who: Who }
  | { type: 'add_milestone'; c: number; amount: number; who: Who }
  | ({ type: 'payout'; party: 'client' | 'freelancer'; currency: Cur; mode: 'part' | 'all' | 'over'; pick: number } & Aim)
  | { type: 'advance_seconds'; seconds: number }
  | ({ type: 'advance_to_deadline'; offsetMs: number } & Aim)
  | { type: 'advance_to_hold'; offsetMs: number };

const aim = { target: fc.nat(1000), aimed: fc.nat(9).map((n) => n < 8) };
const contractIx = fc.nat(1);
const who = fc.oneof({ arbitrary: fc.constant<Who>('right'), weight: 14 }, { arbitrary: fc.constant<Who>('wrong'), weight: 1 }, { arbitrary: fc.constant<Who>('stranger'), weight: 1 });
const method = fc.constantFrom<Method>(undefined, undefined, undefined, 'balance', 'pm_card_visa', 'pm_card_visa', 'pm_card_declined');
const amount = fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 500_000 }));
/** Around a deadline: a second before, exactly at it (not passed), a millisecond after (passed), a second after. */
const boundary = fc.constantFrom(-SECOND, 0, 0, 1, 1, SECOND);

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ type: fc.constant('fund' as const), ...aim, method, who }), weight: 6 },
  { arbitrary: fc.record({ type: fc.constant('submit' as const), ...aim, who }), weight: 5 },
  { arbitrary: fc.record({ type: fc.constant('request_changes' as const), ...aim, who }), weight: 2 },
  {
    arbitrary: fc.record({
      type: fc.constant('approve' as const),
      ...aim,
      mode: fc.constantFrom('default' as const, 'exact' as const, 'part' as const, 'part' as const, 'over' as const),
      pick: fc.nat(1_000_000),
      bonus: fc.option(amount, { nil: undefined, freq: 3 }),
      method,
      who,
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ type: fc.constant('approve_refund' as const), ...aim, who }), weight: 3 },
  {
    arbitrary: fc.record({ type: fc.constant('end' as const), c: contractIx, by: fc.constantFrom('client' as const, 'client' as const, 'freelancer' as const, 'freelancer' as const, 'stranger' as const) }),
    weight: 1,
  },
  { arbitrary: fc.record({ type: fc.constantFrom('accept' as const, 'decline' as const), c: contractIx, who }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('add_milestone' as const), c: contractIx, amount, who }), weight: 1 },
  {
    arbitrary: fc.record({
      type: fc.constant('payout' as const),
      ...aim,
      party: fc.constantFrom('client' as const, 'freelancer' as const),
      currency: fc.constantFrom(...CURRENCIES),
      mode: fc.constantFrom('part' as const, 'part' as const, 'all' as const, 'over' as const),
      pick: fc.nat(1_000_000),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      type: fc.constant('advance_seconds' as const),
      seconds: fc.oneof(fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 0, max: 20 * 86400 }), fc.constantFrom(5 * 86400, 7 * 86400, 14 * 86400, 14 * 86400 + 1)),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ type: fc.constant('advance_to_deadline' as const), ...aim, offsetMs: boundary }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('advance_to_hold' as const), offsetMs: boundary }), weight: 1 },
);

// ------------------------------------------------------------------ the model

interface MM {
  id: string;
  amount: number;
  status: MState;
  escrow: number;
  released: number;
  refunded: number;
  bonus: number;
  reviewDue: number | null;
  refundDue: number | null;
}
interface MC {
  id: string;
  currency: Cur;
  status: CState;
  ms: MM[];
}
interface Hold {
  currency: Cur;
  amount: number;
  at: number;
}

const zero = (): Record<Cur, number> => ({ usd: 0, eur: 0 });

class Model {
  contracts: MC[] = [];
  clientAvailable = zero();
  freelancerAvailable = zero();
  /** Released money still in its security hold. */
  holds: Hold[] = [];
  charges = zero();
  payouts = zero();
  constructor(
    public now: number,
    readonly feeBps: number,
  ) {}

  fee(gross: number): number {
    return Math.floor((gross * this.feeBps + 5000) / 10_000);
  }

  release(m: MM, currency: Cur, gross: number, at: number): void {
    const net = gross - this.fee(gross);
    m.escrow -= gross;
    m.released += gross;
    if (net > 0) this.holds.push({ currency, amount: net, at: at + HOLD_MS });
  }

  refund(m: MM, currency: Cur): void {
    this.clientAvailable[currency] += m.escrow;
    m.refunded += m.escrow;
    m.escrow = 0;
  }

  settled(m: MM): MState {
    return m.released > 0 ? 'paid' : 'refunded';
  }

  /** The sandbox clock moved to `to`: every deadline earlier than it applied (a deadline has passed when now is later). */
  advance(to: number): void {
    for (const c of this.contracts) {
      for (const m of c.ms) {
        if (m.status === 'submitted' && m.reviewDue! < to) {
          // The sweeper stops 1 ms after each due instant, so the release (and its hold) happens then.
          this.release(m, c.currency, m.escrow, m.reviewDue! + 1);
          m.status = 'paid';
          m.reviewDue = null;
        } else if (m.status === 'refund_requested' && m.refundDue! < to) {
          this.refund(m, c.currency);
          m.status = this.settled(m);
          m.refundDue = null;
        }
      }
    }
    for (const h of this.holds.filter((h) => h.at < to)) this.freelancerAvailable[h.currency] += h.amount;
    this.holds = this.holds.filter((h) => h.at >= to);
    this.now = to;
  }

  pending(currency: Cur): number {
    return this.holds.filter((h) => h.currency === currency).reduce((s, h) => s + h.amount, 0);
  }

  /** Pays `amount` from the client's balance or a card, like src/app/payments/pay.ts. Returns the status on failure, else null. */
  pay(currency: Cur, amount: number, method: Method): 402 | 400 | null {
    const use = method ?? (this.clientAvailable[currency] >= amount ? 'balance' : 'pm_card_visa');
    if (use === 'balance') return this.clientAvailable[currency] >= amount ? null : 402;
    if (use === 'pm_card_declined') return 402;
    this.charges[currency] += amount;
    this.clientAvailable[currency] += amount;
    return null;
  }
}

// ------------------------------------------------------------------ the run

interface Run {
  api: TestApi;
  model: Model;
  client: Member;
  freelancer: Member;
  stranger: Member;
  worldAtStart: Record<Cur, number>;
  log: string[];
  /** The last step got a 2xx: something may have changed. */
  changed: boolean;
}

async function worldBalances(api: TestApi): Promise<Record<Cur, number>> {
  const rows = (await api.settle.deps.db.query<{ currency: Cur; balance: number }>(`select currency, balance from accounts where kind = 'world'`)).rows;
  const out = zero();
  for (const r of rows) if (r.currency in out) out[r.currency] = r.balance;
  return out;
}

function where(run: Run): string {
  return `\nsteps so far:\n  ${run.log.join('\n  ')}`;
}

/** How often each endpoint answered each status, over the whole test. */
const outcomes = new Map<string, number>();

/** Sends a request; never a 5xx, and exactly the status the model expects. */
async function send(run: Run, expected: number, method: string, url: string, token: string, body?: unknown): Promise<Response> {
  const res = await run.api.request(method, url, { token, ...(body !== undefined ? { body } : {}) });
  run.log.push(`${method} ${url} ${body === undefined ? '' : JSON.stringify(body)} → ${res.status}${res.status >= 400 ? ` ${res.body?.error?.code}` : ''} (model: ${expected})`);
  assert.ok(res.status < 500, `5xx from ${method} ${url}: ${JSON.stringify(res.body)}${where(run)}`);
  assert.equal(res.status, expected, `status of ${method} ${url}: ${JSON.stringify(res.body)}${where(run)}`);
  if (res.status < 300) run.changed = true;
  const key = `${method} ${url.replace(/\/[a-z]+_[A-Za-z0-9]{16,}/g, '/{id}')} ${res.status}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  return res;
}

interface Target {
  contract: MC;
  ms: MM;
}

/** The milestone a command acts on (see `Aim`). */
function pickMilestone(model: Model, a: Aim, valid: (t: Target) => boolean): Target {
  const all = model.contracts.flatMap((contract) => contract.ms.map((ms) => ({ contract, ms })));
  const fit = a.aimed ? all.filter(valid) : [];
  const list = fit.length > 0 ? fit : all;
  return list[a.target % list.length]!;
}

/** Token for a command that belongs to `owner`, sent by whoever `who` says. */
async function tokenFor(run: Run, owner: 'client' | 'freelancer', w: Who): Promise<string> {
  if (w === 'stranger') return signedIn(run, run.stranger);
  const party = w === 'right' ? owner : owner === 'client' ? 'freelancer' : 'client';
  return signedIn(run, run[party]);
}

/** 404 for a stranger, 403 for the other party, else what the state says. */
const guard = (w: Who, then: () => number): number => (w === 'stranger' ? 404 : w === 'wrong' ? 403 : then());

/** Runs one command against the API and the model; returns the milestone it acted on, if any. */
async function step(run: Run, cmd: Command): Promise<string | undefined> {
  const { model } = run;
  switch (cmd.type) {
    case 'fund': {
      const { contract, ms } = pickMilestone(model, cmd, (t) => t.ms.status === 'pending' && t.contract.status === 'active');
      const ok = () => ms.status === 'pending' && contract.status === 'active';
      const expected = guard(cmd.who, () => (ok() ? (model.pay(contract.currency, ms.amount, cmd.method) ?? 200) : 409));
      const res = await send(run, expected, 'POST', `/v1/milestones/${ms.id}/fund`, await tokenFor(run, 'client', cmd.who), cmd.method ? { payment_method: cmd.method } : {});
      if (res.status === 200) {
        model.clientAvailable[contract.currency] -= ms.amount;
        ms.escrow = ms.amount;
        ms.status = 'funded';
      }
      return ms.id;
    }
    case 'submit': {
      const canSubmit = (m: MM) => m.status === 'funded' || m.status === 'changes_requested';
      const { ms } = pickMilestone(model, cmd, (t) => canSubmit(t.ms));
      const expected = guard(cmd.who, () => (canSubmit(ms) ? 200 : 409));
      const res = await send(run, expected, 'POST', `/v1/milestones/${ms.id}/submit`, await tokenFor(run, 'freelancer', cmd.who), { message: 'Here is the work.' });
      if (res.status === 200) {
        ms.status = 'submitted';
        ms.reviewDue = model.now + REVIEW_MS;
      }
      return ms.id;
    }
    case 'request_changes': {
      const { ms } = pickMilestone(model, cmd, (t) => t.ms.status === 'submitted');
      const expected = guard(cmd.who, () => (ms.status === 'submitted' ? 200 : 409));
      const res = await send(run, expected, 'POST', `/v1/milestones/${ms.id}/request_changes`, await tokenFor(run, 'client', cmd.who), { message: 'Please change the colours.' });
      if (res.status === 200) {
        ms.status = 'changes_requested';
        ms.reviewDue = null;
      }
      return ms.id;
    }
    case 'approve': {
      const { contract, ms } = pickMilestone(model, cmd, (t) => HOLDS_ESCROW.includes(t.ms.status));
      const escrow = ms.escrow;
      const amount =
        cmd.mode === 'default' ? undefined
        : cmd.mode === 'exact' ? Math.max(escrow, 1)
        : cmd.mode === 'part' ? 1 + (cmd.pick % Math.max(escrow - 1, 1))
        : escrow + 1 + (cmd.pick % 1000);
      const gross = amount ?? escrow;
      const body: Record<string, unknown> = {};
      if (amount !== undefined) body.amount = amount;
      if (cmd.bonus !== undefined) body.bonus = cmd.bonus;
      if (cmd.method !== undefined) body.payment_method = cmd.method;
      // Decided on a copy: a failed payment must leave the model as it was.
      const before = { available: model.clientAvailable[contract.currency], charges: model.charges[contract.currency] };
      const expected = guard(cmd.who, () => {
        if (!HOLDS_ESCROW.includes(ms.status)) return 409;
        if (gross > escrow) return 400;
        if (cmd.bonus !== undefined) return model.pay(contract.currency, cmd.bonus, cmd.method) ?? 200;
        return 200;
      });
      const res = await send(run, expected, 'POST', `/v1/milestones/${ms.id}/approve`, await tokenFor(run, 'client', cmd.who), body);
      if (res.status !== 200) {
        model.clientAvailable[contract.currency] = before.available;
        model.charges[contract.currency] = before.charges;
        return ms.id;
      }
      model.release(ms, contract.currency, gross, model.now);
      if (cmd.bonus !== undefined) {
        model.clientAvailable[contract.currency] -= cmd.bonus;
        ms.bonus += cmd.bonus;
        const net = cmd.bonus - model.fee(cmd.bonus);
        if (net > 0) model.holds.push({ currency: contract.currency, amount: net, at: model.now + HOLD_MS });
      }
      if (ms.escrow === 0) {
        ms.status = 'paid';
        ms.reviewDue = ms.refundDue = null;
      } else {
        if (ms.status !== 'refund_requested') ms.refundDue = model.now + REFUND_MS;
        ms.status = 'refund_requested';
        ms.reviewDue = null;
      }
      return ms.id;
    }
    case 'approve_refund': {
      const { contract, ms } = pickMilestone(model, cmd, (t) => t.ms.status === 'refund_requested');
      const expected = guard(cmd.who, () => (ms.status === 'refund_requested' ? 200 : 409));
      const res = await send(run, expected, 'POST', `/v1/milestones/${ms.id}/refund/approve`, await tokenFor(run, 'freelancer', cmd.who), {});
      if (res.status === 200) {
        model.refund(ms, contract.currency);
        ms.status = model.settled(ms);
        ms.refundDue = null;
      }
      return ms.id;
    }
    case 'end': {
      const contract = model.contracts[cmd.c]!;
      const token = await signedIn(run, cmd.by === 'stranger' ? run.stranger : run[cmd.by]);
      const expected =
        cmd.by === 'stranger' ? 404
        : contract.status === 'active' ? 200
        : contract.status === 'offered' && cmd.by === 'client' ? 200
        : 409;
      const res = await send(run, expected, 'POST', `/v1/contracts/${contract.id}/end`, token, { reason: 'Random end' });
      if (res.status !== 200) return;
      contract.status = 'ended';
      for (const ms of contract.ms) {
        if (ms.status === 'pending') ms.status = 'cancelled';
        else if (!HOLDS_ESCROW.includes(ms.status)) continue;
        else if (cmd.by === 'freelancer') {
          model.refund(ms, contract.currency);
          ms.status = model.settled(ms);
          ms.reviewDue = ms.refundDue = null;
        } else if (ms.status !== 'refund_requested') {
          ms.status = 'refund_requested';
          ms.reviewDue = null;
          ms.refundDue = model.now + REFUND_MS;
        }
      }
      return;
    }
    case 'accept':
    case 'decline': {
      const contract = model.contracts[cmd.c]!;
      const expected = guard(cmd.who, () => (contract.status === 'offered' ? 200 : 409));
      const res = await send(run, expected, 'POST', `/v1/contracts/${contract.id}/${cmd.type}`, await tokenFor(run, 'freelancer', cmd.who), {});
      if (res.status !== 200) return;
      contract.status = cmd.type === 'accept' ? 'active' : 'declined';
      if (cmd.type === 'decline') for (const ms of contract.ms) if (ms.status === 'pending') ms.status = 'cancelled';
      return;
    }
    case 'add_milestone': {
      const contract = model.contracts[cmd.c]!;
      const expected = guard(cmd.who, () => (contract.status === 'offered' || contract.status === 'active' ? 201 : 409));
      const res = await send(run, expected, 'POST', `/v1/contracts/${contract.id}/milestones`, await tokenFor(run, 'client', cmd.who), { title: 'Extra work', amount: cmd.amount });
      if (res.status === 201) contract.ms.push(newMilestone(res.body.id, cmd.amount));
      return;
    }
    case 'payout': {
      // Aimed: a party and currency with money to pay out, if there is one.
      const wallets = (['client', 'freelancer'] as const).flatMap((party) => CURRENCIES.map((currency) => ({ party, currency })));
      const funded = wallets.filter((w) => (w.party === 'client' ? model.clientAvailable : model.freelancerAvailable)[w.currency] > 0);
      const { party, currency } = cmd.aimed && funded.length > 0 ? funded[cmd.target % funded.length]! : cmd;
      const available = party === 'client' ? model.clientAvailable : model.freelancerAvailable;
      const have = available[currency];
      const amount = cmd.mode === 'part' ? 1 + (cmd.pick % Math.max(have, 1)) : cmd.mode === 'all' ? have : have + 1 + (cmd.pick % 1000);
      const expected = amount < 1 ? 400 : amount <= have ? 201 : 402;
      const res = await send(run, expected, 'POST', '/v1/payouts', await signedIn(run, run[party]), { amount, currency });
      if (res.status === 201) {
        available[currency] -= amount;
        model.payouts[currency] += amount;
      }
      return undefined;
    }
    case 'advance_seconds':
      await advanceTo(run, model.now + cmd.seconds * SECOND);
      return undefined;
    case 'advance_to_deadline': {
      const { ms } = pickMilestone(model, cmd, (t) => t.ms.reviewDue !== null || t.ms.refundDue !== null);
      const due = ms.reviewDue ?? ms.refundDue ?? model.now;
      await advanceTo(run, Math.max(model.now, due + cmd.offsetMs));
      return ms.id;
    }
    case 'advance_to_hold': {
      const due = model.holds.length ? Math.min(...model.holds.map((h) => h.at)) : model.now;
      await advanceTo(run, Math.max(model.now, due + cmd.offsetMs));
      return undefined;
    }
  }
}

/** When each member last signed in, by the sandbox clock: sessions last 30 days. */
const signedInAt = new WeakMap<Member, number>();
const SESSION_SAFE_MS = 29 * DAY;

/** The member's token, after signing in again if the sandbox clock has nearly outlived the session. */
async function signedIn(run: Run, member: Member): Promise<string> {
  if (run.model.now - (signedInAt.get(member) ?? -Infinity) < SESSION_SAFE_MS) return member.token;
  const session = await run.api.post('/v1/sessions', { email: member.email, password: member.password });
  assert.equal(session.status, 201, JSON.stringify(session.body));
  member.token = session.body.token;
  signedInAt.set(member, run.model.now);
  return member.token;
}

async function advanceTo(run: Run, to: number): Promise<void> {
  await send(run, 200, 'POST', '/v1/test_helpers/clock/advance', ADMIN_TOKEN, { to: new Date(to).toISOString() });
  run.model.advance(to);
}

function newMilestone(id: string, amount: number): MM {
  return { id, amount, status: 'pending', escrow: 0, released: 0, refunded: 0, bonus: 0, reviewDue: null, refundDue: null };
}

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const sumBy = (list: Array<{ amount: number; currency: string }>, currency: Cur) => list.find((x) => x.currency === currency)?.amount ?? 0;

/** Everything that must hold after every step. */
async function checkInvariants(run: Run, touched: string | undefined, changed: boolean): Promise<void> {
  const { api, model } = run;
  // (a) the ledger verifies: balances match entries, each currency sums to 0, nothing but the world is negative.
  const report = await api.verifyLedger();
  assert.equal(report.ok, true, `${report.problems.join('\n')}${where(run)}`);

  // (a) again, plus (b) and the parties' balances, from the accounts themselves.
  const accounts = (
    await api.settle.deps.db.query<{ kind: string; owner_id: string | null; currency: Cur; balance: number }>(
      `select kind, owner_id, currency, balance from accounts where kind = 'world' or owner_id = any($1::text[]) or balance < 0`,
      [[run.client.id, run.freelancer.id]],
    )
  ).rows;
  assert.deepEqual(accounts.filter((a) => a.kind !== 'world' && a.balance < 0), [], `no account but the world is negative${where(run)}`);
  const balance = (kind: string, owner: string | null, cur: Cur) => accounts.find((a) => a.kind === kind && a.owner_id === owner && a.currency === cur)?.balance ?? 0;
  for (const cur of CURRENCIES) {
    // Card charges came in from the world, payouts went out to it; nothing else of this run touches it.
    assert.equal(balance('world', null, cur) - run.worldAtStart[cur], model.payouts[cur] - model.charges[cur], `world ${cur} moved by payouts − charges${where(run)}`);
    assert.deepEqual(
      {
        client: { available: balance('user_available', run.client.id, cur), pending: balance('user_pending', run.client.id, cur) },
        freelancer: { available: balance('user_available', run.freelancer.id, cur), pending: balance('user_pending', run.freelancer.id, cur) },
      },
      { client: { available: model.clientAvailable[cur], pending: 0 }, freelancer: { available: model.freelancerAvailable[cur], pending: model.pending(cur) } },
      `${cur} balances${where(run)}`,
    );
  }

  // (c) each milestone's escrow matches its state, and everything matches the model.
  const listed = await api.get(`/v1/contracts?limit=10`, await signedIn(run, run.client));
  assert.equal(listed.status, 200);
  const byId = new Map<string, any>(listed.body.data.map((c: any) => [c.id, c]));
  for (const contract of model.contracts) {
    const got = byId.get(contract.id);
    assert.ok(got, `contract ${contract.id} is listed`);
    assert.equal(got.status, contract.status, `contract status${where(run)}`);
    assert.equal(got.milestones.length, contract.ms.length);
    for (const [i, m] of (got.milestones as any[]).entries()) {
      const label = `milestone ${m.id} (${m.status})${where(run)}`;
      assertEscrowMatchesState(m, label);
      const want = contract.ms[i]!;
      assert.deepEqual(
        { id: m.id, status: m.status, escrow: m.escrow_amount, released: m.released_amount, refunded: m.refunded_amount, bonus: m.bonus_amount, review_due_at: m.review_due_at, refund_due_at: m.refund_due_at },
        { id: want.id, status: want.status, escrow: want.escrow, released: want.released, refunded: want.refunded, bonus: want.bonus, review_due_at: isoOrNull(want.reviewDue), refund_due_at: isoOrNull(want.refundDue) },
        label,
      );
    }
  }
  if (touched && changed) {
    const one = await api.get(`/v1/milestones/${touched}`, await signedIn(run, run.freelancer));
    assert.equal(one.status, 200);
    assertEscrowMatchesState(one.body, `milestone ${touched}${where(run)}`);
    const want = model.contracts.flatMap((c) => c.ms).find((m) => m.id === touched)!;
    assert.deepEqual([one.body.status, one.body.escrow_amount], [want.status, want.escrow], `milestone ${touched}${where(run)}`);
  }
}

/** The parties' own view (GET /v1/balance), escrow included. */
async function checkBalanceViews(run: Run): Promise<void> {
  const { api, model } = run;
  const escrowOf = (cur: Cur) => model.contracts.filter((c) => c.currency === cur).flatMap((c) => c.ms).reduce((s, m) => s + m.escrow, 0);
  for (const [party, available, pending] of [
    [run.client, model.clientAvailable, zero()],
    [run.freelancer, model.freelancerAvailable, { usd: model.pending('usd'), eur: model.pending('eur') }],
  ] as const) {
    const seen = await api.get('/v1/balance', await signedIn(run, party));
    assert.equal(seen.status, 200);
    for (const cur of CURRENCIES) {
      assert.deepEqual(
        { available: sumBy(seen.body.available, cur), pending: sumBy(seen.body.pending, cur), in_escrow: sumBy(seen.body.in_escrow, cur) },
        { available: available[cur], pending: pending[cur], in_escrow: escrowOf(cur) },
        `${party === run.client ? 'client' : 'freelancer'} balance ${cur}${where(run)}`,
      );
    }
  }
}

/** (c) as the brief states it, from the milestone object alone. */
function assertEscrowMatchesState(m: any, label: string): void {
  switch (m.status) {
    case 'pending':
    case 'cancelled':
      assert.equal(m.escrow_amount, 0, label);
      assert.equal(m.released_amount + m.refunded_amount, 0, label);
      return;
    case 'paid':
    case 'refunded':
      assert.equal(m.escrow_amount, 0, label);
      break;
    case 'funded':
    case 'submitted':
    case 'changes_requested':
      assert.equal(m.escrow_amount, m.amount, label);
      break;
    case 'refund_requested':
      assert.ok(m.escrow_amount > 0, label);
      assert.equal(m.escrow_amount, m.amount - m.released_amount - m.refunded_amount, label);
      break;
    default:
      assert.fail(`unexpected state ${m.status}: ${label}`);
  }
  assert.equal(m.amount, m.escrow_amount + m.released_amount + m.refunded_amount, label);
  if (m.status === 'paid') assert.ok(m.released_amount > 0, label);
  if (m.status === 'refunded') assert.equal(m.released_amount, 0, label);
  assert.equal(m.review_due_at !== null, m.status === 'submitted', label);
  assert.equal(m.refund_due_at !== null, m.status === 'refund_requested', label);
}

async function newRun(api: TestApi, stranger: Member, setup: Array<{ currency: Cur; amounts: number[]; accepted: boolean }>): Promise<Run> {
  const [client, freelancer] = await Promise.all([api.user('Cleo Client'), api.user('Finn Freelancer')]);
  const clock = await api.admin('GET', '/v1/test_helpers/clock');
  const model = new Model(Date.parse(clock.body.now), api.settle.deps.config.feeBps);
  signedInAt.set(client, model.now);
  signedInAt.set(freelancer, model.now);
  const run: Run = { api, model, client, freelancer, stranger, worldAtStart: await worldBalances(api), log: [], changed: false };
  for (const s of setup) {
    const offered = await api.post(
      '/v1/contracts',
      { title: 'Random work', freelancer_email: freelancer.email, currency: s.currency, milestones: s.amounts.map((amount, i) => ({ title: `Milestone ${i + 1}`, amount })) },
      client.token,
    );
    assert.equal(offered.status, 201, JSON.stringify(offered.body));
    const contract: MC = { id: offered.body.id, currency: s.currency, status: 'offered', ms: offered.body.milestones.map((m: any) => newMilestone(m.id, m.amount)) };
    if (s.accepted) {
      assert.equal((await api.post(`/v1/contracts/${contract.id}/accept`, {}, freelancer.token)).status, 200);
      contract.status = 'active';
    }
    model.contracts.push(contract);
  }
  return run;
}

test('hundreds of random command sequences keep the ledger balanced, money conserved and each milestone’s escrow true to its state', async (t) => {
  const api = await startSettle();
  const stranger = await api.user('Sam Stranger');
  signedInAt.set(stranger, Date.parse((await api.admin('GET', '/v1/test_helpers/clock')).body.now));
  // Most contracts start accepted; one in eight waits as an offer.
  const setup = fc.array(
    fc.record({ currency: fc.constantFrom(...CURRENCIES), amounts: fc.array(amount, { minLength: 1, maxLength: 4 }), accepted: fc.nat(7).map((n) => n !== 0) }),
    { minLength: 2, maxLength: 2 },
  );
  let runs = 0;
  let steps = 0;
  const property = fc.asyncProperty(setup, fc.array(commandArbitrary, { minLength: 5, maxLength: 40, size: 'medium' }), async (contracts, cmds) => {
    runs++;
    const run = await newRun(api, stranger, contracts);
    await checkInvariants(run, undefined, true);
    for (const cmd of cmds) {
      run.log.push(`# ${JSON.stringify(cmd)}`);
      run.changed = false;
      const touched = await step(run, cmd);
      steps++;
      await checkInvariants(run, touched, run.changed);
    }
    await checkBalanceViews(run);
  });
  try {
    await fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: !SHRINK });
  } catch (error) {
    console.error(`milestones-random failed with PROPERTY_SEED=${SEED} PROPERTY_RUNS=${RUNS} (rerun with these, add PROPERTY_SHRINK=1 to shrink)`);
    throw error;
  }
  t.diagnostic(`${runs} command sequences, ${steps} commands, seed ${SEED}`);
  t.diagnostic([...outcomes.entries()].sort().map(([k, n]) => `${k}: ${n}`).join('; '));
  assert.ok(runs >= RUNS && steps >= RUNS * 5, `${runs} runs, ${steps} steps`);
});

