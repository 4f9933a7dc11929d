// Bulk seeding for the benchmark and the query-plan test: many contracts whose
// milestones sit funded in `submitted` (or `refund_requested`) with their
// window already ended, written with set-based SQL in a few statements, with
// the history the API would have left (events, notifications, reminders sent,
// some withdrawn disputes). The escrow is funded through the real ledger
// writer (`postTransfers`), so the ledger verifies afterwards exactly as if
// the API had done it.

import { postTransfers } from '../src/app/ledger.ts';
import type { Db } from '../src/db/port.ts';
import { availableAccount, escrowAccount, worldAccount, type TransferSpec } from '../src/domain/ledger.ts';
import { LIMITS } from '../src/domain/limits.ts';
import type { Currency } from '../src/domain/money.ts';

export interface SeedOptions {
  /** Milestones to create, all due before `now`. */
  milestones: number;
  now: Date;
  /** The first `dueFirst` milestones fall due the day before the others (in seq order). */
  dueFirst?: number;
  /** Every `refundEvery`-th milestone is in `refund_requested` instead of `submitted`; 0 = none. */
  refundEvery?: number;
  /** Every `disputeEvery`-th milestone had a dispute, since withdrawn (history a read must skip by index); 0 = none. */
  disputeEvery?: number;
  milestonesPerContract?: number;
  contractsPerClient?: number;
  contractsPerFreelancer?: number;
  currency?: Currency;
}

export interface Seeded {
  contracts: number;
  clients: number;
  freelancers: number;
  /** postTransfers calls made to fund the escrow. */
  ledgerCalls: number;
}

/** Largest seed accepted: the seeding itself is bounded like everything else. */
export const SEED_MILESTONES_MAX = 2_000_000;
/** postTransfers refuses more than this in one call. */
const TRANSFERS_PER_CALL = LIMITS.sweep_batch_size * 4;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Ids are md5-derived (hex is within the id alphabet) so they arrive in
 * random order, as `newId` ids do; the numbers in user ids keep them unique.
 */
