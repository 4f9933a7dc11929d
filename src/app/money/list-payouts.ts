// GET /v1/payouts: the caller's payouts, newest first.

import type { Currency } from '../../domain/money.ts';
import type { Deps } from '../deps.ts';
import { cursorSeq, pageLimit, toList, type PageOptions } from '../pagination.ts';
import { toPayoutObject } from './create-payout.ts';

export async function listPayouts(deps: Deps, userId: string, page: PageOptions) {
  const limit = pageLimit(page);
  const beforeSeq = await cursorSeq(deps.db, page.starting_after, 'select seq from payouts where id = $1 and user_id = $2', [userId]);
  const result = await deps.db.query<{ id: string; amount: number; currency: Currency; status: 'paid'; created_at: Date }>(
    `select id, amount, currency, status, created_at from payouts
      where user_id = $1 and ($2::int8 is null or seq < $2) order by seq desc limit $3`,
    [userId, beforeSeq, limit + 1],
  );
  return toList(result.rows, limit, toPayoutObject);
}
