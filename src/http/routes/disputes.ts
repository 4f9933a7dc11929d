// API.md "Disputes" and "Files".

import { z } from 'zod';
import { optInToArbitration, assignArbitrator, recordAward } from '../../app/disputes/arbitration.ts';
import { addMessage } from '../../app/disputes/add-message.ts';
import { caseFile } from '../../app/disputes/case-file.ts';
import { decideProposal } from '../../app/disputes/decide-proposal.ts';
import { fileDispute } from '../../app/disputes/file-dispute.ts';
import { issueProposal } from '../../app/disputes/issue-proposal.ts';
import { listDisputes } from '../../app/disputes/list-disputes.ts';
import { disputeEvents } from '../../app/disputes/record.ts';
import { respondToDispute } from '../../app/disputes/respond-to-dispute.ts';
import { disputeObject, loadDisputeFor } from '../../app/disputes/rows.ts';
import { withdrawDispute } from '../../app/disputes/withdraw-dispute.ts';
import { getFile, getFileContent } from '../../app/files/file-access.ts';
import { FILE_MAX_BYTES, uploadFile } from '../../app/files/upload-file.ts';
import { AppError, invalid } from '../../domain/errors.ts';
import { DECLINE_REASONS, DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS, DISPUTE_STATES, FILING_REASONS } from '../../domain/dispute.ts';
import { LIMITS } from '../../domain/limits.ts';
import type { Router } from '../route.ts';
import * as s from '../schemas.ts';

const description = z
  .string()
  .trim()
  .min(DESCRIPTION_MIN_CHARS, { error: `must be at least ${DESCRIPTION_MIN_CHARS} characters: describe what was agreed and what happened` })
  .max(DESCRIPTION_MAX_CHARS, { error: `must be at most ${DESCRIPTION_MAX_CHARS} characters` });
const fileIds = z.array(z.string().max(100)).max(20, { error: 'cite at most 20 files' });
const user = (u: { id: string; role: 'member' | 'staff' | 'arbitrator' }) => ({ id: u.id, role: u.role });

const amount = z.number().int();
const dispute = z.object({
  id: z.string(),
  object: z.literal('dispute'),
  contract: z.string(),
  milestone: z.string(),
  contract_title: z.string(),
  milestone_title: z.string(),
  client: z.object({ id: z.string(), name: z.string() }),
  freelancer: z.object({ id: z.string(), name: z.string() }),
  status: z.enum(DISPUTE_STATES),
  currency: s.currency,
  amount_requested: amount,
  escrow_amount: amount,
  reason_code: z.string(),
  description: z.string(),
  file_ids: z.array(z.string()),
  filed_at: s.timestamp,
  response_due_at: s.timestamp,
  response_deadline_basis: z.record(z.string(), z.unknown()),
  response: z
    .object({ decision: z.enum(['approved', 'declined']), reason_code: z.string().nullable(), description: z.string().nullable(), file_ids: z.array(z.string()), responded_at: s.timestamp })
    .nullable(),
  review_started_at: s.timestamp.nullable(),
  proposal_target_at: s.timestamp.nullable(),
  review_overdue: z.boolean(),
  proposal: z
    .object({
      freelancer_amount: amount,
      client_amount: amount,
      explanation: z.string(),
      issued_at: s.timestamp,
      due_at: s.timestamp,
      freelancer_decision: z.enum(['accepted', 'rejected']).nullable(),
      client_decision: z.enum(['accepted', 'rejected']).nullable(),
    })
    .nullable(),
  arbitration: z
    .object({
      due_at: s.timestamp,
      fee_amount: amount,
      freelancer_paid: z.boolean(),
      client_paid: z.boolean(),
      started_at: s.timestamp.nullable(),
      arbitrator: z.object({ id: z.string(), name: z.string() }).nullable(),
      award: z.object({ freelancer_amount: amount, client_amount: amount, decision: z.string(), decided_at: s.timestamp }).nullable(),
    })
    .nullable(),
  outcome: z
    .object({
      kind: z.enum(['client_approved', 'response_deadline_missed', 'proposal_accepted', 'arbitration_default', 'arbitration_not_pursued', 'arbitration_award', 'withdrawn']),
      freelancer_amount: amount,
      client_amount: amount,
      resolved_at: s.timestamp,
    })
    .nullable(),
  next_deadline: z.object({ kind: z.string(), due_at: s.timestamp, party: z.string() }).nullable(),
  messages: z.array(z.object({ id: z.string(), author: z.object({ id: z.string(), name: z.string(), role: z.string() }), body: z.string(), file_ids: z.array(z.string()), created_at: s.timestamp })),
  events_hash: z.string(),
});
const event = z.object({
  id: z.string(),
  object: z.literal('event'),
  seq: z.number().int(),
  type: z.string(),
  actor: z.object({ id: z.string(), role: z.string() }).nullable(),
  data: z.record(z.string(), z.unknown()),
  created_at: s.timestamp,
  prev_hash: z.string(),
  hash: z.string(),
});
const file = z.object({ id: z.string(), object: z.literal('file'), filename: z.string(), size: z.number().int(), content_type: z.string(), sha256: z.string(), created_at: s.timestamp });

