// GET /v1/admin/ledger/verify: recomputes every account's balance from its
// entries and checks the ledger's invariants. Tests call it after every scenario.

import type { Queryable } from '../../db/port.ts';

export interface LedgerReport {
  ok: boolean;
  checked: { transfers: number; accounts: number };
  problems: string[];
}

/** At most this many problems are listed; one is enough to fail. */
const MAX_PROBLEMS_LISTED = 100;

export async function verifyLedger(db: Queryable): Promise<LedgerReport> {
  const problems: string[] = [];
  const counts = await db.query<{ transfers: number; accounts: number }>(
    `select (select count(*) from transfers)::int8 as transfers, (select count(*) from accounts)::int8 as accounts`,
  );
  const checks: Array<[string, (row: Record<string, unknown>) => string]> = [
    [
      `select a.id, a.kind, a.balance, coalesce(sum(e.amount), 0)::int8 as computed
         from accounts a left join ledger_entries e on e.account_id = a.id
        group by a.id having a.balance <> coalesce(sum(e.amount), 0)`,
      (r) => `account ${r.id} (${r.kind}) stores balance ${r.balance} but its entries sum to ${r.computed}`,
    ],
    [
      `select currency, sum(balance)::int8 as total from accounts group by currency having sum(balance) <> 0`,
      (r) => `${r.currency} accounts sum to ${r.total}, not 0`,
    ],
    [
      `select id, kind, balance from accounts where kind <> 'world' and balance < 0`,
      (r) => `account ${r.id} (${r.kind}) is negative: ${r.balance}`,
    ],
    [
      `select t.id from transfers t left join ledger_entries e on e.transfer_id = t.id
        group by t.id, t.amount, t.debit_account_id, t.credit_account_id
       having count(e.id) <> 2
           or coalesce(sum(e.amount), 0) <> 0
           or coalesce(sum(e.amount) filter (where e.account_id = t.credit_account_id), 0) <> t.amount
           or coalesce(sum(e.amount) filter (where e.account_id = t.debit_account_id), 0) <> -t.amount`,
      (r) => `transfer ${r.id} does not have exactly one debit and one matching credit entry`,
    ],
  ];
  for (const [sql, describe] of checks) {
    const result = await db.query(`${sql} limit ${MAX_PROBLEMS_LISTED}`);
    problems.push(...result.rows.map(describe));
  }
  return { ok: problems.length === 0, checked: counts.rows[0]!, problems: problems.slice(0, MAX_PROBLEMS_LISTED) };
}