export async function seedDueMilestones(db: Db, o: SeedOptions): Promise<Seeded> {
  if (!Number.isSafeInteger(o.milestones) || o.milestones < 1 || o.milestones > SEED_MILESTONES_MAX) throw new Error(`seed 1 to ${SEED_MILESTONES_MAX} milestones`);
  const perContract = o.milestonesPerContract ?? 10;
  if (perContract < 1 || perContract > LIMITS.milestones_per_contract_max) throw new Error('milestones per contract within the contract limit');
  const currency = o.currency ?? 'usd';
  const contracts = Math.ceil(o.milestones / perContract);
  const clients = Math.ceil(contracts / (o.contractsPerClient ?? 20));
  const freelancers = Math.ceil(contracts / (o.contractsPerFreelancer ?? 5));
  const created = new Date(o.now.getTime() - 30 * DAY_MS);
  const userId = (kind: string, n: string) => `'usr_' || '${kind}' || ${n} || substr(md5('${kind}' || ${n}), 1, 20)`;

  await db.query(
    `insert into users (id, email, password_hash, name, role, time_zone, created_at)
     select 'usr_' || k || i || substr(md5(k || i), 1, 20), k || i || '@bench.example.com', 'bench', 'Bench ' || k || i, 'member', 'UTC', $3
       from (select 'c' as k, i from generate_series(1, $1::int) i union all select 'f', i from generate_series(1, $2::int) i) u`,
    [clients, freelancers, created],
  );
  await db.query(
    `insert into contracts (id, title, status, currency, client_id, freelancer_id, created_at, accepted_at)
     select 'ctr_' || substr(md5('ctr' || i), 1, 22), 'Bench contract ' || i, 'active', $4,
            ${userId('c', '(i % $2 + 1)')}, ${userId('f', '(i % $3 + 1)')}, $5, $5
       from generate_series(1, $1::int) i`,
    [contracts, clients, freelancers, currency, created],
  );
  // Due instants: the first `dueFirst` one millisecond apart two days before
  // `now`, the rest scattered over the day before `now`.
  await db.query(
    `insert into milestones (id, contract_id, position, title, amount, currency, status, review_due_at, refund_due_at, funded_at, created_at, updated_at)
     select id, contract_id, position, title, amount, $4, case when refund then 'refund_requested' else 'submitted' end,
            case when refund then null else due end, case when refund then due end, $6, $6, $6
       from (select 'ms_' || substr(md5('ms' || i), 1, 22) as id,
                    'ctr_' || substr(md5('ctr' || ((i - 1) / $3 + 1)), 1, 22) as contract_id,
                    (i - 1) % $3 + 1 as position, 'Bench milestone ' || i as title, 1000 + (i * 7919) % 99000 as amount,
                    $7::int > 0 and i % $7::int = 0 as refund,
                    case when i <= $2 then $5::timestamptz - interval '2 days' + i * interval '1 ms'
                         else $5::timestamptz - interval '1 day' + (('x' || substr(md5('due' || i), 1, 8))::bit(32)::int8 % 82800000) * interval '1 ms' end as due
               from generate_series(1, $1::int) i) m`,
    [o.milestones, o.dueFirst ?? 0, perContract, currency, o.now, created, o.refundEvery ?? 0],
  );
  // Every milestone was submitted once; every fourth had changes requested and was submitted again.
  await db.query(
    `insert into submissions (milestone_id, message, submitted_by, submitted_at)
     select m.id, 'Delivered.', c.freelancer_id, $1::timestamptz - interval '15 days'
       from milestones m join contracts c on c.id = m.contract_id`,
    [o.now],
  );
  // The record the API would have left: a submission event per milestone, its
  // notification to the client, and the 48 h and 24 h reminders already sent
  // before the (past) deadline, so the sweep releases rather than catches up.
  await db.query(
    `insert into events (id, type, contract_id, milestone_id, actor_id, actor_role, data, created_at)
     select 'evt_' || substr(md5('evt' || m.seq), 1, 22), 'milestone.submitted', m.contract_id, m.id, c.freelancer_id, 'freelancer', '{}', $1::timestamptz - interval '15 days'
       from milestones m join contracts c on c.id = m.contract_id`,
    [o.now],
  );
  await db.query(
    `insert into notifications (id, user_id, event_id, type, subject, body, link, contract_id, created_at)
     select 'ntf_' || substr(md5('ntf' || m.seq), 1, 22), c.client_id, 'evt_' || substr(md5('evt' || m.seq), 1, 22), 'milestone.submitted',
            'Work submitted', 'Milestone: ' || m.title, '/contracts/' || c.id, c.id, $1::timestamptz - interval '15 days'
       from milestones m join contracts c on c.id = m.contract_id`,
    [o.now],
  );
  await db.query(
    `insert into reminders_sent (subject_id, kind, due_at, hours_before, user_id, sent_at)
     select m.id, r.kind, r.due_at, h.hours, r.user_id, r.due_at - make_interval(hours => h.hours)
       from milestones m join contracts c on c.id = m.contract_id
      cross join lateral (select case when m.status = 'submitted' then 'review' else 'refund' end as kind,
                                 coalesce(m.review_due_at, m.refund_due_at) as due_at,
                                 case when m.status = 'submitted' then c.client_id else c.freelancer_id end as user_id) r
      cross join unnest(array[48, 24]) as h(hours)`,
  );
  await db.query(
    `insert into disputes (id, contract_id, milestone_id, status, currency, amount_requested, escrow_amount, filed_by, filed_at,
                           response_due_at, response_deadline_basis, outcome_kind, outcome_freelancer_amount, outcome_client_amount, resolved_at)
     select 'dsp_' || substr(md5('dsp' || m.seq), 1, 22), m.contract_id, m.id, 'withdrawn', m.currency, m.amount, m.amount, c.client_id,
            $1::timestamptz - interval '20 days', $1::timestamptz - interval '13 days', '{}', 'withdrawn', 0, 0, $1::timestamptz - interval '19 days'
       from milestones m join contracts c on c.id = m.contract_id where $2::int > 0 and m.seq % $2::int = 0`,
    [o.now, o.disputeEvery ?? 0],
  );
  await db.query(
    `insert into change_requests (milestone_id, message, requested_by, requested_at)
     select m.id, 'Please adjust.', c.client_id, $1::timestamptz - interval '14 days 12 hours'
       from milestones m join contracts c on c.id = m.contract_id where m.seq % 4 = 0`,
    [o.now],
  );

  // Money: each client is credited what its milestones cost, then every
  // milestone is funded from that balance, ≤ 4000 transfers per call.
  const fundedAt = new Date(o.now.getTime() - 29 * DAY_MS);
  const perClient = await db.query<{ client_id: string; total: number }>(
    `select c.client_id, sum(m.amount)::int8 as total from milestones m join contracts c on c.id = m.contract_id group by c.client_id order by c.client_id`,
  );
  const credits: TransferSpec[] = perClient.rows.map((r) => ({ kind: 'sandbox_credit', from: worldAccount(currency), to: availableAccount(r.client_id, currency), amount: r.total, ref_id: null, description: 'Bench credit' }));
  const rows = await db.query<{ id: string; amount: number; client_id: string }>(`select m.id, m.amount, c.client_id from milestones m join contracts c on c.id = m.contract_id order by m.seq`);
  const funds: TransferSpec[] = rows.rows.map((r) => ({ kind: 'escrow_fund', from: availableAccount(r.client_id, currency), to: escrowAccount(r.id, currency), amount: r.amount, ref_id: r.id, description: 'Bench fund' }));
  let ledgerCalls = 0;
  for (const specs of [credits, funds]) {
    for (let i = 0; i < specs.length; i += TRANSFERS_PER_CALL) {
      await db.transaction((tx) => postTransfers(tx, fundedAt, specs.slice(i, i + TRANSFERS_PER_CALL)));
      ledgerCalls++;
    }
  }
  return { contracts, clients, freelancers, ledgerCalls };
}
