// The contract pages beyond the happy path, in a real Chromium: a declined
// card, paying from the balance, requesting changes, filing a dispute from the
// milestone (then See Dispute on All Contracts and the client's response on My
// Jobs), ending a contract from either side with its confirmation dialog, and
// All Contracts' status filter and Load more, and a contract in yen.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { PNG, assertClean, browserSkipReason, logIn, person, startWebSettle } from '../support/browser.ts';
import { activeContract, assertLedger, balanceOf, expectOk } from '../support/scenario.ts';

const skip = browserSkipReason();

type Locator = ReturnType<Page['locator']>;
const seen = async (locator: Locator): Promise<string> => (await locator.innerText()).replace(/\s+/g, ' ').trim();

test('a declined card shows the payment error and funds nothing; paying from the balance funds the milestone', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const { client, contract } = await activeContract(api, [100_000]);
  const cleo = await person(baseUrl);
  await logIn(cleo, client.email, client.password);
  const p = cleo.page;
  await p.goto(`/contracts/${contract.id}`);
  const first = p.getByRole('region', { name: 'Milestone 1' });
  await first.getByLabel('Pay with').selectOption({ label: 'Declined test card (sandbox)' });
  await first.getByRole('button', { name: 'Fund milestone' }).click();
  const error = first.locator('.field', { has: p.getByLabel('Pay with') }).getByRole('alert');
  await error.waitFor();
  assert.equal(await seen(error), 'The card was declined. Try another card or pay from your balance.');
  assert.match(await seen(first), /Pending .*In escrow \$0\.00/);

  await api.credit(client.id, 100_000);
  await first.getByLabel('Pay with').selectOption({ label: 'Balance' });
  await first.getByRole('button', { name: 'Fund milestone' }).click();
  await p.getByRole('status').filter({ hasText: 'Milestone 1 is funded: $1,000.00 is held in escrow.' }).waitFor();
  assert.match(await seen(first), /Funded .*In escrow \$1,000\.00/);
  assert.equal(await first.getByRole('button', { name: 'Fund milestone' }).count(), 0);
  assert.deepEqual(await balanceOf(api, client), { available: 0, pending: 0, in_escrow: 100_000 });
  await assertLedger(api);
  assertClean(cleo);
});

