// The journey "an arbitration ending in an award", in a real Chromium:
// mediation fails (set up through the API), both parties opt in to arbitration
// on the dispute page paying the fee they see, the assigned arbitrator finds
// the case on /cases, downloads the case file (a PDF) and issues an award
// through the form and its confirmation; both parties then see it resolved,
// and the money is where PRODUCT.md says: the award less the service fee
// pending for the freelancer, the rest back to the client, both fees paid out
// to the arbitration provider, nothing left in escrow.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClean, browserSkipReason, logIn, person, screenshot, startWebSettle, type Person } from '../support/browser.ts';
import { DECLINE, disputedMilestone, operatorMadeUser } from '../support/disputes.ts';
import { assertLedger, balanceOf, expectOk } from '../support/scenario.ts';

const skip = browserSkipReason();

const EXPLANATION = 'Most of the work was delivered; the mobile layouts were missing.';
const DECISION = 'The design was delivered as the brief asked, except the mobile layouts, which are 40% of the work.';

/** A party opens the dispute page, sees the fee and opts in (paying by card, the form's default). */
async function optIn(p: Person, disputeId: string): Promise<void> {
  const { page } = p;
  await page.goto(`/disputes/${disputeId}`);
  await page.getByRole('heading', { name: 'Milestone 1', level: 1 }).waitFor();
  await page.getByText('Not resolved', { exact: true }).first().waitFor();
  await page.getByText('Fee per party: $291.00').waitFor();
  await page.getByRole('button', { name: /^Opt in to arbitration — pay \$291\.00/ }).click();
  await page.getByText('Your arbitration fee is paid.').waitFor();
}

