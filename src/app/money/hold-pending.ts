// Schedules pending money to become available when the security hold ends.
// Called in the same transaction as the transfer that credited `user_pending`.

import { LIMITS } from '../../domain/limits.ts';
import type { Currency } from '../../domain/money.ts';
import type { Tx } from '../../db/port.ts';
import { newId } from '../../lib/ids.ts';

export interface HoldPendingOptions {
  user_id: string;
  currency: Currency;
  amount: number;
  transfer_id: string;
  now: Date;
}

export async function holdPending(tx: Tx, o: HoldPendingOptions): Promise<void> {
  await tx.query(
    `insert into pending_funds (id, user_id, currency, amount, available_at, source_transfer_id, created_at) values ($1, $2, $3, $4, $5, $6, $7)`,
    [newId('pending_funds'), o.user_id, o.currency, o.amount, new Date(o.now.getTime() + LIMITS.pending_hold_ms), o.transfer_id, o.now],
  );
}
