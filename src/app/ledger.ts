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

const byKeyOrder = (a: AccountRef, b: AccountRef) => (refKey(a) < refKey(b) ? -1 : refKey(a) > refKey(b) ? 1 : 0);

/**
 * The ids of the accounts with these keys, creating those that do not exist
 * yet. Reads first: after a member's first payment their accounts exist, and a
 * read is cheaper than a thousand conflicting inserts. New accounts are
 * inserted in key order, so two transactions creating the same ones wait on
 * each other's unique-index entries in the same order, never in a cycle.
 */
async function accountIds(tx: Tx, refs: readonly AccountRef[], now: Date): Promise<Map<string, string>> {
  const read = async (keys: readonly AccountRef[]) =>
    (
      await tx.query<{ id: string; kind: string; owner_id: string | null; currency: string }>(
        `select id, kind, owner_id, currency from accounts
          where (kind, coalesce(owner_id, ''), currency) in (select * from unnest($1::text[], $2::text[], $3::text[]))`,
        [keys.map((r) => r.kind), keys.map((r) => r.owner_id ?? ''), keys.map((r) => r.currency)],
      )
    ).rows;
  const ids = new Map((await read(refs)).map((a) => [refKey(a), a.id]));
  const missing = refs.filter((r) => !ids.has(refKey(r))).sort(byKeyOrder);
  if (missing.length > 0) {
    await tx.query(
      `insert into accounts (id, kind, owner_id, currency, created_at)
       select id, kind, nullif(owner, ''), currency, $5 from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as r(id, kind, owner, currency)
       on conflict (kind, coalesce(owner_id, ''), currency) do nothing`,
      [missing.map(() => newId('account')), missing.map((r) => r.kind), missing.map((r) => r.owner_id ?? ''), missing.map((r) => r.currency), now],
    );
    for (const a of await read(missing)) ids.set(refKey(a), a.id);
  }
  assert(ids.size === refs.length, 'every account of the batch exists');
  return ids;
}

/** Locks the accounts with these ids, in id order, and reads their balances. */
async function lockAccounts(tx: Tx, ids: readonly string[]): Promise<Map<string, AccountRow>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<AccountRow>(`select id, kind, owner_id, currency, balance from accounts where id = any($1::text[]) order by id for no key update`, [ids]);
  assert(rows.rows.length === ids.length, 'every account of the batch was locked');
  return new Map(rows.rows.map((row) => [refKey(row), row]));
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
 * The accounts every transaction of their currency may touch (`world`,
 * `platform_fees`): locked after all others, so they are held only for the
 * end of the transaction that posts to them.
 */
const isShared = (ref: AccountRef): boolean => ref.owner_id === null;

interface EntryRows {
  id: string[];
  transfer: string[];
  account: string[];
  amount: number[];
  balanceAfter: number[];
}

const newEntryRows = (): EntryRows => ({ id: [], transfer: [], account: [], amount: [], balanceAfter: [] });

async function insertEntries(tx: Tx, now: Date, entries: EntryRows): Promise<void> {
  if (entries.id.length === 0) return;
  // unnest keeps array order, and `seq` follows insertion order, so entries
  // of one account stay in the order their balance_after was computed.
  await tx.query(
    `insert into ledger_entries (id, transfer_id, account_id, amount, balance_after, created_at)
     select id, transfer, account, amount, balance_after, $6::timestamptz
       from unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[]) with ordinality as e(id, transfer, account, amount, balance_after, ord)
      order by ord`,
    [entries.id, entries.transfer, entries.account, entries.amount, entries.balanceAfter, now],
  );
}

/**
 * Moves each transfer's amount on the locked accounts in spec order and
 * records an entry per side in `into`, refusing with 402 when an account that
 * may not go below zero would.
 */
