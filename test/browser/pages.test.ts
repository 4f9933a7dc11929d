// The balance, notifications, staff review queue, operator panel and settings
// pages in a real Chromium: what a person sees on each, what their actions do
// to the money (checked through the API and the ledger), and no page errors.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClean, browserSkipReason, logIn, person, screenshot, startWebSettle } from '../support/browser.ts';
import { staffInBrowser } from '../support/dispute-browser.ts';
import { disputedMilestone, DECLINE } from '../support/disputes.ts';
import { ADMIN_TOKEN } from '../support/harness.ts';
import { assertLedger, balanceOf, expectOk } from '../support/scenario.ts';
import type { Page } from 'playwright-core';

const skip = browserSkipReason();

/** The text of the stat card labelled `label` ("Available", "Pending", "In escrow"). */
const stat = (page: Page, label: string) => page.locator('.stat').filter({ has: page.getByText(label, { exact: true }) }).locator('.stat-value');

test('balance: a member sees available money, pays out part, sees the payout and the transaction; too much is refused under Amount', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const bo = await api.user('Bo Member');
  await api.credit(bo.id, 100_000);
  const p = await person(baseUrl);
  const { page } = p;
  await logIn(p, bo.email, bo.password);
  await page.getByRole('link', { name: 'Balance' }).click();
  await page.getByRole('heading', { name: 'Balance', level: 1 }).waitFor();
  await stat(page, 'Available').getByText('$1,000.00').waitFor();
  assert.equal(await stat(page, 'Pending').innerText(), '$0.00');
  await page.getByText('Released money is held for 5 days').waitFor();
  await page.getByRole('table', { name: 'Transactions' }).getByRole('row', { name: /Sandbox credit/i }).waitFor();

  await page.getByLabel('Amount').fill('250');
  await page.getByRole('button', { name: 'Pay out' }).click();
  await page.getByRole('status').getByText('Paid out $250.00 to your bank account.').waitFor();
  await stat(page, 'Available').getByText('$750.00').waitFor();
  const payoutRow = page.getByRole('table', { name: 'Payouts' }).getByRole('row').nth(1);
  await payoutRow.getByText('$250.00').waitFor();
  assert.match(await payoutRow.innerText(), /Dec 1, 2026, 9:00 AM UTC/);
  const payoutTx = page.getByRole('table', { name: 'Transactions' }).getByRole('row', { name: /Payout to bank account/ });
  await payoutTx.waitFor();
  const cells = await payoutTx.getByRole('cell').allInnerTexts();
  assert.deepEqual(cells.slice(1), ['Payout to bank account', 'Payout', 'Available', '−$250.00', '$750.00']);
  assert.deepEqual(await balanceOf(api, bo), { available: 75_000, pending: 0, in_escrow: 0 });
  await screenshot(p, 'balance');

  // More than available: the error is under Amount, and nothing moves.
  await page.getByLabel('Amount').fill('5,000.00');
  await page.getByRole('button', { name: 'Pay out' }).click();
  const amountField = page.locator('.field', { has: page.getByLabel('Amount') });
  await amountField.getByRole('alert').getByText('More than your available balance ($750.00).').waitFor();
  assert.equal(await page.getByLabel('Amount').getAttribute('aria-invalid'), 'true');
  assert.equal(await stat(page, 'Available').innerText(), '$750.00');
  assert.equal(await page.getByRole('table', { name: 'Payouts' }).getByRole('row').count(), 2);
  assert.deepEqual(await balanceOf(api, bo), { available: 75_000, pending: 0, in_escrow: 0 });
  assert.equal((await api.get('/v1/payouts', bo.token)).body.data.length, 1);
  await assertLedger(api);
  assertClean(p);
});

