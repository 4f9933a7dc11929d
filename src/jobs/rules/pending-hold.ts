// Released money is pending for 5 days, then available (PRODUCT.md "Money").
// Batches running side by side take the holds of their partition of users, so
// they never wait on each other's balances.

import { availableAccount, pendingAccount, type TransferSpec } from '../../domain/ledger.ts';
import type { Currency } from '../../domain/money.ts';
import { postTransfers } from '../../app/ledger.ts';
import { partitionFilter, type Rule } from '../engine.ts';

export const pendingHoldRule: Rule = {
  name: 'pending_hold',
  async nextDue(db) {
    const r = await db.query<{ due: Date | null }>(`select min(available_at) as due from pending_funds where made_available_at is null`);
    return r.rows[0]?.due ?? null;
  },
  async runBatch(deps, now, until, limit, part) {
    return deps.db.transaction(async (tx) => {
      const due = await tx.query<{ id: string; user_id: string; currency: Currency; amount: number }>(
        `select id, user_id, currency, amount from pending_funds
          where made_available_at is null and available_at < $1 and available_at <= $2${partitionFilter('user_id', part)}
          order by available_at, seq limit $3 for update skip locked`,
        [now, until, limit],
      );
      if (due.rows.length === 0) return 0;
      const specs: TransferSpec[] = due.rows.map((row) => ({
        kind: 'hold_release',
        from: pendingAccount(row.user_id, row.currency),
        to: availableAccount(row.user_id, row.currency),
        amount: row.amount,
        ref_id: row.id,
        description: 'Security hold ended: funds available',
      }));
      await postTransfers(tx, now, specs);
      await tx.query(`update pending_funds set made_available_at = $2 where id = any($1::text[]) and made_available_at is null`, [due.rows.map((r) => r.id), now]);
      return due.rows.length;
    });
  },
};
