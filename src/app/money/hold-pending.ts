// Schedules pending money to become available when the security hold ends.
// Called in the same transaction as the transfers that credited `user_pending`;
// set-based, so a sweeper batch schedules all its releases in one statement.

import { LIMITS } from '../../domain/limits.ts';
import type { Currency } from '../../domain/money.ts';
import type { Tx } from '../../db/port.ts';
import { newId } from '../../lib/ids.ts';

export interface PendingHold {
  user_id: string;
  currency: Currency;
  amount: number;
  transfer_id: string;
}

export async function holdPending(tx: Tx, now: Date, holds: readonly PendingHold[]): Promise<void> {
  if (holds.length === 0) return;
  await tx.query(
    `insert into pending_funds (id, user_id, currency, amount, available_at, source_transfer_id, created_at)
     select id, user_id, currency, amount, $5::timestamptz, transfer_id, $6::timestamptz
       from unnest($1::text[], $2::text[], $3::text[], $4::int8[], $7::text[]) as h(id, user_id, currency, amount, transfer_id)`,
    [holds.map(() => newId('pending_funds')), holds.map((h) => h.user_id), holds.map((h) => h.currency), holds.map((h) => h.amount), new Date(now.getTime() + LIMITS.pending_hold_ms), now, holds.map((h) => h.transfer_id)],
  );
}
