// Email text for a notification: names the contract and milestone (its
// facts), says what happened and what the reader must do, gives the deadline
// in the reader's own time zone, and links to the page where they act.

import { formatInZone } from '../domain/calendar.ts';

export interface Reader {
  name: string;
  email: string;
  time_zone: string;
}

export interface EmailContent {
  subject: string;
  /** "Contract: …", "Milestone: …", amounts: one per line, already formatted. */
  facts: string[];
  action: string | null;
  deadline: string | null;
  /** Absolute URL of the page where the reader acts. */
  link: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function render(c: EmailContent, reader: Reader): RenderedEmail {
  const facts = [...c.facts];
  if (c.deadline) facts.push(`Deadline: ${formatInZone(new Date(c.deadline), reader.time_zone)}`);
  const text = [
    `Hello ${reader.name},`,
    '',
    `${c.subject}.`,
    '',
    ...facts,
    ...(c.action ? ['', `What to do: ${c.action}`] : []),
    '',
    `Open it in Settle: ${c.link}`,
    '',
    '— Settle payment protection',
  ].join('\n');
  const rows = facts.map((f) => {
    const [label, ...rest] = f.split(': ');
    return `<tr><td style="color:#555;padding-right:1em">${escapeHtml(label ?? '')}</td><td>${escapeHtml(rest.join(': '))}</td></tr>`;
  });
  const html = `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">
<p>Hello ${escapeHtml(reader.name)},</p>
<p><strong>${escapeHtml(c.subject)}.</strong></p>
<table>${rows.join('')}</table>
${c.action ? `<p><strong>What to do:</strong> ${escapeHtml(c.action)}</p>` : ''}
<p><a href="${escapeHtml(c.link)}">Open it in Settle</a></p>
<p style="color:#777">Settle payment protection</p>
</body></html>`;
  return { subject: c.subject, text, html };
}
