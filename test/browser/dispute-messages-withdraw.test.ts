// The dispute page's record in a real Chromium: a message with a file shows
// its author (name and role) and the file's name and size to the other side;
// the freelancer withdraws after a confirmation, the milestone goes back to
// where it was and the escrow stays put.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClean, browserSkipReason, logIn, person, PNG, startWebSettle } from '../support/browser.ts';
import { seesStatus, shown } from '../support/dispute-browser.ts';
import { disputedMilestone } from '../support/disputes.ts';
import { assertLedger, balanceOf } from '../support/scenario.ts';

const skip = browserSkipReason();

test('the freelancer adds a message with a file, the client reads it, then the freelancer withdraws and the escrow stays', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const setup = await disputedMilestone(api);
  const disputeId = setup.dispute.id as string;

  const finn = await person(baseUrl);
  const { page } = finn;
  await logIn(finn, setup.freelancer.email, setup.freelancer.password);
  await page.goto(`/disputes/${disputeId}`);
  const messages = page.getByRole('region', { name: 'Messages' });
  await messages.getByText('No messages yet.').waitFor();
  // An empty message is refused by the API, under the Message field.
  await messages.getByRole('button', { name: 'Add message' }).click();
  await messages.locator('.field', { has: page.getByLabel('Message') }).getByRole('alert').getByText('must not be empty').waitFor();
  await messages.getByLabel('Message').fill('Here is the signed-off mockup from week 2.');
  await messages.getByLabel('Attachments').setInputFiles({ name: 'mockup.png', mimeType: 'image/png', buffer: PNG });
  await messages.getByRole('listitem').filter({ hasText: 'mockup.png' }).waitFor();
  await messages.getByRole('button', { name: 'Add message' }).click();
  await page.getByRole('status').getByText('Your message was added to the record.').waitFor();
  assert.equal(await messages.getByLabel('Message').inputValue(), '');
  await page.getByRole('region', { name: 'Record' }).getByText('Message added').waitFor();

  const cleo = await person(baseUrl);
  await logIn(cleo, setup.client.email, setup.client.password);
  await cleo.page.goto(`/disputes/${disputeId}`);
  const theirs = cleo.page.getByRole('region', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'signed-off mockup' });
  await theirs.getByRole('link', { name: 'mockup.png' }).waitFor();
  assert.match(await shown(theirs), /^Finn Freelancer \(freelancer\) · Dec 1, 2026, 9:00 AM UTC Here is the signed-off mockup from week 2\. mockup\.png 70 B$/);
  assert.match((await theirs.getByRole('link', { name: 'mockup.png' }).getAttribute('href')) ?? '', /^\/v1\/files\/file_\w+\/content$/);
  // The client sees no withdraw button; that is the freelancer's.
  assert.equal(await cleo.page.getByRole('button', { name: 'Withdraw dispute' }).count(), 0);

  // Withdraw: a confirmation first; Go back leaves everything as it was.
  await page.getByRole('button', { name: 'Withdraw dispute' }).click();
  const dialog = page.getByRole('dialog', { name: 'Withdraw this dispute?' });
  await dialog.getByRole('button', { name: 'Go back' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await seesStatus(page, 'Awaiting response');
  await page.getByRole('button', { name: 'Withdraw dispute' }).click();
  await dialog.getByRole('button', { name: 'Yes, withdraw' }).click();
  await seesStatus(page, 'Withdrawn');
  await page.locator('.dispute-outcome').getByText('The freelancer withdrew the dispute.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Add message' }).count(), 0);

  await cleo.page.reload();
  await seesStatus(cleo.page, 'Withdrawn');
  assert.equal(await cleo.page.getByRole('button', { name: 'Yes, I approve' }).count(), 0);

  // The milestone is submitted again with its escrow untouched; no money moved.
  const milestone = (await api.get(`/v1/contracts/${setup.contract.id}`, setup.client.token)).body.milestones[0];
  assert.equal(milestone.status, 'submitted');
  assert.deepEqual(await balanceOf(api, setup.client), { available: 0, pending: 0, in_escrow: 100_000 });
  assert.deepEqual(await balanceOf(api, setup.freelancer), { available: 0, pending: 0, in_escrow: 100_000 });
  await assertLedger(api);
  assertClean(finn, cleo);
});
