import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSettle } from './support/harness.ts';

test('pending money becomes available one millisecond after the 5-day hold, not before', async () => {
  const api = await startSettle();
  const ann = await api.user('Ann');
  await api.credit(ann.id, 10_000, 'usd', 'pending');
  await api.advance({ seconds: 5 * 24 * 3600 });
  let balance = (await api.get('/v1/balance', ann.token)).body;
  assert.deepEqual(balance.pending, [{ amount: 10_000, currency: 'usd' }]);
  assert.deepEqual(balance.available, [{ amount: 0, currency: 'usd' }]);
  await api.advance({ seconds: 1 });
  balance = (await api.get('/v1/balance', ann.token)).body;
  assert.deepEqual(balance.pending, [{ amount: 0, currency: 'usd' }]);
  assert.deepEqual(balance.available, [{ amount: 10_000, currency: 'usd' }]);
  const ledger = await api.verifyLedger();
  assert.equal(ledger.ok, true, ledger.problems.join('; '));
});

test('GET /v1/fees tells anyone the service fee and the arbitration fee the server charges', async () => {
  const api = await startSettle({ env: { SETTLE_FEE_BPS: '750', SETTLE_ARBITRATION_FEE: '5000' } });
  const res = await api.get('/v1/fees');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { object: 'fees', service_fee_bps: 750, arbitration_fee_amount: 5000 });
});
