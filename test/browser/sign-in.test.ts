// The sign-in gate: sign up and Log in pages, labelled fields, errors next to
// the field the API names, and the page a person was going to after login.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClean, browserSkipReason, logIn, person, startWebSettle } from '../support/browser.ts';

const skip = browserSkipReason();

test('a new member signs up, lands on My Jobs, signs out and logs in again', { skip }, async () => {
  const { baseUrl } = await startWebSettle();
  const ana = await person(baseUrl);
  const { page } = ana;
  await page.goto('/');
  await page.waitForURL('**/login');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill('Ana Client');
  await page.getByLabel('Email').fill('ana@example.com');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  // The API's error appears under the field it names.
  const passwordError = page.locator('.field', { has: page.getByLabel('Password') }).getByRole('alert');
  await passwordError.waitFor();
  assert.match(await passwordError.innerText(), /10/);

  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/jobs');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');

  await page.getByLabel('Email').fill('ana@example.com');
  await page.getByLabel('Password').fill('wrong password here');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').waitFor();

  await logIn(ana, 'ana@example.com', 'correct horse battery');
  assert.match(page.url(), /\/jobs$/);
  assertClean(ana);
});

test('a link to a page while signed out comes back to it after Log in', { skip }, async () => {
  const { api, baseUrl } = await startWebSettle();
  const bo = await api.user('Bo Member');
  const p = await person(baseUrl);
  await p.page.goto('/balance');
  await p.page.waitForURL(/\/login\?next=%2Fbalance/);
  await p.page.getByLabel('Email').fill(bo.email);
  await p.page.getByLabel('Password').fill(bo.password);
  await p.page.getByRole('button', { name: 'Log in' }).click();
  await p.page.waitForURL('**/balance');
  assertClean(p);
});
