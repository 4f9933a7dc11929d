// How email leaves: over SMTP with nodemailer when SMTP_URL is set; without
// it, each message is written as an .eml file under the data dir (it still
// appears in the in-app inbox). The Message-ID is stable per notification, so
// a retried delivery is the same message, and the file transport overwrites
// rather than duplicates.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<ntf_…@settle>`: stable across retries. */
  message_id: string;
}

export interface MailTransport {
  send(message: OutgoingEmail): Promise<void>;
}

const FROM = 'Settle <no-reply@settle.invalid>';

/** nodemailer is loaded on the first email, not at start (`npm start` must answer within seconds). */
const loadNodemailer = async () => (await import('nodemailer')).default;

export function createSmtpTransport(smtpUrl: string): MailTransport {
  let transporter: Promise<ReturnType<typeof import('nodemailer').createTransport>> | undefined;
  return {
    async send(m) {
      transporter ??= loadNodemailer().then((n) => n.createTransport(smtpUrl));
      await (await transporter).sendMail({ from: FROM, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.message_id });
    },
  };
}

export function createFileTransport(dir: string): MailTransport {
  let builder: Promise<ReturnType<typeof import('nodemailer').createTransport>> | undefined;
  return {
    async send(m) {
      builder ??= loadNodemailer().then((n) => n.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }));
      const info = await (await builder).sendMail({ from: FROM, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.message_id });
      await mkdir(dir, { recursive: true });
      const name = m.message_id.replace(/[^A-Za-z0-9_.@-]/g, '');
      const target = path.join(dir, `${name}.eml`);
      // The stream transport returns the whole RFC 822 message in `message`.
      await writeFile(`${target}.tmp`, (info as unknown as { message: Buffer }).message);
      await rename(`${target}.tmp`, target);
    },
  };
}
