// Mediation failing in a real Chromium: the client rejects staff's proposal,
// both sides see the Notice of Non-Resolution and the arbitration fee; only
// the client opts in (by card), the window closes, and the escrow and the fee
// go back to the client (PRODUCT.md "Disputes" 4).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClean, browserSkipReason, logIn, person, startWebSettle } from '../support/browser.ts';
import { seesStatus, shown } from '../support/dispute-browser.ts';
import { DECLINE, disputedMilestone, operatorMadeUser } from '../support/disputes.ts';
import { assertLedger, balanceOf, expectOk } from '../support/scenario.ts';

const skip = browserSkipReason();

test('the client rejects a proposal and alone opts in to arbitration: after 7 days the escrow and the fee return to the client', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const setup = await disputedMilestone(api);
  const disputeId = setup.dispute.id as string;
  const staff = await operatorMadeUser(api, 'Sam Staff', 'staff');
  await expectOk(api.post(`/v1/disputes/${disputeId}/decline`, { reason_code: 'requirements_not_met', description: DECLINE }, setup.client.token));
  await expectOk(api.post(`/v1/disputes/${disputeId}/proposal`, { freelancer_amount: 80_000, explanation: 'Most of the work was delivered; the mobile layouts were not.' }, staff.token), 201);

  const cleo = await person(baseUrl);
  const { page } = cleo;
  await logIn(cleo, setup.client.email, setup.client.password);
  await page.goto(`/disputes/${disputeId}`);
  await page.getByText('Your decision on the proposal is due').waitFor();
  await page.getByRole('button', { name: 'Reject proposal' }).click();
  await seesStatus(page, 'Not resolved');
  await page.getByRole('region', { name: 'Settle’s proposal' }).getByText('You rejected this proposal.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Accept proposal' }).count(), 0);

  // The fee is on the button; paying by card leaves the client's balance as it was.
  const arbitration = page.getByRole('region', { name: 'Arbitration' });
  assert.match(await shown(arbitration.getByRole('list', { name: 'Arbitration fees' })), /Cleo Client \(client\): not paid Finn Freelancer \(freelancer\): not paid/);
  await arbitration.getByRole('button', { name: 'Opt in to arbitration — pay $291.00' }).click();
  await page.getByRole('status').getByText('Your arbitration fee is paid.').waitFor();
  assert.match(await shown(arbitration.getByRole('list', { name: 'Arbitration fees' })), /Cleo Client \(client\): paid Finn Freelancer \(freelancer\): not paid/);
  assert.equal(await arbitration.getByRole('button', { name: /^Opt in to arbitration/ }).count(), 0);
  await page.getByText('Waiting for the freelancer’s arbitration opt-in, closes').waitFor();

  const finn = await person(baseUrl);
  await logIn(finn, setup.freelancer.email, setup.freelancer.password);
  await finn.page.goto(`/disputes/${disputeId}`);
  await finn.page.getByText('Opt in to arbitration by').waitFor();
  await finn.page.getByRole('button', { name: 'Opt in to arbitration — pay $291.00' }).waitFor();

  // Seven days pass without the freelancer paying.
  await api.advance({ seconds: 7 * 24 * 3600 + 60 });
  await page.reload();
  await seesStatus(page, 'Resolved');
  assert.match(await shown(page.locator('.dispute-outcome')), /Only one side opted in to arbitration, so the escrow went to that side\.[\s\S]*Finn Freelancer \(the freelancer\) receives \$0\.00 .*; you get \$1,000\.00 back\./);
  await finn.page.reload();
  await seesStatus(finn.page, 'Resolved');
  assert.equal(await finn.page.getByRole('button', { name: /^Opt in to arbitration/ }).count(), 0);

  assert.deepEqual(await balanceOf(api, setup.client), { available: 100_000 + 29_100, pending: 0, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, setup.freelancer), { available: 0, pending: 0, in_escrow: 0 });
  await assertLedger(api);
  assertClean(cleo, finn);
});
