// Pure domain: no database, no clock. Service fee rounding, canonical JSON,
// ids, time zones and countries, and the ledger's transfer rules.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { assertTransfer, availableAccount, escrowAccount, feesAccount, mayGoNegative, pendingAccount, worldAccount, ACCOUNT_KINDS, type TransferSpec } from '../../src/domain/ledger.ts';
import { isCountryCode, isTimeZone } from '../../src/domain/geo.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { serviceFee } from '../../src/domain/money.ts';
import { canonicalJson } from '../../src/lib/canonical-json.ts';
import { ID_PREFIXES, isId, newId, type IdKind } from '../../src/lib/ids.ts';

// ---------------------------------------------------------------- service fee

test('serviceFee rounds half up to the minor unit', () => {
  const cases: Array<[amount: number, bps: number, fee: number]> = [
    [5, 1000, 1], // 0.5 rounds up
    [4, 1000, 0], // 0.4 rounds down
    [15, 1000, 2], // 1.5 rounds up
    [25, 1000, 3], // 2.5 rounds up (half up, not half even)
    [14, 1000, 1], // 1.4 rounds down
    [12345, 1000, 1235], // 1234.5 rounds up
    [12344, 1000, 1234], // 1234.4 rounds down
    [5000, 1, 1], // 0.5 at 1 bps rounds up
    [4999, 1, 0], // 0.4999 rounds down
    [10_000, 1000, 1000],
  ];
  for (const [amount, bps, fee] of cases) {
    assert.equal(serviceFee(amount, bps), fee, `${bps} bps of ${amount}`);
  }
});

test('serviceFee is zero at 0 bps and the whole amount at 10000 bps', () => {
  for (const amount of [0, 1, 5, 12345, LIMITS.max_amount_minor]) {
    assert.equal(serviceFee(amount, 0), 0, `0 bps of ${amount}`);
    assert.equal(serviceFee(amount, 10_000), amount, `10000 bps of ${amount}`);
  }
});

test('serviceFee refuses fractional or negative amounts and bps outside 0..10000', () => {
  assert.throws(() => serviceFee(1.5, 1000), /non-negative safe integer/);
  assert.throws(() => serviceFee(-1, 1000), /non-negative safe integer/);
  assert.throws(() => serviceFee(100, -1), /fee bps/);
  assert.throws(() => serviceFee(100, 10_001), /fee bps/);
  assert.throws(() => serviceFee(100, 10.5), /fee bps/);
  assert.throws(() => serviceFee(LIMITS.max_amount_minor * 2 + 1, 1000), /fee base/);
});

test('property: fee + rest == amount, the fee never exceeds the amount and is the exact value rounded half up', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: LIMITS.max_amount_minor * 2 }), fc.integer({ min: 0, max: 10_000 }), (amount, bps) => {
      const fee = serviceFee(amount, bps);
      const rest = amount - fee;
      assert.ok(Number.isSafeInteger(fee));
      assert.equal(fee + rest, amount);
      assert.ok(fee >= 0 && fee <= amount, `fee ${fee} within 0..${amount}`);
      // Exact arithmetic in BigInt: exact = amount × bps / 10000.
      const scaled = BigInt(amount) * BigInt(bps); // exact × 10000
      const floor = scaled / 10_000n;
      assert.ok(BigInt(fee) === floor || BigInt(fee) === floor + 1n, `fee ${fee} within [floor, floor + 1] of ${scaled}/10000`);
      // Half up: fee − exact lies in (−0.5, 0.5].
      const diff = BigInt(fee) * 10_000n - scaled;
      assert.ok(diff > -5000n && diff <= 5000n, `fee ${fee} is ${scaled}/10000 rounded half up`);
    }),
    { numRuns: 2000 },
  );
});

// ------------------------------------------------------------ canonical JSON

test('canonicalJson sorts keys recursively and writes no white space', () => {
  const value = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x y' }, A: [] };
  assert.equal(canonicalJson(value), '{"A":[],"a":{"c":"x y","d":[3,{"y":null,"z":true}]},"b":1}');
  // Key order of the input does not matter.
  assert.equal(canonicalJson({ a: { c: 'x y', d: [3, { y: null, z: true }] }, b: 1, A: [] }), canonicalJson(value));
  // Arrays keep their order.
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
});

