// "Every control has a visible label or accessible name; keyboard works"
// (issue #6), checked on every page in the states where its forms are open:
// each input, select and textarea has a label with text (or an aria name),
// each button and link has a name, ids referenced by aria attributes exist,
// and a person can log in and answer a dispute with the keyboard alone.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertClean, browserSkipReason, logIn, person, startWebSettle, type Person } from '../support/browser.ts';
import { ADMIN_TOKEN } from '../support/harness.ts';
import { staffInBrowser } from '../support/dispute-browser.ts';
import { disputedMilestone } from '../support/disputes.ts';
import { expectOk } from '../support/scenario.ts';

const skip = browserSkipReason();

/**
 * Controls on the page without an accessible name, and aria references to
 * missing ids. Plain JavaScript in a string: tsx would add helpers (`__name`)
 * to a compiled function that do not exist in the page.
 */
const UNNAMED_CONTROLS = `(() => {
  const problems = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' «' + (el.outerHTML || '').slice(0, 120) + '»';
  const byIds = (ids) => (ids || '').split(/\\s+/).filter(Boolean).map((id) => document.getElementById(id));
  const ariaName = (el) => (el.getAttribute('aria-label') || '').trim() || byIds(el.getAttribute('aria-labelledby')).map((x) => (x && x.textContent || '').trim()).join(' ').trim();
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const label = Array.from(el.labels || []).some((l) => (l.textContent || '').trim() !== '');
    if (!label && !ariaName(el)) problems.push('unlabelled ' + describe(el));
  }
  for (const el of document.querySelectorAll('button, a[href], [role="button"], summary')) {
    if (!(el.textContent || '').trim() && !ariaName(el) && !el.getAttribute('title')) problems.push('nameless ' + describe(el));
  }
  for (const attr of ['aria-labelledby', 'aria-describedby', 'aria-controls']) {
    for (const el of document.querySelectorAll('[' + attr + ']')) {
      for (const id of (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(attr + ' points at a missing id (' + id + ') on ' + describe(el));
      }
    }
  }
  return problems;
})()`;

const unnamedControls = (page: Page): Promise<string[]> => page.evaluate(UNNAMED_CONTROLS);

async function check(p: Person, path: string, open: (page: Page) => Promise<void> = async () => {}): Promise<void> {
  await p.page.goto(path);
  await p.page.locator('h1').first().waitFor();
  await p.page.locator('.loading').first().waitFor({ state: 'detached' });
  await open(p.page);
  assert.deepEqual(await unnamedControls(p.page), [], `controls without a name on ${path}`);
}

