// How the server hands out the web app: the app's page for browser page
// loads anywhere outside /v1 (links in emails), a strict CSP, hashed assets
// cached for good, and the API's JSON errors untouched.

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { WEB_DIST_DIR } from '../src/web/build.ts';
import { startSettle } from './support/harness.ts';

const html = { accept: 'text/html,application/xhtml+xml' };

test('a page load of an app path gets index.html with a Content-Security-Policy allowing only this origin', async () => {
  assert.ok(existsSync(path.join(WEB_DIST_DIR, 'index.html')), 'npm test builds the web app first');
  const api = await startSettle();
  for (const url of ['/', '/contracts/ctr_unknown', '/disputes/dsp_1?x=1', '/login']) {
    const res = await api.request('GET', url, { headers: html });
    assert.equal(res.status, 200, url);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(String(res.body), /<div id="root"><\/div>/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['cache-control'], 'no-store');
  }
});

test('hashed assets are served with a year-long immutable cache; a missing asset is 404', async () => {
  const api = await startSettle();
  const js = readdirSync(path.join(WEB_DIST_DIR, 'assets')).find((f) => f.endsWith('.js'));
  assert.ok(js);
  const res = await api.request('GET', `/assets/${js}`);
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /javascript/);
  assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal((await api.request('GET', '/assets/nope-123.js')).status, 404);
  assert.equal((await api.request('GET', '/assets/../index.html')).status, 404);
});

test('API paths stay JSON: an unknown /v1 route is a 404 error object even when a browser asks for HTML', async () => {
  const api = await startSettle();
  const res = await api.request('GET', '/v1/nothing', { headers: html });
  assert.equal(res.status, 404);
  assert.equal(res.body.error.code, 'route_not_found');
  const post = await api.request('POST', '/contracts', { headers: html, body: {} });
  assert.equal(post.status, 404);
  assert.equal(post.body.error.type, 'not_found');
});

test('GET /v1/clock tells anyone the server time and the clock mode', async () => {
  const api = await startSettle();
  const before = await api.get('/v1/clock');
  assert.deepEqual(before.body, { object: 'clock', now: '2026-12-01T09:00:00.000Z', mode: 'manual' });
  await api.advance({ seconds: 3600 });
  assert.equal((await api.get('/v1/clock')).body.now, '2026-12-01T10:00:00.000Z');
});
