// Journey 3 of issue #6 in a real Chromium: the client answers a filed
// dispute with "Yes, I approve". The confirmation names the amount and who
// gets it; afterwards both sides see it resolved, the freelancer has the
// requested amount less the fee pending and the rest of the escrow is back
// with the client (PRODUCT.md: a dispute settles the milestone's whole escrow).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClean, browserSkipReason, logIn, person, screenshot, startWebSettle } from '../support/browser.ts';
import { seesStatus, shown, statValue } from '../support/dispute-browser.ts';
import { disputedMilestone } from '../support/disputes.ts';
import { assertLedger, balanceOf } from '../support/scenario.ts';

const skip = browserSkipReason();

test('the client approves a dispute for $700.00 of $1,000.00: the freelancer is paid that, the client gets $300.00 back', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const setup = await disputedMilestone(api, { amount: 100_000, requested: 70_000 });
  const disputeId = setup.dispute.id as string;

  const cleo = await person(baseUrl);
  const { page } = cleo;
  await logIn(cleo, setup.client.email, setup.client.password);
  await page.goto(`/disputes/${disputeId}`);
  await seesStatus(page, 'Awaiting response');
  assert.equal(await statValue(page, 'Amount requested').innerText(), '$700.00');
  assert.equal(await statValue(page, 'Escrow in dispute').innerText(), '$1,000.00');

  // The confirmation says how much goes to whom; Escape closes it and nothing happens.
  await page.getByRole('button', { name: 'Yes, I approve' }).click();
  const dialog = page.getByRole('dialog');
  assert.match(await shown(dialog), /Settle releases \$700\.00 to Finn Freelancer \(the freelancer\)[\s\S]*\$300\.00, returns to you/);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await api.get(`/v1/disputes/${disputeId}`, setup.client.token)).body.status, 'awaiting_response');

  await page.getByRole('button', { name: 'Yes, I approve' }).click();
  await dialog.getByRole('button', { name: 'Yes, release payment' }).click();
  await seesStatus(page, 'Resolved');
  await page.getByRole('status').getByText('You approved').waitFor();
  assert.match(await shown(page.locator('.dispute-outcome')), /The client approved the requested amount\.[\s\S]*Finn Freelancer \(the freelancer\) receives \$700\.00 \(before Settle’s service fee\); you get \$300\.00 back\./);
  assert.equal(await page.getByRole('button', { name: 'Yes, I approve' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Decline' }).count(), 0);
  await page.getByRole('article', { name: 'The client’s response' }).getByText('Approved the requested amount').waitFor();
  const record = page.getByRole('region', { name: 'Record' });
  await record.getByText('Client approved the request').waitFor();
  const resolved = record.getByRole('listitem').filter({ hasText: 'Dispute resolved; money moved' });
  assert.match(await shown(resolved), /^Dispute resolved; money moved · Client .* to freelancer \$700\.00 · to client \$300\.00 · service fee \$70\.00 · freelancer nets \$630\.00$/);
  assert.match(await shown(record), /Record fingerprint: [0-9a-f]{64}/);

  const finn = await person(baseUrl);
  await logIn(finn, setup.freelancer.email, setup.freelancer.password);
  await finn.page.goto(`/disputes/${disputeId}`);
  await seesStatus(finn.page, 'Resolved');
  assert.match(await shown(finn.page.locator('.dispute-outcome')), /You receive \$700\.00 \(before Settle’s service fee\); Cleo Client \(the client\) gets \$300\.00 back\./);
  assert.equal(await finn.page.getByRole('button', { name: 'Withdraw dispute' }).count(), 0);
  assert.equal(await finn.page.getByRole('button', { name: 'Add message' }).count(), 0);

  // The money: 700.00 less the 10% fee pending for the freelancer; 300.00 back to the client; escrow empty.
  assert.deepEqual(await balanceOf(api, setup.freelancer), { available: 0, pending: 63_000, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, setup.client), { available: 30_000, pending: 0, in_escrow: 0 });
  await assertLedger(api);
  assertClean(cleo, finn);
});