test('changes requested, then the freelancer files a dispute from the milestone; See Dispute on All Contracts, the response on My Jobs', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const { client, freelancer, contract, milestoneIds } = await activeContract(api, [100_000]);
  await expectOk(api.post(`/v1/milestones/${milestoneIds[0]}/fund`, {}, client.token));
  await expectOk(api.post(`/v1/milestones/${milestoneIds[0]}/submit`, { message: 'The new home page.' }, freelancer.token));
  const cleo = await person(baseUrl);
  const finn = await person(baseUrl);
  await logIn(cleo, client.email, client.password);
  await logIn(finn, freelancer.email, freelancer.password);

  const c = cleo.page;
  await c.goto(`/contracts/${contract.id}`);
  const mine = c.getByRole('region', { name: 'Milestone 1' });
  await mine.getByRole('button', { name: 'Request changes' }).click();
  await mine.getByLabel('What needs to change').fill('The menu does not work on phones.');
  await mine.getByRole('button', { name: 'Send request' }).click();
  await c.getByRole('status').filter({ hasText: 'Changes requested on Milestone 1.' }).waitFor();
  assert.match(await seen(mine), /Changes requested .*The menu does not work on phones\./);
  assert.doesNotMatch(await seen(mine), /Auto-release/, 'the review window stopped');

  const f = finn.page;
  await f.goto(`/contracts/${contract.id}`);
  const theirs = f.getByRole('region', { name: 'Milestone 1' });
  assert.match(await seen(theirs), /The client asked for changes/);
  assert.ok(await theirs.getByRole('button', { name: 'Submit work' }).isVisible(), 'the freelancer can submit again');
  await theirs.getByRole('button', { name: 'File a dispute' }).click();
  assert.equal(await theirs.getByLabel('Amount requested').inputValue(), '1000.00', 'defaults to the escrow');
  await theirs.getByRole('button', { name: 'File dispute' }).click();
  // Checked on the page first: a reason and a long enough description.
  await theirs.locator('.field', { has: f.getByLabel('Reason') }).getByRole('alert').waitFor();
  await theirs.getByLabel('Reason').selectOption({ label: 'Work delivered not paid' });
  await theirs.getByLabel('Description').fill('The work was delivered on time and matches the brief; the client has not paid.');
  await theirs.getByLabel('Attachments').setInputFiles({ name: 'brief.png', mimeType: 'image/png', buffer: PNG });
  await theirs.getByRole('list', { name: 'Attached files' }).getByText('brief.png').waitFor();
  await theirs.getByRole('button', { name: 'File dispute' }).click();
  await f.waitForURL(/\/disputes\/\w+$/);
  const disputeId = new URL(f.url()).pathname.split('/').pop()!;
  const dispute = await expectOk(api.get(`/v1/disputes/${disputeId}`, client.token));
  assert.equal(dispute.amount_requested, 100_000);
  assert.equal(dispute.reason_code, 'work_delivered_not_paid');
  assert.equal(dispute.file_ids.length, 1);

  // The client: All Contracts has See Dispute; the milestone links to it; My Jobs asks for a response by the deadline.
  await c.goto('/contracts');
  const row = c.getByRole('row').filter({ has: c.getByRole('link', { name: 'Website redesign' }) });
  const see = row.getByRole('link', { name: 'See Dispute', exact: true });
  await see.waitFor();
  assert.equal(await see.getAttribute('href'), `/disputes/${disputeId}`);
  await row.filter({ hasText: 'Awaiting response' }).waitFor();
  assert.match(await seen(row), /Website redesign Finn Freelancer Client Active \$1,000\.00 \$0\.00 See Dispute Milestone 1 Awaiting response/);
  await c.goto(`/contracts/${contract.id}`);
  assert.equal(await c.getByRole('region', { name: 'Milestone 1' }).getByRole('link', { name: 'See Dispute' }).getAttribute('href'), `/disputes/${disputeId}`);
  await c.goto('/jobs');
  const respond = c.getByRole('listitem').filter({ hasText: 'Respond to the dispute' });
  await respond.waitFor();
  assert.match(await seen(respond), /Website redesign · Milestone 1 · \$1,000\.00 Respond by Tue, Dec 8, 2026, 11:59:59 PM UTC/);
  assert.equal(await respond.getByRole('link', { name: 'See Dispute: Milestone 1' }).getAttribute('href'), `/disputes/${disputeId}`);
  await assertLedger(api);
  assertClean(cleo);
});

test('ending a contract: each side is told what happens to the escrow; Escape keeps it, the freelancer ends it and the escrow goes back', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const { client, freelancer, contract, milestoneIds } = await activeContract(api, [100_000, 50_000]);
  await expectOk(api.post(`/v1/milestones/${milestoneIds[0]}/fund`, {}, client.token));
  const cleo = await person(baseUrl);
  const finn = await person(baseUrl);
  await logIn(cleo, client.email, client.password);
  await logIn(finn, freelancer.email, freelancer.password);

  const c = cleo.page;
  await c.goto(`/contracts/${contract.id}`);
  await c.getByRole('button', { name: 'End contract' }).click();
  const clientDialog = c.getByRole('dialog', { name: 'End this contract?' });
  await clientDialog.waitFor();
  assert.match(await seen(clientDialog), /Milestones not yet funded \(1\) are cancelled\. Every milestone still holding escrow \(\$1,000\.00 in all\) gets an escrow refund request\. The freelancer has 7 days/);
  await c.keyboard.press('Escape');
  await clientDialog.waitFor({ state: 'hidden' });
  assert.equal((await expectOk(api.get(`/v1/contracts/${contract.id}`, client.token))).status, 'active', 'Escape ends nothing');

  const f = finn.page;
  await f.goto(`/contracts/${contract.id}`);
  await f.getByRole('button', { name: 'End contract' }).click();
  const dialog = f.getByRole('dialog', { name: 'End this contract?' });
  assert.match(await seen(dialog), /The escrow not yet released to you \(\$1,000\.00\) goes back to the client now\./);
  await dialog.getByLabel('Reason (optional)').fill('The client changed plans.');
  await dialog.getByRole('button', { name: 'Yes, end contract' }).click();
  await f.getByRole('status').filter({ hasText: 'Contract ended.' }).waitFor();
  assert.match(await seen(f.locator('.contract-summary')), /Status Ended/);
  assert.match(await seen(f.getByRole('region', { name: 'Milestone 1' })), /Refunded .*Refunded \$1,000\.00/);
  assert.match(await seen(f.getByRole('region', { name: 'Milestone 2' })), /Cancelled/);
  assert.equal(await f.getByRole('button', { name: 'End contract' }).count(), 0);
  assert.deepEqual(await balanceOf(api, client), { available: 100_000, pending: 0, in_escrow: 0 });
  await assertLedger(api);
  assertClean(cleo, finn);
});

