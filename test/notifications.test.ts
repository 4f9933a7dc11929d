import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createSmtpTransport } from '../src/notify/transport.ts';
import { dispatchOutbox, fetchWebhookSender } from '../src/jobs/outbox.ts';
import { startSettle } from './support/harness.ts';
import { disputedMilestone } from './support/disputes.ts';
import { expectOk } from './support/scenario.ts';
import { startSmtp } from './support/smtp.ts';

test('a filed dispute emails the client over SMTP with the deadline in their own zone and a link to the dispute', async () => {
  const smtp = await startSmtp();
  after(() => smtp.stop());
  const api = await startSettle({ channels: { mail: createSmtpTransport(smtp.url), webhooks: fetchWebhookSender } });
  const { client, dispute } = await disputedMilestone(api, { clientExtra: { time_zone: 'America/New_York', country: 'US' } });
  const { deps, channels } = api.settle;
  for (let i = 0; i < 5 && (await dispatchOutbox(deps, channels)).sent > 0; i++);
  const mail = smtp.received.find((m) => m.subject?.startsWith('A dispute was filed') && m.to && JSON.stringify(m.to).includes(client.email));
  assert.ok(mail, `the client got the dispute email; got: ${smtp.received.map((m) => m.subject).join(' | ')}`);
  assert.match(mail.text ?? '', /Deadline: \w+day, December \d+, 2026 at 11:59 PM EST/);
  assert.match(mail.text ?? '', new RegExp(`/disputes/${dispute.id}`));
  assert.match(mail.messageId ?? '', /^<ntf_[0-9A-Za-z]+@settle>$/);
  const inbox = await expectOk(api.get('/v1/notifications', client.token));
  assert.ok(inbox.unread_count >= 1);
});
