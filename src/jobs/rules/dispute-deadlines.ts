// The disputes' deadlines (PRODUCT.md "Disputes"):
// - response: no answer within 5 business days releases the requested amount;
// - proposal: without both acceptances within 2 days, a Notice of Non-Resolution;
// - arbitration: 7 days after that notice, the lone payer wins the escrow and
//   gets its fee back; if nobody paid, the escrow returns to the client.
// Each batch locks its due disputes with SKIP LOCKED and re-checks the state.

import { arbitrationDefault } from '../../domain/dispute.ts';
import { arbitrationFeesAccount, availableAccount, type TransferSpec } from '../../domain/ledger.ts';
import { noticeOfNonResolution } from '../../app/disputes/decide-proposal.ts';
import { resolveDisputes, type Resolution } from '../../app/disputes/resolve.ts';
import { DISPUTE_SELECT, type DisputeRow } from '../../app/disputes/rows.ts';
import { appendDisputeEvents } from '../../app/disputes/record.ts';
import { postTransfers } from '../../app/ledger.ts';
import type { Tx } from '../../db/port.ts';
import type { Rule } from '../engine.ts';

type Column = 'response_due_at' | 'proposal_due_at' | 'arbitration_due_at';

function disputeRule(name: string, state: DisputeRow['status'], column: Column, apply: (tx: Tx, now: Date, rows: DisputeRow[], fees: { feeBps: number; arbitrationFee: number }) => Promise<void>): Rule {
  return {
    name,
    async nextDue(db) {
      const r = await db.query<{ due: Date | null }>(`select min(${column}) as due from disputes where status = '${state}'`);
      return r.rows[0]?.due ?? null;
    },
    async runBatch(deps, now, until, limit) {
      return deps.db.transaction(async (tx) => {
        const due = await tx.query<DisputeRow>(
          `${DISPUTE_SELECT}
            where d.id in (select id from disputes where status = '${state}' and ${column} < $1 and ${column} <= $2 order by ${column}, seq limit $3 for no key update skip locked)
            order by d.${column}, d.seq`,
          [now, until, limit],
        );
        if (due.rows.length > 0) await apply(tx, now, due.rows, { feeBps: deps.config.feeBps, arbitrationFee: deps.config.arbitrationFeeMinor });
        return due.rows.length;
      });
    },
  };
}

export const responseDeadlineRule = disputeRule('dispute_response_deadline', 'awaiting_response', 'response_due_at', async (tx, now, rows, fees) => {
  for (const d of rows) await appendDisputeEvents(tx, now, d, [{ type: 'dispute.response_deadline_passed', actor_id: null, actor_role: 'deadline', data: { response_due_at: d.response_due_at.toISOString() } }]);
  await resolveDisputes(
    tx,
    now,
    fees.feeBps,
    rows.map((d) => ({ dispute: d, split: { freelancer_amount: d.amount_requested, client_amount: d.escrow_amount - d.amount_requested }, kind: 'response_deadline_missed', actor_id: null, actor_role: 'deadline' })),
  );
});

export const proposalDeadlineRule = disputeRule('dispute_proposal_deadline', 'proposal_issued', 'proposal_due_at', async (tx, now, rows, fees) => {
  for (const d of rows) await noticeOfNonResolution(tx, now, fees.arbitrationFee, d, d.proposal_due_at!, 'proposal_window_ended');
});

export const arbitrationDeadlineRule = disputeRule('dispute_arbitration_deadline', 'not_resolved', 'arbitration_due_at', async (tx, now, rows, fees) => {
  const paid = await tx.query<{ dispute_id: string; party: 'client' | 'freelancer'; user_id: string; fee_amount: number }>(
    'select dispute_id, party, user_id, fee_amount from arbitration_opt_ins where dispute_id = any($1::text[])',
    [rows.map((d) => d.id)],
  );
  const refunds: TransferSpec[] = [];
  const resolutions: Resolution[] = [];
  for (const d of rows) {
    const optIns = paid.rows.filter((p) => p.dispute_id === d.id);
    const outcome = arbitrationDefault(d.escrow_amount, optIns.some((p) => p.party === 'freelancer'), optIns.some((p) => p.party === 'client'));
    const payer = optIns.find((p) => p.party === outcome.refund_fee_to);
    if (payer && payer.fee_amount > 0) {
      refunds.push({ kind: 'arbitration_fee_refund', from: arbitrationFeesAccount(d.id, d.currency), to: availableAccount(payer.user_id, d.currency), amount: payer.fee_amount, ref_id: d.id, description: 'Arbitration fee refunded: the other party did not opt in' });
    }
    await appendDisputeEvents(tx, now, d, [{ type: 'dispute.arbitration_window_ended', actor_id: null, actor_role: 'deadline', data: { paid: optIns.map((p) => p.party), fee_refunded_to: outcome.refund_fee_to } }]);
    resolutions.push({ dispute: d, split: outcome.split, kind: outcome.kind, actor_id: null, actor_role: 'deadline', data: { fee_refunded_to: outcome.refund_fee_to } });
  }
  if (refunds.length > 0) await postTransfers(tx, now, refunds);
  await resolveDisputes(tx, now, fees.feeBps, resolutions);
});
