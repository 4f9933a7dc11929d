// Steps the dispute-page browser tests share: a funded and submitted
// milestone set up through the API, filing a dispute through the contract
// page, signing in a staff member, and reading what the dispute page shows.

import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { TestApi } from './harness.ts';
import { logIn, person, PNG, type Person } from './browser.ts';
import { operatorMadeUser } from './disputes.ts';
import { activeContract, expectOk } from './scenario.ts';

export { PNG };

export const FILING = 'I delivered the full landing page and the client stopped answering my messages.';
export const DECLINE_TEXT = 'The landing page misses the pricing section and the mobile layout that the brief required.';

/** A one-milestone USD contract, funded by card and submitted: ready for a dispute. */
export async function submittedMilestone(api: TestApi, o: { amount?: number; clientZone?: string } = {}) {
  const setup = await activeContract(api, [o.amount ?? 100_000], 'usd', { client: o.clientZone ? { time_zone: o.clientZone } : {} });
  const milestoneId = setup.milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${milestoneId}/fund`, { payment_method: 'pm_card_visa' }, setup.client.token));
  await expectOk(api.post(`/v1/milestones/${milestoneId}/submit`, { message: 'The landing page is live on staging.' }, setup.freelancer.token));
  return { ...setup, contractId: setup.contract.id as string, milestoneId };
}

/** The freelancer files through the contract page's "File a dispute" form; returns the dispute id from the URL. */
export async function fileDisputeInBrowser(p: Person, contractId: string, o: { amount: string; description?: string }): Promise<string> {
  const { page } = p;
  await page.goto(`/contracts/${contractId}`);
  const milestone = page.getByRole('region', { name: 'Milestone 1' });
  await milestone.getByRole('button', { name: 'File a dispute' }).click();
  await milestone.getByLabel('Amount requested').fill(o.amount);
  await milestone.getByLabel('Reason').selectOption('work_delivered_not_paid');
  await milestone.getByLabel('Description').fill(o.description ?? FILING);
  await milestone.getByRole('button', { name: 'File dispute' }).click();
  await page.waitForURL(/\/disputes\/dsp_/);
  return new URL(page.url()).pathname.split('/').at(-1)!;
}

/** A staff member (or arbitrator) made by the operator, signed in through the Log in page in a browser of their own. */
export async function staffInBrowser(api: TestApi, baseUrl: string, name = 'Sam Staff', role: 'staff' | 'arbitrator' = 'staff') {
  const staff = await operatorMadeUser(api, name, role);
  const p = await person(baseUrl);
  await logIn(p, staff.email, staff.password);
  return { ...staff, person: p };
}

/** The dispute page's stat card value for a label ("Amount requested", "Escrow in dispute"). */
export const statValue = (page: Page, label: string) => page.locator('.stat').filter({ has: page.getByText(label, { exact: true }) }).locator('.stat-value');

/** Waits for the status badge in the page header to read `status`. */
export async function seesStatus(page: Page, status: string): Promise<void> {
  await page.locator('.page-header .badge', { hasText: status }).waitFor();
  assert.equal(await page.locator('.page-header .badge').innerText(), status);
}

/** What a locator shows as one line (innerText, so CSS capitals stay capitals: compare labels with /i). */
export async function shown(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}