test('an arbitration ending in an award: both opt in, the arbitrator reads the case file and awards; money follows the award', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  // Made before the opt-ins, so it is the arbitrator the second opt-in assigns.
  const arbitrator = await operatorMadeUser(api, 'Ari Arbitrator', 'arbitrator');
  const staff = await operatorMadeUser(api, 'Stella Staff', 'staff');
  const { client, freelancer, dispute } = await disputedMilestone(api);
  const id = dispute.id as string;
  await expectOk(api.post(`/v1/disputes/${id}/decline`, { reason_code: 'requirements_not_met', description: DECLINE }, client.token));
  await expectOk(api.post(`/v1/disputes/${id}/proposal`, { freelancer_amount: 70_000, explanation: EXPLANATION }, staff.token), 201);
  const rejected = await expectOk(api.post(`/v1/disputes/${id}/proposal/reject`, {}, client.token));
  assert.equal(rejected.status, 'not_resolved');
  assert.equal(rejected.arbitration.fee_amount, 29_100);

  // Both parties opt in on the dispute page.
  const finn = await person(baseUrl);
  const cleo = await person(baseUrl);
  await logIn(finn, freelancer.email, freelancer.password);
  await logIn(cleo, client.email, client.password);
  await optIn(finn, id);
  await optIn(cleo, id);
  await cleo.page.getByText('Arbitrator: Ari Arbitrator').waitFor();
  await cleo.page.getByText('In arbitration', { exact: true }).first().waitFor();

  // The arbitrator finds the case on /cases.
  const ari = await person(baseUrl);
  await logIn(ari, arbitrator.email, arbitrator.password);
  const { page } = ari;
  await page.waitForURL('**/cases');
  const row = page.getByRole('table', { name: 'Your cases' }).getByRole('row', { name: /Milestone 1/ });
  await row.waitFor();
  const rowText = await row.innerText();
  for (const seen of ['Website redesign', 'Cleo Client (client)', 'Finn Freelancer (freelancer)', 'In arbitration', '$1,000.00', 'Both parties', '$291.00 each']) assert.ok(rowText.includes(seen), `the case row shows ${seen}: ${rowText}`);
  assert.equal(await row.getByRole('link', { name: /^Case file \(PDF\)/ }).getAttribute('href'), `/v1/disputes/${id}/case_file`);
  await screenshot(ari, 'arbitrator-cases');

  // The case page: the case file is a PDF, fetched with the arbitrator's session cookie.
  await row.getByRole('link', { name: /^Open case/ }).click();
  await page.waitForURL(`**/disputes/${id}`);
  const download = page.getByRole('link', { name: 'Download case file (PDF)' });
  const href = await download.getAttribute('href');
  assert.equal(href, `/v1/disputes/${id}/case_file`);
  const pdf = await ari.context.request.get(href!);
  assert.equal(pdf.status(), 200);
  assert.match(pdf.headers()['content-type'] ?? '', /application\/pdf/);
  assert.equal((await pdf.body()).subarray(0, 4).toString('latin1'), '%PDF');

  // The award form shows the client's share as the arbitrator types.
  const award = page.getByRole('form', { name: 'Award' });
  await award.getByLabel('Award to freelancer').fill('600.00');
  await award.getByText('Client receives $400.00').waitFor();
  await award.getByLabel('Decision').fill(DECISION);
  await page.evaluate(() => window.scrollTo(0, 0)); // the sticky top bar sits at the top of a full-page shot
  await screenshot(ari, 'dispute-award');
  await award.getByRole('button', { name: 'Issue award' }).click();
  const dialog = page.getByRole('dialog', { name: 'Awards are final and binding' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /Finn Freelancer \(freelancer\) receives \$600\.00 and Cleo Client \(client\) gets\s+\$400\.00 back/);
  await dialog.getByRole('button', { name: 'Yes, issue award' }).click();
  await page.getByText('Award recorded.').waitFor();
  await page.getByText('Resolved', { exact: true }).first().waitFor();

  // Both parties see it resolved, with the award's split.
  for (const p of [finn, cleo]) {
    await p.page.reload();
    await p.page.getByText('Resolved', { exact: true }).first().waitFor();
    const awardBox = p.page.locator('.award');
    await awardBox.getByText(DECISION).waitFor();
    assert.match(await awardBox.innerText(), /Finn Freelancer \(freelancer\) receives \$600\.00; Cleo Client \(client\) receives \$400\.00/);
    assert.equal(await p.page.getByRole('button', { name: /^Opt in to arbitration/ }).count(), 0);
  }

  // The money, as the parties see it and in the ledger: the award less the 10% service fee
  // (rounded half up) pending for the freelancer, the rest back to the client.
  await finn.page.getByRole('link', { name: 'Balance' }).click();
  await finn.page.locator('.stat').filter({ has: finn.page.getByText('Pending', { exact: true }) }).getByText('$540.00').waitFor();
  await cleo.page.getByRole('link', { name: 'Balance' }).click();
  await cleo.page.locator('.stat').filter({ has: cleo.page.getByText('Available', { exact: true }) }).getByText('$400.00').waitFor();
  assert.deepEqual(await balanceOf(api, freelancer), { available: 0, pending: 54_000, in_escrow: 0 });
  assert.deepEqual(await balanceOf(api, client), { available: 40_000, pending: 0, in_escrow: 0 });
  const db = api.settle.deps.db;
  const moved = await db.query<{ kind: string; amount: string }>(`select kind, amount::text from transfers where ref_id = $1 and kind like 'arbitration%' order by seq`, [id]);
  // Both fees were paid to the arbitration provider; none came back.
  assert.deepEqual(
    moved.rows.map((r) => [r.kind, Number(r.amount)]),
    [
      ['arbitration_fee_hold', 29_100],
      ['arbitration_fee_hold', 29_100],
      ['arbitration_fee_payment', 58_200],
    ],
  );
  const held = await db.query<{ kind: string; balance: string }>(`select kind, balance::text from accounts where kind in ('escrow', 'arbitration_fees', 'platform_fees') order by kind`);
  assert.deepEqual(
    held.rows.map((r) => [r.kind, Number(r.balance)]),
    [
      ['arbitration_fees', 0],
      ['escrow', 0],
      ['platform_fees', 6_000],
    ],
  );
  const milestone = (await expectOk(api.get(`/v1/contracts/${dispute.contract}`, client.token))).milestones[0];
  assert.equal(milestone.status, 'paid');
  assert.equal(milestone.escrow_amount, 0);
  await assertLedger(api);
  assertClean(finn, cleo, ari);
});