test('notifications: the unread count shows in the nav; opening one lands on its page and the count drops', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  // Offer accepted, work submitted, dispute filed: three notifications for the client.
  const { client, dispute } = await disputedMilestone(api);
  const inbox = (await api.get('/v1/notifications', client.token)).body;
  const unread = inbox.unread_count as number;
  assert.ok(unread >= 2, `the client has notifications (${unread})`);
  const p = await person(baseUrl);
  const { page } = p;
  await logIn(p, client.email, client.password);
  await page.getByRole('link', { name: `Notifications, ${unread} unread` }).click();
  await page.getByRole('heading', { name: `Notifications (${unread} unread)` }).waitFor();
  const filed = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /A dispute was filed on/ }) });
  await filed.getByRole('img', { name: 'Unread' }).waitFor();
  // The response deadline, in the viewer's zone with a countdown.
  await filed.getByRole('timer').waitFor();
  assert.match(await filed.innerText(), /Due\s+\w{3}, Dec \d+, 2026, [\d:]+ [AP]M UTC/);
  await screenshot(p, 'notifications');

  await filed.getByRole('link', { name: /^Open/ }).click();
  await page.waitForURL(`**/disputes/${dispute.id}`);
  await page.getByRole('link', { name: `Notifications, ${unread - 1} unread` }).waitFor();
  assert.equal((await api.get('/v1/notifications', client.token)).body.unread_count, unread - 1);

  // "Mark as read" on another, without leaving the page.
  await page.getByRole('link', { name: /^Notifications/ }).click();
  await page.getByRole('heading', { name: `Notifications (${unread - 1} unread)` }).waitFor();
  await page.getByRole('button', { name: /^Mark as read/ }).first().click();
  await page.getByRole('heading', { name: `Notifications (${unread - 2} unread)` }).waitFor();
  await page.getByRole('link', { name: unread - 2 ? `Notifications, ${unread - 2} unread` : 'Notifications' }).waitFor();
  assert.equal((await api.get('/v1/notifications', client.token)).body.unread_count, unread - 2);
  assertClean(p);
});

test('review queue: staff see a declined dispute; after its proposal target passes the row is flagged Overdue', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const { client, dispute } = await disputedMilestone(api, { requested: 80_000 });
  await expectOk(api.post(`/v1/disputes/${dispute.id}/decline`, { reason_code: 'requirements_not_met', description: DECLINE }, client.token));
  const staff = await staffInBrowser(api, baseUrl, 'Stella Staff');
  const p = staff.person;
  const { page } = p;
  await page.waitForURL('**/review');
  const table = page.getByRole('table', { name: 'Disputes in review' });
  const row = table.getByRole('row', { name: /Milestone 1/ });
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /Website redesign/);
  assert.match(text, /Cleo Client \(client\)/);
  assert.match(text, /Finn Freelancer \(freelancer\)/);
  assert.match(text, /\$800\.00/);
  assert.match(text, /In review/);
  assert.match(text, /left/);
  assert.equal(await row.getByText('Overdue').count(), 0);
  assert.equal(await row.getAttribute('class'), null);

  const target = (await api.get(`/v1/disputes/${dispute.id}`, staff.token)).body.proposal_target_at as string;
  await api.advance({ to: new Date(Date.parse(target) + 1000).toISOString() });
  await page.reload();
  await row.getByText('Overdue').waitFor();
  assert.equal(await row.getAttribute('class'), 'row-flag');
  assert.match(await row.innerText(), /deadline passed/);
  await screenshot(p, 'review-queue');

  // The filter: nothing is in arbitration.
  await page.getByLabel('Status').selectOption('in_arbitration');
  await page.getByText('No disputes in arbitration.').waitFor();
  await page.getByLabel('Status').selectOption('');
  await row.getByRole('link', { name: /^Open/ }).click();
  await page.waitForURL(`**/disputes/${dispute.id}`);
  assertClean(p);
});

