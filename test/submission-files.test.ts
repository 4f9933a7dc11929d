// API addition for the web app (docs/decisions.md "API additions"): a
// submission cites the freelancer's uploaded files, which both parties can
// then read; only the uploader's own files can be cited.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSettle } from './support/harness.ts';
import { activeContract, expectOk } from './support/scenario.ts';

test('work submitted with files shows them on the submission and the client can download them', async () => {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [50_000]);
  const [id] = milestoneIds;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, {}, client.token));
  const file = await expectOk(api.upload(freelancer.token, 'logo.txt', Buffer.from('the final logo')), 201);
  const notMine = await expectOk(api.upload(client.token, 'client.txt', Buffer.from('mine')), 201);

  const refused = await api.post(`/v1/milestones/${id}/submit`, { message: 'Done.', file_ids: [file.id, notMine.id] }, freelancer.token);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.code, 'file_not_found');
  assert.equal(refused.body.error.param, 'file_ids[1]');
  const hidden = await api.get(`/v1/files/${file.id}`, client.token);
  assert.equal(hidden.status, 404, 'the client cannot read a file nobody cited to them yet');

  const submitted = await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Done, files attached.', file_ids: [file.id] }, freelancer.token));
  assert.equal(submitted.status, 'submitted');
  assert.deepEqual(submitted.submissions[0].file_ids, [file.id]);
  const meta = await expectOk(api.get(`/v1/files/${file.id}`, client.token));
  assert.equal(meta.filename, 'logo.txt');
  const content = await api.get(`/v1/files/${file.id}/content`, client.token);
  assert.equal(content.status, 200);
});
