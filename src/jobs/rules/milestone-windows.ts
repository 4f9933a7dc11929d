// The milestones' own deadlines (PRODUCT.md "Milestones"):
// - review window: 14 days after a submission, silence is approval, so the
//   whole escrow is released;
// - refund window: 7 days after a refund request, silence refunds the client.
// Each batch is set-based: one select of up to `limit` due rows (locked, SKIP
// LOCKED, state re-checked), one update, one event insert, one ledger batch.
// Its events' notifications are queued and written after it commits
// (`notification_fanout`): they were 40 % of the batch's time, with its
// milestones locked throughout.
// The ledger comes last: it locks the accounts other batches share, so they
// are held for the shortest time. Batches running side by side take the rows
// of their partition: by freelancer for releases (their pending balance), by
// client for refunds (their available balance).

import { settledState } from '../../domain/milestone.ts';
import type { Currency } from '../../domain/money.ts';
import { moveEscrow, splitRelease, updateMilestones } from '../../app/contracts/escrow.ts';
import { appendEvents } from '../../app/events.ts';
import { partitionFilter, type Rule } from '../engine.ts';

interface DueRow {
  id: string;
  contract_id: string;
  currency: Currency;
  client_id: string;
  freelancer_id: string;
  escrow: number;
  released: number;
}

/**
 * What the milestone's escrow already released to the freelancer: a refund
 * settles `paid` or `refunded` by it. A review release always ends `paid`, so
 * its batch does not look it up (an index probe per row).
 */
const RELEASED = {
  review: '0',
  refund: `coalesce((select sum(t.amount) from transfers t where t.ref_id = m.id and t.kind in ('escrow_release', 'service_fee') and t.debit_account_id = a.id), 0)`,
} as const;

function windowRule(kind: 'review' | 'refund'): Rule {
  const column = kind === 'review' ? 'review_due_at' : 'refund_due_at';
  const state = kind === 'review' ? 'submitted' : 'refund_requested';
  return {
    name: `${kind}_window`,
    async nextDue(db) {
      const r = await db.query<{ due: Date | null }>(`select min(${column}) as due from milestones where status = '${state}'`);
      return r.rows[0]?.due ?? null;
    },
    async runBatch(deps, now, until, limit, part) {
      // The party whose balance the batch credits: its account is shared by that party's milestones.
      // A scalar subquery, so each row read in due order costs one primary-key probe of contracts.
      const owner = `(select c.${kind === 'review' ? 'freelancer_id' : 'client_id'} from contracts c where c.id = m.contract_id)`;
      return deps.db.transaction(async (tx) => {
        const due = await tx.query<DueRow>(
          `with picked as (
             select m.id from milestones m
              where m.status = '${state}' and m.${column} < $1 and m.${column} <= $2${partitionFilter(owner, part)}
              order by m.${column}, m.seq limit $3 for no key update skip locked)
           select m.id, m.contract_id, m.currency, c.client_id, c.freelancer_id,
                  coalesce(a.balance, 0) as escrow,
                  ${RELEASED[kind]}::int8 as released
             from picked p join milestones m on m.id = p.id join contracts c on c.id = m.contract_id
             left join accounts a on a.kind = 'escrow' and coalesce(a.owner_id, '') = m.id and a.currency = m.currency
            order by m.${column}, m.seq`,
          [now, until, limit],
        );
        const rows = due.rows;
        if (rows.length === 0) return 0;
        await updateMilestones(
          tx,
          now,
          rows.map((r) => ({
            id: r.id,
            expected: state,
            status: kind === 'review' ? 'paid' : settledState(r.released),
            review_due_at: null,
            refund_due_at: null,
          })),
        );
        await appendEvents(
          tx,
          now,
          rows.map((r) => ({
            type: kind === 'review' ? 'milestone.released' : 'milestone.refunded',
            contract_id: r.contract_id,
            milestone_id: r.id,
            actor_id: null,
            actor_role: 'deadline' as const,
            data:
              kind === 'review'
                ? { amount: r.escrow, ...splitRelease(r.escrow, deps.config.feeBps), currency: r.currency, full: true, cause: 'review_window_ended' }
                : { amount: r.escrow, currency: r.currency, cause: 'refund_window_ended' },
          })),
          'queued',
        );
        const moving = rows.filter((r) => r.escrow > 0);
        if (moving.length > 0) {
          await moveEscrow(
            tx,
            now,
            deps.config.feeBps,
            moving.map((r) => ({
              milestone_id: r.id,
              currency: r.currency,
              client_id: r.client_id,
              freelancer_id: r.freelancer_id,
              release: kind === 'review' ? r.escrow : 0,
              refund: kind === 'refund' ? r.escrow : 0,
            })),
          );
        }
        return rows.length;
      });
    },
  };
}

export const reviewWindowRule = windowRule('review');
export const refundWindowRule = windowRule('refund');