test('canonicalJson matches the RFC 8785 section 3.2.2 example', () => {
  const input = JSON.parse(
    '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n' +
      '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n' +
      '  "literals": [null, true, false]\n}',
  );
  assert.equal(
    canonicalJson(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

test('canonicalJson sorts keys by UTF-16 code units as in RFC 8785 section 3.2.3', () => {
  const input = JSON.parse(
    '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
      '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
  );
  // JSON.parse would reorder integer-like keys, so read the order from the text.
  const text = canonicalJson(input);
  const order = ['Carriage Return', 'One', 'Control', 'Latin Small Letter O With Diaeresis', 'Euro Sign', 'Emoji: Grinning Face', 'Hebrew Letter Dalet With Dagesh'];
  const positions = order.map((name) => text.indexOf(`"${name}"`));
  assert.ok(positions.every((p) => p >= 0), 'every value is present');
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, `values in RFC 8785 order: ${text}`);
  assert.ok(text.startsWith('{"\\r":"Carriage Return","1":"One",'), text);
});

test('canonicalJson prints numbers as RFC 8785 (ECMAScript) does and refuses non-finite ones', () => {
  assert.equal(canonicalJson(-0), '0');
  assert.equal(canonicalJson(1e21), '1e+21');
  assert.equal(canonicalJson(1e20), '100000000000000000000');
  assert.equal(canonicalJson(0.000001), '0.000001');
  assert.equal(canonicalJson(1e-7), '1e-7');
  assert.equal(canonicalJson(5e-324), '5e-324');
  assert.equal(canonicalJson(1.7976931348623157e308), '1.7976931348623157e+308');
  assert.throws(() => canonicalJson(Number.NaN), /finite/);
  assert.throws(() => canonicalJson(Number.POSITIVE_INFINITY), /finite/);
});

test('canonicalJson drops undefined members, writes undefined array items as null and dates as ISO strings', () => {
  assert.equal(canonicalJson({ a: undefined, b: [undefined, 1] }), '{"b":[null,1]}');
  assert.equal(canonicalJson({ at: new Date('2026-12-01T09:00:00Z') }), '{"at":"2026-12-01T09:00:00.000Z"}');
  assert.throws(() => canonicalJson(() => 1), /cannot encode/);
});

// ---------------------------------------------------------------------- ids

test('newId gives the kind prefix and 22 base62 characters', () => {
  for (const kind of Object.keys(ID_PREFIXES) as IdKind[]) {
    const id = newId(kind);
    assert.match(id, new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-Za-z]{22}$`));
    assert.ok(isId(kind, id));
  }
  assert.ok(newId('user').startsWith('usr_'));
  assert.ok(newId('payout').startsWith('po_'));
  assert.ok(newId('transfer').startsWith('tr_'));
  assert.equal(isId('user', newId('payout')), false);
});

test('newId starts with the creation time, so ids made later sort after, and keeps 14 random characters', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-12-01T09:00:00.000Z') });
  const first = newId('transfer');
  const sameMs = Array.from({ length: 50 }, () => newId('transfer'));
  t.mock.timers.tick(1);
  const next = newId('transfer');
  t.mock.timers.setTime(Date.parse('2126-12-01T09:00:00.000Z'));
  const century = newId('transfer');
  const time = (id: string) => id.slice('tr_'.length, 'tr_'.length + 8);
  // 2026-12-01T09:00:00Z in milliseconds, in base62 (0-9, A-Z, a-z), 8 wide.
  assert.equal(time(first), '0VcXW0xc');
  for (const id of sameMs) assert.equal(time(id), time(first));
  assert.ok(time(first) < time(next) && time(next) < time(century));
  assert.ok(first < next && next < century);
  // The random part differs between ids of the same millisecond.
  assert.equal(new Set(sameMs.map((id) => id.slice(-14))).size, 50);
});

test('newId values are unique', () => {
  const ids = new Set(Array.from({ length: 20_000 }, () => newId('transfer')));
  assert.equal(ids.size, 20_000);
});

// -------------------------------------------------------- time zones, countries

test('isTimeZone accepts IANA names and refuses offsets, unknown zones and junk', () => {
  for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Pacific/Chatham']) {
    assert.equal(isTimeZone(zone), true, zone);
  }
  for (const zone of ['', '+02:00', '-05:00', 'Mars/Olympus_Mons', 'Europe/Nowhere', 'Europe/Berlin ', '../etc/passwd', 'Europe/Berlin;drop', 'x'.repeat(70)]) {
    assert.equal(isTimeZone(zone), false, JSON.stringify(zone));
  }
});

test('isCountryCode accepts ISO 3166-1 alpha-2 codes and refuses anything else', () => {
  for (const code of ['US', 'DE', 'GB', 'FR', 'JP', 'BR', 'ZW', 'AX']) assert.equal(isCountryCode(code), true, code);
  for (const code of ['UK', 'us', 'De', 'USA', 'XX', 'EU', 'U', '', ' US']) assert.equal(isCountryCode(code), false, JSON.stringify(code));
});

// ------------------------------------------------------------ transfer rules

const alice = 'usr_alice';
const spec = (over: Partial<TransferSpec>): TransferSpec => ({
  kind: 'payout',
  from: availableAccount(alice, 'usd'),
  to: worldAccount('usd'),
  amount: 100,
  ref_id: 'po_1',
  description: 'Payout',
  ...over,
});

test('assertTransfer accepts each kind between the account kinds it names', () => {
  assert.doesNotThrow(() => assertTransfer(spec({})));
  assert.doesNotThrow(() => assertTransfer(spec({ kind: 'card_charge', from: worldAccount('usd'), to: availableAccount(alice, 'usd') })));
  assert.doesNotThrow(() => assertTransfer(spec({ kind: 'hold_release', from: pendingAccount(alice, 'usd'), to: availableAccount(alice, 'usd') })));
  assert.doesNotThrow(() => assertTransfer(spec({ kind: 'service_fee', from: escrowAccount('ms_1', 'usd'), to: feesAccount('usd') })));
  assert.doesNotThrow(() => assertTransfer(spec({ kind: 'escrow_fund', from: availableAccount(alice, 'jpy'), to: escrowAccount('ms_1', 'jpy') })));
});

test('assertTransfer throws for a transfer kind moving between the wrong account kinds', () => {
  assert.throws(() => assertTransfer(spec({ kind: 'card_charge', from: availableAccount(alice, 'usd'), to: worldAccount('usd') })), /card_charge may not debit a user_available/);
  assert.throws(() => assertTransfer(spec({ kind: 'payout', from: availableAccount(alice, 'usd'), to: escrowAccount('ms_1', 'usd') })), /payout may not credit a escrow/);
  assert.throws(() => assertTransfer(spec({ kind: 'payout', from: pendingAccount(alice, 'usd'), to: worldAccount('usd') })), /payout may not debit a user_pending/);
  assert.throws(() => assertTransfer(spec({ kind: 'escrow_release', from: escrowAccount('ms_1', 'usd'), to: availableAccount(alice, 'usd') })), /may not credit/);
  assert.throws(() => assertTransfer(spec({ kind: 'service_fee', from: feesAccount('usd'), to: feesAccount('usd') })), /may not debit a platform_fees/);
  assert.throws(() => assertTransfer(spec({ kind: 'no_such_kind' as never })), /known transfer kind/);
});

test('assertTransfer throws for a transfer across currencies', () => {
  assert.throws(() => assertTransfer(spec({ from: availableAccount(alice, 'usd'), to: worldAccount('eur') })), /one currency/);
  assert.throws(() => assertTransfer(spec({ kind: 'hold_release', from: pendingAccount(alice, 'gbp'), to: availableAccount(alice, 'usd') })), /one currency/);
});

test('assertTransfer throws for zero, negative, fractional, unsafe and too large amounts', () => {
  for (const amount of [0, -1, -100, 0.5, 100.25, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
    assert.throws(() => assertTransfer(spec({ amount })), /positive integer|ledger ceiling/, String(amount));
  }
  assert.throws(() => assertTransfer(spec({ amount: LIMITS.max_amount_minor * 10 + 1 })), /ledger ceiling/);
  assert.doesNotThrow(() => assertTransfer(spec({ amount: LIMITS.max_amount_minor * 10 })));
  assert.doesNotThrow(() => assertTransfer(spec({ amount: 1 })));
});

test('assertTransfer throws when an ownerless account has an owner or a user account has none', () => {
  assert.throws(() => assertTransfer(spec({ to: { kind: 'world', owner_id: alice, currency: 'usd' } })), /world account has no owner/);
  assert.throws(() => assertTransfer(spec({ from: { kind: 'user_available', owner_id: null, currency: 'usd' } })), /user_available account has an owner/);
});

test('only the world account may go negative', () => {
  for (const kind of ACCOUNT_KINDS) assert.equal(mayGoNegative(kind), kind === 'world', kind);
});
