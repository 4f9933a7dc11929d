// API.md "Contracts and milestones".

import { z } from 'zod';
import { addMilestone } from '../../app/contracts/add-milestone.ts';
import { approveMilestone } from '../../app/contracts/approve-milestone.ts';
import { approveRefund } from '../../app/contracts/approve-refund.ts';
import { createContract } from '../../app/contracts/create-contract.ts';
import { endContract } from '../../app/contracts/end-contract.ts';
import { fundMilestone } from '../../app/contracts/fund-milestone.ts';
import { listContracts } from '../../app/contracts/list-contracts.ts';
import { requestChanges } from '../../app/contracts/request-changes.ts';
import { respondToOffer } from '../../app/contracts/respond-to-offer.ts';
import { contractObject, milestoneObject } from '../../app/contracts/rows.ts';
import { submitWork } from '../../app/contracts/submit-work.ts';
import { LIMITS } from '../../domain/limits.ts';
import { MILESTONE_STATES } from '../../domain/milestone.ts';
import type { Router } from '../route.ts';
import * as s from '../schemas.ts';

const title = z.string().trim().min(1, { error: 'must not be empty' }).max(LIMITS.title_max_chars);
const message = z.string().trim().min(1, { error: 'must not be empty' }).max(LIMITS.message_max_chars);
const fileIds = z.array(z.string().max(100)).max(20, { error: 'cite at most 20 files' });
const dueDate = z.iso.date({ error: 'must be a date such as 2026-12-31' });
const newMilestone = z.strictObject({ title, amount: s.positiveAmount(), due_date: dueDate.optional() });

const milestone = z.object({
  id: z.string(),
  object: z.literal('milestone'),
  contract: z.string(),
  position: z.number().int(),
  title: z.string(),
  amount: z.number().int(),
  currency: s.currency,
  status: z.enum(MILESTONE_STATES),
  due_date: z.string().nullable(),
  escrow_amount: z.number().int(),
  released_amount: z.number().int(),
  refunded_amount: z.number().int(),
  bonus_amount: z.number().int(),
  review_due_at: s.timestamp.nullable(),
  refund_due_at: s.timestamp.nullable(),
  funded_at: s.timestamp.nullable(),
  dispute: z.string().nullable(),
  submissions: z.array(z.object({ message: z.string(), file_ids: z.array(z.string()), submitted_at: s.timestamp })),
  change_requests: z.array(z.object({ message: z.string(), requested_at: s.timestamp })),
  created_at: s.timestamp,
});
const party = z.object({ id: z.string(), name: z.string() });
const contract = z.object({
  id: z.string(),
  object: z.literal('contract'),
  title: z.string(),
  description: z.string(),
  status: z.enum(['offered', 'active', 'declined', 'ended']),
  currency: s.currency,
  client: party,
  freelancer: party,
  your_role: z.enum(['client', 'freelancer']),
  milestones: z.array(milestone),
  escrow_amount: z.number().int(),
  released_amount: z.number().int(),
  refunded_amount: z.number().int(),
  created_at: s.timestamp,
  accepted_at: s.timestamp.nullable(),
  ended_at: s.timestamp.nullable(),
});

