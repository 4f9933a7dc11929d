// How email leaves: over SMTP with nodemailer when SMTP_URL is set; without
// it, each message is written as an .eml file under the data dir (it still
// appears in the in-app inbox). The Message-ID is stable per notification, so
// a retried delivery is the same message, and the file transport overwrites
// rather than duplicates.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

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

export function createSmtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(m) {
      await transporter.sendMail({ from: FROM, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.message_id });
    },
  };
}

export function createFileTransport(dir: string): MailTransport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(m) {
      const info = await builder.sendMail({ from: FROM, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.message_id });
      await mkdir(dir, { recursive: true });
      const name = m.message_id.replace(/[^A-Za-z0-9_.@-]/g, '');
      const target = path.join(dir, `${name}.eml`);
      await writeFile(`${target}.tmp`, info.message as Buffer);
      await rename(`${target}.tmp`, target);
    },
  };
}
