// GET /v1/payouts: the caller's payouts, newest first.

import type { Currency } from '../../domain/money.ts';
import type { Deps } from '../deps.ts';
import { badCursor, pageLimit, toList, type PageOptions } from '../pagination.ts';
import { toPayoutObject } from './create-payout.ts';

export async function listPayouts(deps: Deps, userId: string, page: PageOptions) {
  const limit = pageLimit(page);
  let beforeSeq: number | null = null;
  if (page.starting_after) {
    const cursor = await deps.db.query<{ seq: number }>('select seq from payouts where id = $1 and user_id = $2', [page.starting_after, userId]);
    beforeSeq = cursor.rows[0]?.seq ?? badCursor();
  }
  const result = await deps.db.query<{ id: string; amount: number; currency: Currency; status: 'paid'; created_at: Date }>(
    `select id, amount, currency, status, created_at from payouts
      where user_id = $1 and ($2::int8 is null or seq < $2) order by seq desc limit $3`,
    [userId, beforeSeq, limit + 1],
  );
  return toList(result.rows, limit, toPayoutObject);
}
