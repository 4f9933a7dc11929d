// The dispute page's countdown is live: with the real (system) clock it ticks
// down from the server's now. Playwright's fake timers drive the page's
// clock, so the test advances a minute without waiting one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClean, browserSkipReason, logIn, person, startWebSettle } from '../support/browser.ts';
import { disputedMilestone } from '../support/disputes.ts';

const skip = browserSkipReason();

/** "7 days 19 h 59 min left" → minutes. */
function minutesLeft(text: string): number {
  const m = /(?:(\d+) days? )?(?:(\d+) h )?(\d+) min/.exec(text);
  assert.ok(m, `a countdown in "${text}"`);
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3]);
}

test('with the system clock the response countdown ticks down as time passes, without a reload', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle({ env: { SETTLE_CLOCK: 'system', SETTLE_CLOCK_START: '' } });
  const setup = await disputedMilestone(api);
  const cleo = await person(baseUrl);
  await cleo.page.clock.install();
  await logIn(cleo, setup.client.email, setup.client.password);
  await cleo.page.goto(`/disputes/${setup.dispute.id}`);
  const timer = cleo.page.getByRole('timer');
  await timer.waitFor();
  const before = minutesLeft(await timer.innerText());
  assert.ok(before > 3 * 1440, 'five business days ahead');
  // No sandbox banner: this is the real clock.
  assert.equal(await cleo.page.getByText('Sandbox clock').count(), 0);

  await cleo.page.clock.runFor(5 * 60_000);
  const after = minutesLeft(await timer.innerText());
  assert.ok(before - after >= 4 && before - after <= 6, `five minutes passed: ${before} → ${after}`);
  assertClean(cleo);
});