export function disputeRoutes(r: Router): void {
  r.add({
    method: 'POST',
    path: '/v1/disputes',
    access: 'user',
    tag: 'Disputes',
    summary: 'File a dispute on a milestone (freelancer)',
    body: z.strictObject({ milestone_id: z.string().max(100), amount: s.positiveAmount().optional(), reason_code: z.enum(FILING_REASONS), description, file_ids: fileIds.optional() }),
    response: dispute,
    handler: ({ ctx, user: u, body }) => fileDispute(ctx.deps, { user_id: u.id, ...body }),
  });

  r.add({
    method: 'GET',
    path: '/v1/disputes',
    access: 'user',
    tag: 'Disputes',
    summary: 'Disputes the caller may see; for staff the review queue, oldest first',
    query: s.listQuery.extend({ status: z.enum(DISPUTE_STATES).optional() }),
    response: s.listOf(dispute),
    handler: ({ ctx, user: u, query }) => listDisputes(ctx.deps, user(u), query),
  });

  r.add({
    method: 'GET',
    path: '/v1/disputes/:id',
    access: 'user',
    tag: 'Disputes',
    summary: 'One dispute',
    params: s.idParam,
    response: dispute,
    handler: ({ ctx, user: u, params }) => disputeObject(ctx.deps.db, params.id, user(u), ctx.deps.clock.now()),
  });

  r.add({
    method: 'POST',
    path: '/v1/disputes/:id/approve',
    access: 'user',
    tag: 'Disputes',
    summary: 'Approve the dispute: release the requested amount (client)',
    status: 200,
    params: s.idParam,
    response: dispute,
    handler: ({ ctx, user: u, params }) => respondToDispute(ctx.deps, { user: user(u), dispute_id: params.id, decision: 'approved' }),
  });

  r.add({
    method: 'POST',
    path: '/v1/disputes/:id/decline',
    access: 'user',
    tag: 'Disputes',
    summary: "Decline with a reason, description and evidence (client); can't be edited afterwards",
    status: 200,
    params: s.idParam,
    body: z.strictObject({ reason_code: z.enum(DECLINE_REASONS), description, file_ids: fileIds.optional() }),
    response: dispute,
    handler: ({ ctx, user: u, params, body }) => respondToDispute(ctx.deps, { user: user(u), dispute_id: params.id, decision: 'declined', ...body }),
  });

  r.add({
    method: 'POST',
    path: '/v1/disputes/:id/withdraw',
    access: 'user',
    tag: 'Disputes',
    summary: 'Withdraw before a proposal is issued (freelancer)',
    status: 200,
    params: s.idParam,
    response: dispute,
    handler: ({ ctx, user: u, params }) => withdrawDispute(ctx.deps, { user: user(u), dispute_id: params.id }),
  });

  r.add({
    method: 'POST',
    path: '/v1/disputes/:id/messages',
    access: 'user',
    tag: 'Disputes',
    summary: 'Add a message and files to the record (parties, staff)',
    params: s.idParam,
    body: z.strictObject({ body: z.string().trim().min(1, { error: 'must not be empty' }).max(LIMITS.message_max_chars), file_ids: fileIds.optional() }),
    response: dispute,
    handler: ({ ctx, user: u, params, body }) => addMessage(ctx.deps, { user: user(u), dispute_id: params.id, ...body }),
  });

  r.add({
    method: 'POST',
    path: '/v1/disputes/:id/proposal',
    access: 'user',
    tag: 'Disputes',
    summary: 'Issue a non-binding proposal (staff)',
    params: s.idParam,
    body: z.strictObject({ freelancer_amount: z.number().int().min(0), explanation: description }),
    response: dispute,
    handler: ({ ctx, user: u, params, body }) => issueProposal(ctx.deps, { user: user(u), dispute_id: params.id, ...body }),
  });

  for (const [verb, decision] of [['accept', 'accepted'], ['reject', 'rejected']] as const) {
    r.add({
      method: 'POST',
      path: `/v1/disputes/:id/proposal/${verb}`,
      access: 'user',
      tag: 'Disputes',
      summary: `${verb === 'accept' ? 'Accept' : 'Reject'} the proposal (parties)`,
      status: 200,
      params: s.idParam,
      response: dispute,
      handler: ({ ctx, user: u, params }) => decideProposal(ctx.deps, { user: user(u), dispute_id: params.id, decision }),
    });
  }

  r.add({
    method: 'POST',
    path: '/v1/disputes/:id/arbitration',
    access: 'user',
    tag: 'Disputes',
    summary: 'Opt in to binding arbitration by paying the fee (parties)',
    status: 200,
    params: s.idParam,
    body: z.strictObject({ payment_method: s.paymentMethod.optional() }),
    response: dispute,
    handler: ({ ctx, user: u, params, body }) => optInToArbitration(ctx.deps, { user: user(u), dispute_id: params.id, payment_method: body.payment_method }),
  });

  r.add({
    method: 'POST',
    path: '/v1/disputes/:id/award',
    access: 'user',
    tag: 'Disputes',
    summary: 'Record the binding award (the assigned arbitrator)',
    status: 200,
    params: s.idParam,
    body: z.strictObject({ freelancer_amount: z.number().int().min(0), decision: z.string().trim().min(20, { error: 'must be at least 20 characters: give the reasons' }).max(20_000) }),
    response: dispute,
    handler: ({ ctx, user: u, params, body }) => recordAward(ctx.deps, { user: user(u), dispute_id: params.id, ...body }),
  });

  r.add({
    method: 'GET',
    path: '/v1/disputes/:id/events',
    access: 'user',
    tag: 'Disputes',
    summary: 'The hash-chained record, oldest first',
    params: s.idParam,
    response: s.listOf(event),
    handler: async ({ ctx, user: u, params }) => {
      await loadDisputeFor(ctx.deps.db, params.id, user(u));
      return { object: 'list' as const, data: await disputeEvents(ctx.deps.db, params.id), has_more: false };
    },
  });

  r.add({
    method: 'GET',
    path: '/v1/disputes/:id/case_file',
    access: 'user',
    tag: 'Disputes',
    summary: 'The case file as a PDF',
    params: s.idParam,
    produces: 'application/pdf',
    handler: async ({ ctx, user: u, params, reply }) => {
      reply.header('Content-Disposition', `attachment; filename="case-file-${params.id}.pdf"`);
      return caseFile(ctx.deps, { user: user(u), dispute_id: params.id });
    },
  });

  r.add({
    method: 'POST',
    path: '/v1/admin/disputes/:id/arbitrator',
    access: 'operator',
    tag: 'Operator',
    summary: 'Assign or reassign the arbitrator of a dispute in arbitration',
    status: 200,
    params: s.idParam,
    body: z.strictObject({ arbitrator_id: z.string().max(100) }),
    response: dispute,
    handler: ({ ctx, params, body }) => assignArbitrator(ctx.deps, { dispute_id: params.id, arbitrator_id: body.arbitrator_id }),
  });

  r.add({
    method: 'POST',
    path: '/v1/files',
    access: 'user',
    tag: 'Files',
    summary: 'Upload a file (multipart field `file`, at most 25 MiB; the type is detected from the content)',
    multipart: true,
    idempotent: false,
    response: file,
    handler: async ({ ctx, user: u, request }) => {
      if (!request.isMultipart()) throw invalid('multipart_required', 'Upload with Content-Type: multipart/form-data and the file in the field "file".', 'file');
      // The parser's own errors about a body it cannot read (no boundary, cut short) carry no status: they are bad input, not a 500.
      const unreadable = (error: unknown) =>
        typeof (error as { statusCode?: unknown }).statusCode === 'number' ? error : invalid('invalid_multipart', 'The multipart/form-data body could not be read; send the file in the field "file".', 'file');
      const part = await request.file({ limits: { fileSize: FILE_MAX_BYTES, files: 1 } }).catch((error: unknown) => {
        throw unreadable(error);
      });
      if (!part || part.fieldname !== 'file') throw invalid('parameter_missing', 'Missing required parameter: file.', 'file');
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('invalid_request', 'file_too_large', 'Files can be at most 25 MiB.', 'file');
        throw unreadable(error);
      }
      return uploadFile(ctx.deps, { user_id: u.id, filename: part.filename, bytes, truncated: part.file.truncated });
    },
  });

  r.add({
    method: 'GET',
    path: '/v1/files/:id',
    access: 'user',
    tag: 'Files',
    summary: "A file's metadata",
    params: s.idParam,
    response: file,
    handler: ({ ctx, user: u, params }) => getFile(ctx.deps, params.id, user(u)),
  });

  r.add({
    method: 'GET',
    path: '/v1/files/:id/content',
    access: 'user',
    tag: 'Files',
    summary: "A file's bytes",
    params: s.idParam,
    produces: 'application/octet-stream',
    handler: async ({ ctx, user: u, params, reply }) => {
      const { file: f, bytes } = await getFileContent(ctx.deps, params.id, user(u));
      reply.header('Content-Disposition', `attachment; filename="${f.filename.replace(/[^\x20-\x7e]/g, '_')}"`).header('X-Content-Type-Options', 'nosniff');
      reply.type(f.content_type);
      return bytes;
    },
  });
}