test('All Contracts filters by status and loads more; My Jobs has an empty state', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const { client, freelancer } = await activeContract(api, [10_000]);
  for (let i = 1; i <= 21; i += 1) {
    await expectOk(api.post('/v1/contracts', { title: `Offer ${i}`, freelancer_email: freelancer.email, milestones: [{ title: 'Only', amount: 1_000 * i }] }, client.token), 201);
  }
  const cleo = await person(baseUrl);
  await logIn(cleo, client.email, client.password);
  const p = cleo.page;
  await p.goto('/jobs');
  await p.getByRole('listitem').filter({ hasText: 'Fund the milestone' }).waitFor();
  await p.getByRole('link', { name: 'View All Contracts' }).click();
  await p.waitForURL('**/contracts');
  const links = p.getByRole('table').getByRole('link');
  await p.getByRole('link', { name: 'Offer 21' }).waitFor();
  assert.equal(await links.count(), 20);
  await p.getByRole('button', { name: 'Load more' }).click();
  await p.getByRole('link', { name: 'Website redesign' }).waitFor();
  assert.equal(await links.count(), 22);
  assert.equal(await p.getByRole('button', { name: 'Load more' }).count(), 0);

  await p.getByLabel('Status').selectOption({ label: 'Active' });
  await p.waitForURL('**/contracts?status=active');
  await p.getByRole('link', { name: 'Offer 21' }).waitFor({ state: 'detached' });
  assert.deepEqual(await links.allInnerTexts(), ['Website redesign']);
  await p.getByLabel('Status').selectOption({ label: 'Ended' });
  await p.getByText('No ended contracts.').waitFor();

  // Someone with nothing to do.
  const idle = await api.user('Ida Idle');
  const ida = await person(baseUrl);
  await logIn(ida, idle.email, idle.password);
  await ida.page.goto('/jobs');
  await ida.page.getByText('Nothing needs your action right now.').waitFor();
  assertClean(cleo, ida);
});

test('a yen contract shows yen without minor units, refuses a fractional yen amount under its field and releases whole yen', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const { client, freelancer, contract, milestoneIds } = await activeContract(api, [120_000], 'jpy');
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Translated and proofread.' }, freelancer.token));
  const cleo = await person(baseUrl);
  await logIn(cleo, client.email, client.password);
  const p = cleo.page;
  await p.goto(`/contracts/${contract.id}`);
  const m = p.getByRole('region', { name: 'Milestone 1' });
  assert.match(await seen(m), /Amount ¥120,000 In escrow ¥120,000/);
  await m.getByRole('button', { name: 'Approve & release' }).click();
  assert.equal(await m.getByLabel('Amount to release').inputValue(), '120000');
  assert.equal(await m.locator('.currency-code').first().innerText(), 'JPY');

  await m.getByLabel('Amount to release').fill('1000.5');
  await m.getByRole('button', { name: 'Release payment' }).click();
  await m.locator('.field', { has: p.getByLabel('Amount to release') }).getByRole('alert').waitFor();
  assert.equal((await api.get(`/v1/milestones/${id}`, client.token)).body.status, 'submitted', 'nothing was sent');

  await m.getByLabel('Amount to release').fill('100000');
  // 10% of ¥100,000 is ¥10,000: the freelancer nets ¥90,000.
  await m.getByRole('note').getByText('The freelancer receives ¥90,000', { exact: false }).waitFor();
  await m.getByRole('button', { name: 'Release payment' }).click();
  await p.getByRole('status').filter({ hasText: '¥100,000 released to the freelancer.' }).waitFor();
  assert.match(await seen(m), /In escrow ¥20,000 Released ¥100,000/);
  assert.deepEqual(await balanceOf(api, freelancer, 'jpy'), { available: 0, pending: 90_000, in_escrow: 20_000 });
  await assertLedger(api);
  assertClean(cleo);
});
