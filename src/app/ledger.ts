// Writes ledger transfers. Every movement of money in Settle goes through
// `postTransfers`, inside the caller's transaction, so money moves only
// together with the state change that justifies it (STYLE habit 2).
//
// Set-based: a batch of any size costs five statements, so the sweeper can
// release thousands of milestones per transaction without a round trip each.

import { AppError, assert } from '../domain/errors.ts';
import { assertTransfer, mayGoNegative, type AccountKind, type AccountRef, type TransferSpec } from '../domain/ledger.ts';
import { LIMITS } from '../domain/limits.ts';
import type { Currency } from '../domain/money.ts';
import { newId } from '../lib/ids.ts';
import type { Tx } from '../db/port.ts';

interface AccountRow {
  id: string;
  kind: AccountKind;
  owner_id: string | null;
  currency: Currency;
  balance: number;
}

const refKey = (r: { kind: string; owner_id: string | null; currency: string }) => `${r.kind}:${r.owner_id ?? ''}:${r.currency}`;

/** Most transfers one call may post: a sweeper batch with a few transfers per row. */
export const MAX_TRANSFERS_PER_BATCH = LIMITS.sweep_batch_size * 4;

/**
 * Creates the accounts that do not exist yet and locks all of them, in id
 * order, so two transactions never wait on each other in a cycle.
 */
async function lockAccounts(tx: Tx, unordered: AccountRef[], now: Date): Promise<Map<string, AccountRow>> {
  // Created in key order too: two transactions inserting the same new accounts
  // wait on each other's unique-index entries in the same order, never in a cycle.
  const refs = [...unordered].sort((a, b) => (refKey(a) < refKey(b) ? -1 : refKey(a) > refKey(b) ? 1 : 0));
  const kinds = refs.map((r) => r.kind);
  const owners = refs.map((r) => r.owner_id ?? '');
  const currencies = refs.map((r) => r.currency);
  await tx.query(
    `insert into accounts (id, kind, owner_id, currency, created_at)
     select id, kind, nullif(owner, ''), currency, $5 from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as r(id, kind, owner, currency)
     on conflict (kind, coalesce(owner_id, ''), currency) do nothing`,
    [refs.map(() => newId('account')), kinds, owners, currencies, now],
  );
  const locked = await tx.query<AccountRow>(
    `select id, kind, owner_id, currency, balance from accounts
      where (kind, coalesce(owner_id, ''), currency) in (select * from unnest($1::text[], $2::text[], $3::text[]))
      order by id for no key update`,
    [kinds, owners, currencies],
  );
  const byKey = new Map(locked.rows.map((row) => [refKey(row), row]));
  assert(byKey.size === refs.length, 'every account of the batch exists and is locked');
  return byKey;
}

/** Current balance of an account, 0 when it was never used. Takes the row lock when `lock` is set. */
export async function accountBalance(tx: Tx, ref: AccountRef, options: { lock?: boolean } = {}): Promise<number> {
  const result = await tx.query<{ balance: number }>(
    `select balance from accounts where kind = $1 and coalesce(owner_id, '') = $2 and currency = $3 ${options.lock ? 'for no key update' : ''}`,
    [ref.kind, ref.owner_id ?? '', ref.currency],
  );
  return result.rows[0]?.balance ?? 0;
}

export interface PostedTransfer {
  id: string;
  spec: TransferSpec;
}

/**
 * Posts the transfers atomically, in order. Refuses the whole batch with 402
 * `insufficient_balance` if any account other than the world's would pass
 * below zero at any point; the SQL check on `accounts` is the second line of
 * defence.
 */
export async function postTransfers(tx: Tx, now: Date, specs: readonly TransferSpec[]): Promise<PostedTransfer[]> {
  assert(specs.length > 0 && specs.length <= MAX_TRANSFERS_PER_BATCH, `a batch holds 1 to ${MAX_TRANSFERS_PER_BATCH} transfers`);
  for (const spec of specs) assertTransfer(spec);

  const refs = new Map<string, AccountRef>();
  for (const spec of specs) {
    refs.set(refKey(spec.from), spec.from);
    refs.set(refKey(spec.to), spec.to);
  }
  const accounts = await lockAccounts(tx, [...refs.values()], now);

  const posted: PostedTransfer[] = [];
  const transfers = { id: [] as string[], kind: [] as string[], currency: [] as string[], debit: [] as string[], credit: [] as string[], amount: [] as number[], ref: [] as (string | null)[], description: [] as string[] };
  const entries = { id: [] as string[], transfer: [] as string[], account: [] as string[], amount: [] as number[], balanceAfter: [] as number[] };
  for (const spec of specs) {
    const debit = accounts.get(refKey(spec.from))!;
    const credit = accounts.get(refKey(spec.to))!;
    debit.balance -= spec.amount;
    credit.balance += spec.amount;
    if (debit.balance < 0 && !mayGoNegative(debit.kind)) {
      const what = debit.kind === 'user_available' ? 'The available balance' : `The ${debit.kind} account`;
      throw new AppError('payment', 'insufficient_balance', `${what} does not cover ${spec.amount} ${spec.from.currency} (minor units).`);
    }
    assert(Number.isSafeInteger(debit.balance) && Number.isSafeInteger(credit.balance), 'balances stay safe integers');
    const id = newId('transfer');
    transfers.id.push(id);
    transfers.kind.push(spec.kind);
    transfers.currency.push(spec.from.currency);
    transfers.debit.push(debit.id);
    transfers.credit.push(credit.id);
    transfers.amount.push(spec.amount);
    transfers.ref.push(spec.ref_id);
    transfers.description.push(spec.description);
    for (const [account, amount] of [[debit, -spec.amount], [credit, spec.amount]] as const) {
      entries.id.push(newId('balance_transaction'));
      entries.transfer.push(id);
      entries.account.push(account.id);
      entries.amount.push(amount);
      entries.balanceAfter.push(account.balance);
    }
    posted.push({ id, spec });
  }

  // unnest keeps array order, and `seq` follows insertion order, so entries
  // of one account stay in the order their balance_after was computed.
  await tx.query(
    `insert into transfers (id, kind, currency, debit_account_id, credit_account_id, amount, ref_id, description, created_at)
     select id, kind, currency, debit, credit, amount, ref, description, $9::timestamptz
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::text[], $8::text[]) with ordinality
         as t(id, kind, currency, debit, credit, amount, ref, description, ord)
      order by ord`,
    [transfers.id, transfers.kind, transfers.currency, transfers.debit, transfers.credit, transfers.amount, transfers.ref, transfers.description, now],
  );
  await tx.query(
    `insert into ledger_entries (id, transfer_id, account_id, amount, balance_after, created_at)
     select id, transfer, account, amount, balance_after, $6::timestamptz
       from unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[]) with ordinality as e(id, transfer, account, amount, balance_after, ord)
      order by ord`,
    [entries.id, entries.transfer, entries.account, entries.amount, entries.balanceAfter, now],
  );
  const touched = [...accounts.values()];
  await tx.query(
    `update accounts a set balance = v.balance from unnest($1::text[], $2::int8[]) as v(id, balance) where a.id = v.id`,
    [touched.map((a) => a.id), touched.map((a) => a.balance)],
  );
  return posted;
}