test('operator panel: the operator token moves the sandbox clock; a wrong token is refused', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const bo = await api.user('Bo Member', { time_zone: 'Asia/Tokyo' });
  const p = await person(baseUrl, { timezoneId: 'Europe/Berlin' });
  const { page } = p;
  // Signed in as a member too, to see the app's clock follow the advance.
  await logIn(p, bo.email, bo.password);
  await page.goto('/operator');
  await page.getByRole('heading', { name: 'Operator panel' }).waitFor();

  await page.getByLabel('Operator token').fill('not-the-operator-token');
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByRole('alert').getByText('The operator token was not accepted').waitFor();

  await page.getByLabel('Operator token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Use token' }).click();
  const now = page.getByLabel('Sandbox time in UTC');
  await now.getByText('Tue, Dec 1, 2026, 9:00:00 AM UTC').waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);
  // The token is kept for this tab only.
  assert.deepEqual(await page.evaluate(() => [sessionStorage.getItem('settle.operator_token'), localStorage.length]), [ADMIN_TOKEN, 0]);

  await page.getByRole('button', { name: 'Advance 1 day' }).click();
  await now.getByText('Wed, Dec 2, 2026, 9:00:00 AM UTC').waitFor();
  assert.equal(await page.getByLabel("Sandbox time in this browser's zone").innerText(), 'Wed, Dec 2, 2026, 10:00:00 AM GMT+1');
  await page.getByRole('status').getByText(/Clock advanced; \d+ rules? applied/).waitFor();
  assert.equal((await api.get('/v1/clock')).body.now, '2026-12-02T09:00:00.000Z');

  await page.getByLabel('Advance to (UTC)').fill('2026-12-03T12:30');
  await page.getByRole('button', { name: 'Advance to this time' }).click();
  await now.getByText('Thu, Dec 3, 2026, 12:30:00 PM UTC').waitFor();
  assert.equal((await api.get('/v1/clock')).body.now, '2026-12-03T12:30:00.000Z');
  await screenshot(p, 'operator');

  // Backwards is refused under the field.
  await page.getByLabel('Advance to (UTC)').fill('2026-12-01T00:00');
  await page.getByRole('button', { name: 'Advance to this time' }).click();
  await page.locator('.field', { has: page.getByLabel('Advance to (UTC)') }).getByRole('alert').getByText(/only moves forward/).waitFor();

  // Back in the app, the sandbox clock (and every countdown) shows the new time in the member's zone.
  await page.getByRole('link', { name: 'Back to Settle' }).click();
  await page.getByRole('note').getByText('Thu, Dec 3, 2026, 9:30:00 PM GMT+9').waitFor();
  await page.goto('/operator');
  assert.equal(await page.getByLabel('Operator token').inputValue(), ADMIN_TOKEN);

  await page.getByRole('button', { name: 'Forget token' }).click();
  assert.equal(await page.getByLabel('Operator token').inputValue(), '');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('settle.operator_token')), null);
  assert.equal(await page.getByRole('button', { name: 'Advance 1 day' }).count(), 0);
  assertClean(p);
});

test('settings: changing the time zone changes how times are shown everywhere', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const bo = await api.user('Bo Member', { time_zone: 'UTC' });
  await api.credit(bo.id, 5_000);
  const p = await person(baseUrl);
  const { page } = p;
  await logIn(p, bo.email, bo.password);
  await page.getByRole('link', { name: 'Balance' }).click();
  const creditRow = page.getByRole('table', { name: 'Transactions' }).getByRole('row', { name: /Sandbox credit/i });
  await creditRow.getByText('Dec 1, 2026, 9:00 AM UTC').waitFor();

  await page.getByRole('link', { name: 'Bo Member' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  await page.getByLabel('Time zone').selectOption('America/New_York');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').getByText('Saved. Times are now shown in America/New_York.').waitFor();
  await page.getByText('Times shown in America/New_York').waitFor();
  assert.equal((await api.get('/v1/me', bo.token)).body.time_zone, 'America/New_York');

  await page.getByRole('link', { name: 'Balance' }).click();
  await creditRow.getByText('Dec 1, 2026, 4:00 AM EST').waitFor();

  // A bad country is shown under its field.
  await page.getByRole('link', { name: 'Bo Member' }).click();
  await page.getByLabel('Country (optional)').fill('1X');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.field', { has: page.getByLabel('Country (optional)') }).getByRole('alert').waitFor();
  assert.equal((await api.get('/v1/me', bo.token)).body.country, null);
  assertClean(p);
});
