// GET /v1/balance/transactions: every ledger entry on the caller's own
// accounts (available and pending), newest first.

import type { Currency } from '../../domain/money.ts';
import type { Deps } from '../deps.ts';
import { cursorSeq, pageLimit, toList, type PageOptions } from '../pagination.ts';

interface EntryRow {
  id: string;
  seq: number;
  amount: number;
  balance_after: number;
  currency: Currency;
  account_kind: 'user_available' | 'user_pending';
  type: string;
  description: string;
  ref_id: string | null;
  transfer_id: string;
  created_at: Date;
}

export async function listBalanceTransactions(deps: Deps, userId: string, page: PageOptions) {
  const limit = pageLimit(page);
  // `coalesce(a.owner_id, '')` matches the accounts' unique index, so both
  // queries find this member's accounts by index instead of filtering all members'.
  const beforeSeq = await cursorSeq(deps.db, page.starting_after, `select e.seq from ledger_entries e join accounts a on a.id = e.account_id
        where e.id = $1 and coalesce(a.owner_id, '') = $2 and a.kind in ('user_available', 'user_pending')`, [userId]);
  const result = await deps.db.query<EntryRow>(
    `select e.id, e.seq, e.amount, e.balance_after, a.currency, a.kind as account_kind, t.kind as type, t.description, t.ref_id, t.id as transfer_id, e.created_at
       from accounts a
       join ledger_entries e on e.account_id = a.id
       join transfers t on t.id = e.transfer_id
      where coalesce(a.owner_id, '') = $1 and a.kind in ('user_available', 'user_pending') and ($2::int8 is null or e.seq < $2)
      order by e.seq desc limit $3`,
    [userId, beforeSeq, limit + 1],
  );
  return toList(result.rows, limit, (r) => ({
    id: r.id,
    object: 'balance_transaction' as const,
    amount: r.amount,
    currency: r.currency,
    balance_type: r.account_kind === 'user_available' ? ('available' as const) : ('pending' as const),
    balance_after: r.balance_after,
    type: r.type,
    description: r.description,
    source: r.ref_id,
    transfer: r.transfer_id,
    created_at: r.created_at.toISOString(),
  }));
}