test('every control on every page has a label or an accessible name', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const setup = await disputedMilestone(api);
  const disputeId = setup.dispute.id as string;
  const contractId = setup.contract.id as string;
  // A second milestone, funded and submitted, so the client's approve and change-request forms can open.
  const second = await expectOk(api.post(`/v1/contracts/${contractId}/milestones`, { title: 'Milestone 2', amount: 50_000 }, setup.client.token), 201);
  await expectOk(api.post(`/v1/milestones/${second.id}/fund`, { payment_method: 'pm_card_visa' }, setup.client.token));
  await expectOk(api.post(`/v1/milestones/${second.id}/submit`, { message: 'Second part.' }, setup.freelancer.token));
  await api.credit(setup.client.id, 10_000);

  const anon = await person(baseUrl);
  await check(anon, '/login');
  await check(anon, '/signup');
  await check(anon, '/operator', async (page) => {
    await page.getByLabel('Operator token').fill(ADMIN_TOKEN);
    await page.getByLabel('Operator token').press('Enter');
    await page.getByRole('button', { name: 'Advance 1 day' }).waitFor();
  });

  const client = await person(baseUrl);
  await logIn(client, setup.client.email, setup.client.password);
  for (const path of ['/jobs', '/contracts', '/contracts/new', '/balance', '/notifications', '/settings']) await check(client, path);
  await check(client, `/contracts/${contractId}`, async (page) => {
    const m2 = page.getByRole('region', { name: 'Milestone 2' });
    await m2.getByRole('button', { name: 'Approve & release' }).click();
    await m2.getByLabel('Amount to release').waitFor();
  });
  await check(client, `/contracts/${contractId}`, async (page) => {
    const m2 = page.getByRole('region', { name: 'Milestone 2' });
    await m2.getByRole('button', { name: 'Request changes' }).click();
    await m2.getByLabel('What needs to change').waitFor();
  });
  await check(client, `/disputes/${disputeId}`, async (page) => {
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByLabel('Reason').waitFor();
  });

  const freelancer = await person(baseUrl);
  await logIn(freelancer, setup.freelancer.email, setup.freelancer.password);
  await check(freelancer, `/contracts/${contractId}`, async (page) => {
    const m2 = page.getByRole('region', { name: 'Milestone 2' });
    await m2.getByRole('button', { name: 'File a dispute' }).click();
    await m2.getByLabel('Description').waitFor();
  });
  await check(freelancer, `/disputes/${disputeId}`);

  // Staff see the case once the client declined; the proposal form is open to them.
  await expectOk(api.post(`/v1/disputes/${disputeId}/decline`, { reason_code: 'quality_issues', description: 'The work misses what the brief asked for in section 2.' }, setup.client.token));
  const sam = (await staffInBrowser(api, baseUrl, 'Sam Staff')).person;
  await check(sam, '/review');
  await check(sam, `/disputes/${disputeId}`, async (page) => {
    await page.getByLabel('Freelancer receives').waitFor();
  });

  const ari = (await staffInBrowser(api, baseUrl, 'Ari Arbitrator', 'arbitrator')).person;
  await check(ari, '/cases');

  assertClean(anon, client, freelancer, sam, ari);
});

/** Presses Tab until the focused element matches `name` (a bounded walk: at most `limit` presses). */
async function tabTo(page: Page, matches: () => boolean | Promise<boolean>, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if (await matches()) return;
  }
  assert.fail('the control was not reached with Tab');
}

const focusedText = (page: Page): Promise<string> => page.evaluate(`(document.activeElement && document.activeElement.textContent || '').trim()`);
const focusedLabel = (page: Page): Promise<string> => page.evaluate(`Array.from(document.activeElement && document.activeElement.labels || []).map((l) => l.textContent.trim()).join(' ')`);

test('with the keyboard alone a client logs in, opens the decline confirmation, backs out with Escape and approves', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const setup = await disputedMilestone(api);
  const disputeId = setup.dispute.id as string;
  const p = await person(baseUrl);
  const { page } = p;

  await page.goto(`/disputes/${disputeId}`);
  await page.waitForURL(/\/login/);
  await tabTo(page, async () => (await focusedLabel(page)) === 'Email');
  await page.keyboard.type(setup.client.email);
  await tabTo(page, async () => (await focusedLabel(page)) === 'Password');
  await page.keyboard.type(setup.client.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/disputes/${disputeId}$`));
  await page.getByRole('button', { name: 'Decline' }).waitFor();

  // The skip link comes first and moves focus to the content.
  await page.keyboard.press('Tab');
  assert.equal(await focusedText(page), 'Skip to content');

  await tabTo(page, async () => (await focusedText(page)) === 'Yes, I approve');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.ok(await page.evaluate(`Boolean(document.activeElement && document.activeElement.closest('dialog'))`), 'focus moves into the confirmation');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await api.get(`/v1/disputes/${disputeId}`, setup.client.token)).body.status, 'awaiting_response');

  await page.getByRole('button', { name: 'Yes, I approve' }).focus();
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await tabTo(page, async () => (await focusedText(page)) === 'Yes, release payment', 10);
  await page.keyboard.press('Enter');
  await page.locator('.page-header .badge', { hasText: 'Resolved' }).waitFor();
  assert.equal((await api.get(`/v1/disputes/${disputeId}`, setup.client.token)).body.status, 'resolved');
  assertClean(p);
});
