// The references migrations/0008_reference_checks.sql checks per statement
// instead of with per-row foreign keys: a row pointing at nothing is refused
// with 23503 as a foreign key would refuse it, whole statements at once, and
// the rows pointed at keep their keys and are never deleted.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Queryable } from '../src/db/port.ts';
import { startSettle } from './support/harness.ts';
import { activeContract, assertLedger, expectOk } from './support/scenario.ts';
import { count, isSqlError } from './support/sql.ts';

/**
 * `insert into <table> select … from <table> where <where> limit <rows>`: copies
 * of existing rows with a new id each and the given columns replaced by SQL
 * expressions (`n` is the row number).
 */
async function copyRows(db: Queryable, table: string, where: string, replace: Record<string, string>, rows = 1): Promise<void> {
  const columns = (
    await db.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1 and column_name <> 'seq' order by ordinal_position`,
      [table],
    )
  ).rows.map((c) => c.column_name);
  const values = columns.map((c) => replace[c] ?? (c === 'id' ? `split_part(id, '_', 1) || '_copy' || n` : c));
  await db.query(
    `insert into ${table} (${columns.join(', ')})
     select ${values.join(', ')} from (select *, row_number() over () as n from ${table} where ${where} limit ${rows}) t`,
  );
}

/** A Settle with one released milestone: transfers, entries, a pending hold, events, notifications and emails. */
async function released() {
  const api = await startSettle();
  const { client, freelancer, milestoneIds } = await activeContract(api, [100_000]);
  const id = milestoneIds[0]!;
  await expectOk(api.post(`/v1/milestones/${id}/fund`, { payment_method: 'pm_card_visa' }, client.token));
  await expectOk(api.post(`/v1/milestones/${id}/submit`, { message: 'Done.' }, freelancer.token));
  await expectOk(api.post(`/v1/milestones/${id}/approve`, {}, client.token));
  return { api, db: api.settle.deps.db, client, freelancer, milestoneId: id };
}

// Each reference: a row of the table that has it set, and the column(s) pointed elsewhere.
const REFERENCES: Array<{ table: string; where: string; column: string; bogus: Record<string, string>; before?: (db: Queryable) => Promise<void> }> = [
  { table: 'transfers', where: "kind = 'escrow_release'", column: 'debit_account_id', bogus: { debit_account_id: "'acct_missing'" } },
  { table: 'transfers', where: "kind = 'escrow_release'", column: 'credit_account_id', bogus: { credit_account_id: "'acct_missing'" } },
  // The account exists, but in another currency: the pair (id, currency) is the reference.
  { table: 'transfers', where: "kind = 'escrow_release'", column: 'debit_account_id', bogus: { currency: "'eur'" } },
  { table: 'ledger_entries', where: 'true', column: 'transfer_id', bogus: { transfer_id: "'tr_missing'" } },
  { table: 'ledger_entries', where: 'true', column: 'account_id', bogus: { account_id: "'acct_missing'" } },
  { table: 'pending_funds', where: 'true', column: 'user_id', bogus: { user_id: "'usr_missing'" } },
  { table: 'pending_funds', where: 'true', column: 'source_transfer_id', bogus: { source_transfer_id: "'tr_missing'" } },
  { table: 'events', where: 'dispute_id is null', column: 'contract_id', bogus: { contract_id: "'ctr_missing'" } },
  { table: 'events', where: 'milestone_id is not null and dispute_id is null', column: 'milestone_id', bogus: { milestone_id: "'ms_missing'" } },
  { table: 'events', where: 'actor_id is not null and dispute_id is null', column: 'actor_id', bogus: { actor_id: "'usr_missing'" } },
  { table: 'events', where: 'dispute_id is null', column: 'dispute_id', bogus: { dispute_id: "'dsp_missing'", dispute_seq: '1', prev_hash: "repeat('0', 64)", hash: "repeat('1', 64)" } },
  { table: 'notifications', where: 'true', column: 'user_id', bogus: { user_id: "'usr_missing'" } },
  { table: 'notifications', where: 'true', column: 'event_id', bogus: { event_id: "'evt_missing'" } },
  { table: 'notifications', where: 'true', column: 'contract_id', bogus: { contract_id: "'ctr_missing'", event_id: 'null' } },
  { table: 'notifications', where: 'true', column: 'dispute_id', bogus: { dispute_id: "'dsp_missing'", event_id: 'null' } },
  { table: 'outbox', where: "channel = 'email'", column: 'notification_id', bogus: { notification_id: "'ntf_missing'" } },
  // An email per notification: a fresh notification (of no event) for the copied email to belong to.
  {
    table: 'outbox',
    where: "channel = 'email'",
    column: 'event_id',
    bogus: { notification_id: "'ntf_copy1'", event_id: "'evt_missing'" },
    before: (db) => copyRows(db, 'notifications', 'true', { event_id: 'null' }),
  },
];

test('a row pointing at nothing is refused with 23503 on every checked reference, and a copy pointing at real rows is accepted', async () => {
  const { api, db } = await released();
  for (const ref of REFERENCES) {
    const before = await count(db, ref.table);
    const insert = db.transaction(async (tx) => {
      await ref.before?.(tx);
      await copyRows(tx, ref.table, ref.where, ref.bogus);
    });
    await assert.rejects(insert, isSqlError('23503', new RegExp(`${ref.table}.*\\(${ref.column}`)), `${ref.table}.${ref.column}`);
    assert.equal(await count(db, ref.table), before, `${ref.table}: nothing inserted`);
  }
  // Control: the same copies with their real references go in (then roll back), so the check refuses only what points at nothing.
  await assert.rejects(
    db.transaction(async (tx) => {
      for (const table of ['transfers', 'ledger_entries', 'pending_funds']) await copyRows(tx, table, 'true', {});
      await copyRows(tx, 'events', 'dispute_id is null', {});
      // A notification of no event (one per event and person), and its email.
      await copyRows(tx, 'notifications', 'true', { event_id: 'null' });
      await copyRows(tx, 'outbox', "channel = 'email'", { notification_id: "'ntf_copy1'" });
      throw new Error('roll back the control');
    }),
    /roll back the control/,
  );
  await assertLedger(api);
});

test('one bad row among many fails the whole statement', async () => {
  const { api, db } = await released();
  const before = await count(db, 'ledger_entries');
  assert.ok(before >= 4);
  // Four copies, the last pointing at a transfer that does not exist.
  await assert.rejects(
    copyRows(db, 'ledger_entries', 'true', { transfer_id: "case when n = 4 then 'tr_missing' else transfer_id end" }, 4),
    isSqlError('23503', /ledger_entries.*transfer_id.*tr_missing/),
  );
  assert.equal(await count(db, 'ledger_entries'), before);
  await assertLedger(api);
});

test('rows that others point at are never deleted and keep their keys; references are never re-pointed', async () => {
  const { api, db, freelancer, milestoneId } = await released();
  const refused = isSqlError('23503', /keep their key/);
  await assert.rejects(db.query(`delete from accounts where kind = 'escrow'`), refused);
  await assert.rejects(db.query(`update accounts set currency = 'eur' where kind = 'escrow'`), refused);
  await assert.rejects(db.query(`update accounts set id = 'acct_other' where kind = 'escrow'`), refused);
  await assert.rejects(db.query(`delete from users where id = $1`, [freelancer.id]), refused);
  await assert.rejects(db.query(`update users set id = 'usr_other' where id = $1`, [freelancer.id]), refused);
  await assert.rejects(db.query(`delete from milestones where id = $1`, [milestoneId]), refused);
  await assert.rejects(db.query(`delete from contracts`), refused);
  await assert.rejects(db.query(`delete from notifications`), refused);
  await assert.rejects(db.query(`update notifications set user_id = (select id from users order by seq limit 1)`), refused);
  await assert.rejects(db.query(`update pending_funds set user_id = user_id`), refused);
  await assert.rejects(db.query(`update outbox set event_id = null`), refused);
  // What does change still does: balances, states, read marks, delivery status.
  await db.query(`update notifications set read_at = now() where user_id = $1`, [freelancer.id]);
  await db.query(`update outbox set attempts = attempts where channel = 'email'`);
  assert.equal((await db.query(`select count(*)::int8 as n from milestones where id = $1`, [milestoneId])).rows[0]!.n, 1);
  await assertLedger(api);
});

test('no table of the record, nor a table others point at, can be truncated', async () => {
  const { api, db } = await released();
  const tables = ['transfers', 'ledger_entries', 'events', 'submissions', 'accounts', 'users', 'contracts', 'milestones', 'notifications', 'disputes', 'files', 'dispute_messages'];
  for (const table of tables) {
    const before = await count(db, table);
    // The triggers refuse (P0001 immutable, 23503 keys kept); a declared foreign key pointing at the table refuses first (0A000).
    await assert.rejects(db.exec(`truncate ${table}`), (error: { code?: string }) => ['P0001', '23503', '0A000'].includes(error.code ?? ''), table);
    assert.equal(await count(db, table), before, `${table}: nothing removed`);
  }
  await assertLedger(api);
});