export function contractRoutes(r: Router): void {
  r.add({
    method: 'POST',
    path: '/v1/contracts',
    access: 'user',
    tag: 'Contracts',
    summary: 'Offer a contract to a freelancer',
    body: z.strictObject({
      title,
      description: z.string().max(LIMITS.contract_description_max_chars).optional(),
      freelancer_email: s.email,
      currency: s.currency.default('usd'),
      milestones: z.array(newMilestone).min(1, { error: 'must hold at least one milestone' }).max(LIMITS.milestones_per_contract_max),
    }),
    response: contract,
    handler: ({ ctx, user, body }) => createContract(ctx.deps, { client_id: user.id, ...body }),
  });

  r.add({
    method: 'GET',
    path: '/v1/contracts',
    access: 'user',
    tag: 'Contracts',
    summary: "The caller's contracts (All Contracts), newest first",
    query: s.listQuery.extend({ status: z.enum(['offered', 'active', 'declined', 'ended']).optional() }),
    response: s.listOf(contract),
    handler: ({ ctx, user, query }) => listContracts(ctx.deps, user.id, query),
  });

  r.add({
    method: 'GET',
    path: '/v1/contracts/:id',
    access: 'user',
    tag: 'Contracts',
    summary: 'One contract with its milestones',
    params: s.idParam,
    response: contract,
    handler: ({ ctx, user, params }) => contractObject(ctx.deps.db, params.id, user.id),
  });

  for (const answer of ['accept', 'decline'] as const) {
    r.add({
      method: 'POST',
      path: `/v1/contracts/:id/${answer}`,
      access: 'user',
      tag: 'Contracts',
      summary: answer === 'accept' ? 'Accept an offer (freelancer)' : 'Decline an offer (freelancer)',
      status: 200,
      params: s.idParam,
      response: contract,
      handler: ({ ctx, user, params }) => respondToOffer(ctx.deps, { user_id: user.id, contract_id: params.id, answer }),
    });
  }

  r.add({
    method: 'POST',
    path: '/v1/contracts/:id/end',
    access: 'user',
    tag: 'Contracts',
    summary: 'End a contract (either party); escrow is handled per the rules',
    status: 200,
    params: s.idParam,
    body: z.strictObject({ reason: z.string().max(LIMITS.end_reason_max_chars).optional() }),
    response: contract,
    handler: ({ ctx, user, params, body }) => endContract(ctx.deps, { user_id: user.id, contract_id: params.id, reason: body.reason }),
  });

  r.add({
    method: 'POST',
    path: '/v1/contracts/:id/milestones',
    access: 'user',
    tag: 'Contracts',
    summary: 'Add a milestone (client)',
    params: s.idParam,
    body: newMilestone,
    response: milestone,
    handler: ({ ctx, user, params, body }) => addMilestone(ctx.deps, { user_id: user.id, contract_id: params.id, milestone: body }),
  });

  r.add({
    method: 'GET',
    path: '/v1/milestones/:id',
    access: 'user',
    tag: 'Milestones',
    summary: 'One milestone',
    params: s.idParam,
    response: milestone,
    handler: ({ ctx, user, params }) => milestoneObject(ctx.deps.db, params.id, user.id),
  });

  r.add({
    method: 'POST',
    path: '/v1/milestones/:id/fund',
    access: 'user',
    tag: 'Milestones',
    summary: 'Fund a milestone into escrow (client)',
    status: 200,
    params: s.idParam,
    body: z.strictObject({ payment_method: s.paymentMethod.optional() }),
    response: milestone,
    handler: ({ ctx, user, params, body }) => fundMilestone(ctx.deps, { user_id: user.id, milestone_id: params.id, payment_method: body.payment_method }),
  });

  r.add({
    method: 'POST',
    path: '/v1/milestones/:id/submit',
    access: 'user',
    tag: 'Milestones',
    summary: 'Submit work (freelancer), citing uploaded files; starts the 14-day review',
    status: 200,
    params: s.idParam,
    body: z.strictObject({ message, file_ids: fileIds.optional() }),
    response: milestone,
    handler: ({ ctx, user, params, body }) => submitWork(ctx.deps, { user_id: user.id, milestone_id: params.id, message: body.message, file_ids: body.file_ids ?? [] }),
  });

  r.add({
    method: 'POST',
    path: '/v1/milestones/:id/request_changes',
    access: 'user',
    tag: 'Milestones',
    summary: 'Request changes to submitted work (client); stops the review window',
    status: 200,
    params: s.idParam,
    body: z.strictObject({ message }),
    response: milestone,
    handler: ({ ctx, user, params, body }) => requestChanges(ctx.deps, { user_id: user.id, milestone_id: params.id, message: body.message }),
  });

  r.add({
    method: 'POST',
    path: '/v1/milestones/:id/approve',
    access: 'user',
    tag: 'Milestones',
    summary: 'Release escrow (client): in full by default, in part, and/or with a bonus',
    status: 200,
    params: s.idParam,
    body: z.strictObject({ amount: s.positiveAmount().optional(), bonus: s.positiveAmount().optional(), payment_method: s.paymentMethod.optional() }),
    response: milestone,
    handler: ({ ctx, user, params, body }) => approveMilestone(ctx.deps, { user_id: user.id, milestone_id: params.id, ...body }),
  });

  r.add({
    method: 'POST',
    path: '/v1/milestones/:id/refund/approve',
    access: 'user',
    tag: 'Milestones',
    summary: 'Accept an escrow refund request (freelancer)',
    status: 200,
    params: s.idParam,
    response: milestone,
    handler: ({ ctx, user, params }) => approveRefund(ctx.deps, { user_id: user.id, milestone_id: params.id }),
  });
}