function applyEntries(specs: readonly TransferSpec[], ids: readonly string[], accounts: Map<string, AccountRow>, into: EntryRows): void {
  specs.forEach((spec, i) => {
    for (const [ref, amount] of [[spec.from, -spec.amount], [spec.to, spec.amount]] as const) {
      const account = accounts.get(refKey(ref));
      if (!account) continue;
      account.balance += amount;
      if (account.balance < 0 && !mayGoNegative(account.kind)) {
        const what = account.kind === 'user_available' ? 'The available balance' : `The ${account.kind} account`;
        throw new AppError('payment', 'insufficient_balance', `${what} does not cover ${spec.amount} ${spec.from.currency} (minor units).`);
      }
      assert(Number.isSafeInteger(account.balance), 'balances stay safe integers');
      into.id.push(newId('balance_transaction'));
      into.transfer.push(ids[i]!);
      into.account.push(account.id);
      into.amount.push(amount);
      into.balanceAfter.push(account.balance);
    }
  });
}

/**
 * Posts the transfers atomically, in order. Refuses the whole batch with 402
 * `insufficient_balance` if any account other than the world's would pass
 * below zero at any point; the SQL check on `accounts` is the second line of
 * defence.
 *
 * Locks in two steps, each in id order: first the owned accounts (users',
 * escrows'), then the shared ones (`isShared`), whose entries are written
 * last. Every transaction takes them in that order, so none waits on another
 * in a cycle, and a sweeper batch crediting the fees account holds it only for
 * its final statements instead of its whole length.
 */
export async function postTransfers(tx: Tx, now: Date, specs: readonly TransferSpec[]): Promise<PostedTransfer[]> {
  assert(specs.length > 0 && specs.length <= MAX_TRANSFERS_PER_BATCH, `a batch holds 1 to ${MAX_TRANSFERS_PER_BATCH} transfers`);
  for (const spec of specs) assertTransfer(spec);

  const owned = new Map<string, AccountRef>();
  const shared = new Map<string, AccountRef>();
  for (const spec of specs) {
    for (const ref of [spec.from, spec.to]) (isShared(ref) ? shared : owned).set(refKey(ref), ref);
  }
  const ids = specs.map(() => newId('transfer'));

  const accountId = await accountIds(tx, [...owned.values(), ...shared.values()], now);
  const idsOf = (refs: Map<string, AccountRef>) => [...refs.keys()].map((key) => accountId.get(key)!);
  const ownedAccounts = await lockAccounts(tx, idsOf(owned));
  const ownedEntries = newEntryRows();
  applyEntries(specs, ids, ownedAccounts, ownedEntries);
  await tx.query(
    `insert into transfers (id, kind, currency, debit_account_id, credit_account_id, amount, ref_id, description, created_at)
     select id, kind, currency, debit, credit, amount, ref, description, $9::timestamptz
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::text[], $8::text[]) with ordinality
         as t(id, kind, currency, debit, credit, amount, ref, description, ord)
      order by ord`,
    [ids, specs.map((t) => t.kind), specs.map((t) => t.from.currency), specs.map((t) => accountId.get(refKey(t.from))!), specs.map((t) => accountId.get(refKey(t.to))!), specs.map((t) => t.amount), specs.map((t) => t.ref_id), specs.map((t) => t.description), now],
  );
  await insertEntries(tx, now, ownedEntries);

  const sharedAccounts = await lockAccounts(tx, idsOf(shared));
  const sharedEntries = newEntryRows();
  applyEntries(specs, ids, sharedAccounts, sharedEntries);
  await insertEntries(tx, now, sharedEntries);

  const touched = [...ownedAccounts.values(), ...sharedAccounts.values()];
  await tx.query(
    `update accounts a set balance = v.balance from unnest($1::text[], $2::int8[]) as v(id, balance) where a.id = v.id`,
    [touched.map((a) => a.id), touched.map((a) => a.balance)],
  );
  return specs.map((spec, i) => ({ id: ids[i]!, spec }));
}
