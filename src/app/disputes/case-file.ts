// GET /v1/disputes/{id}/case_file: the arbitrator's case file as a PDF: the
// contract, the milestone's history, both statements, the messages, every file
// cited with its SHA-256, the proposal and decisions, the award, and the whole
// hash-chained record ending with its final hash.

import { formatMoney } from '../../domain/money.ts';
import type { Deps } from '../deps.ts';
import { contractObject } from '../contracts/rows.ts';
import type { Role } from '../users/user-object.ts';
import { disputeEvents } from './record.ts';
import { disputeParts, loadDisputeFor, toDisputeObject } from './rows.ts';

/** Longest text block printed as is; longer statements are cut with a note (the API has them whole). */
const MAX_BLOCK_CHARS = 20_000;

export async function caseFile(deps: Deps, o: { user: { id: string; role: Role }; dispute_id: string }): Promise<Buffer> {
  const now = deps.clock.now();
  const { dispute } = await loadDisputeFor(deps.db, o.dispute_id, o.user);
  const d = toDisputeObject(dispute, await disputeParts(deps.db, dispute), now);
  // The contract as its client sees it: the case file is the same for every reader.
  const contract = await contractObject(deps.db, dispute.contract_id, dispute.client_id);
  const milestone = contract.milestones.find((m) => m.id === dispute.milestone_id)!;
  const history = await deps.db.query<{ type: string; actor_role: string | null; data: Record<string, unknown>; created_at: Date }>(
    'select type, actor_role, data, created_at from events where milestone_id = $1 and dispute_id is null order by seq',
    [milestone.id],
  );
  const files = await deps.db.query<{ id: string; filename: string; size: number; content_type: string; sha256: string; owner_name: string }>(
    `select distinct f.id, f.filename, f.size, f.content_type, f.sha256, u.name as owner_name
       from file_citations fc join files f on f.id = fc.file_id join users u on u.id = f.owner_id
      where fc.dispute_id = $1 order by f.id`,
    [dispute.id],
  );
  const events = await disputeEvents(deps.db, dispute.id);
  const money = (amount: number) => formatMoney(amount, d.currency);

  // Loaded on first use: pdfkit and its fonts are heavy, and most processes never write a case file.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Settle case file ${d.id}`, Author: 'Settle', CreationDate: now } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text).moveDown(0.3).font('Helvetica').fontSize(10);
  const line = (label: string, value: string) => doc.font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value);
  const block = (text: string) => doc.text(text.length > MAX_BLOCK_CHARS ? `${text.slice(0, MAX_BLOCK_CHARS)} […cut, see the API for the whole text]` : text);

  doc.font('Helvetica-Bold').fontSize(18).text('Case file');
  doc.font('Helvetica').fontSize(10).text(`Dispute ${d.id} · generated ${now.toISOString()}`);

  heading('Contract');
  line('Title', contract.title);
  line('Client', `${contract.client.name} (${contract.client.id})`);
  line('Freelancer', `${contract.freelancer.name} (${contract.freelancer.id})`);
  line('Contract', `${contract.id}, ${contract.status}, created ${contract.created_at}`);
  if (contract.description) block(contract.description);

  heading('Milestone');
  line('Milestone', `${milestone.position}. ${milestone.title} (${milestone.id})`);
  line('Amount', money(milestone.amount));
  line('Escrow in dispute', money(d.escrow_amount));
  for (const s of milestone.submissions) line(`Submitted ${s.submitted_at}`, s.message);
  for (const c of milestone.change_requests) line(`Changes requested ${c.requested_at}`, c.message);
  for (const h of history.rows) doc.text(`${h.created_at.toISOString()}  ${h.type}  ${h.actor_role ?? ''}  ${JSON.stringify(h.data)}`);

  heading("Freelancer's statement");
  line('Filed', d.filed_at);
  line('Amount requested', money(d.amount_requested));
  line('Reason', d.reason_code);
  block(d.description);
  line('Files', d.file_ids.join(', ') || 'none');

  heading("Client's response");
  if (!d.response) doc.text('No response.');
  else {
    line('Decision', `${d.response.decision} at ${d.response.responded_at}`);
    if (d.response.reason_code) line('Reason', d.response.reason_code);
    if (d.response.description) block(d.response.description);
    line('Files', d.response.file_ids.join(', ') || 'none');
  }

  heading('Messages');
  if (d.messages.length === 0) doc.text('None.');
  for (const m of d.messages) {
    line(`${m.created_at} ${m.author.name} (${m.author.role})`, m.body);
    if (m.file_ids.length) line('Files', m.file_ids.join(', '));
  }

  heading('Files cited');
  if (files.rows.length === 0) doc.text('None.');
  for (const f of files.rows) doc.text(`${f.id}  ${f.filename}  ${f.content_type}  ${f.size} bytes  by ${f.owner_name}\nSHA-256 ${f.sha256}`);

  heading('Proposal');
  if (!d.proposal) doc.text('No proposal was issued.');
  else {
    line('Issued', `${d.proposal.issued_at}, answer by ${d.proposal.due_at}`);
    line('Split', `freelancer ${money(d.proposal.freelancer_amount)}, client ${money(d.proposal.client_amount)}`);
    block(d.proposal.explanation);
    line('Decisions', `freelancer ${d.proposal.freelancer_decision ?? 'none'}, client ${d.proposal.client_decision ?? 'none'}`);
  }

  if (d.arbitration) {
    heading('Arbitration');
    line('Fee per party', money(d.arbitration.fee_amount));
    line('Paid', `freelancer ${d.arbitration.freelancer_paid ? 'yes' : 'no'}, client ${d.arbitration.client_paid ? 'yes' : 'no'}`);
    line('Arbitrator', d.arbitration.arbitrator ? `${d.arbitration.arbitrator.name} (${d.arbitration.arbitrator.id})` : 'not assigned');
    if (d.arbitration.award) {
      line('Award', `freelancer ${money(d.arbitration.award.freelancer_amount)}, client ${money(d.arbitration.award.client_amount)} at ${d.arbitration.award.decided_at}`);
      block(d.arbitration.award.decision);
    }
  }
  if (d.outcome) {
    heading('Outcome');
    line(d.outcome.kind, `freelancer ${money(d.outcome.freelancer_amount)}, client ${money(d.outcome.client_amount)} at ${d.outcome.resolved_at}`);
  }

  heading('Record (hash chain)');
  doc.fontSize(8);
  for (const e of events) {
    doc.text(`#${e.seq} ${e.created_at} ${e.type} ${e.actor ? `${e.actor.role} ${e.actor.id}` : 'system'}\n  data ${JSON.stringify(e.data)}\n  prev ${e.prev_hash}\n  hash ${e.hash}`);
  }
  doc.fontSize(10).moveDown(0.5);
  line('Final hash', events.at(-1)?.hash ?? 'none');
  doc.end();
  return done;
}
