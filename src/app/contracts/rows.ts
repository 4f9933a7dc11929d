// Contract and milestone rows, how they are loaded (and locked), and the
// contract and milestone objects of API.md. Money on a milestone is derived
// from the ledger, never stored twice.

import { notFound } from '../../domain/errors.ts';
import type { MilestoneState } from '../../domain/milestone.ts';
import type { Currency } from '../../domain/money.ts';
import type { Queryable, Tx } from '../../db/port.ts';

export type ContractStatus = 'offered' | 'active' | 'declined' | 'ended';
export type Party = 'client' | 'freelancer';

export interface ContractRow {
  id: string;
  title: string;
  description: string;
  status: ContractStatus;
  currency: Currency;
  client_id: string;
  freelancer_id: string;
  client_name: string;
  freelancer_name: string;
  created_at: Date;
  accepted_at: Date | null;
  ended_at: Date | null;
}

export interface MilestoneRow {
  id: string;
  contract_id: string;
  position: number;
  title: string;
  amount: number;
  currency: Currency;
  status: MilestoneState;
  due_date: string | null;
  review_due_at: Date | null;
  refund_due_at: Date | null;
  funded_at: Date | null;
  created_at: Date;
  paused_state: MilestoneState | null;
  paused_remaining_ms: number | null;
}

export interface MilestoneMoney {
  escrow: number;
  released: number;
  refunded: number;
  bonus: number;
}

export const CONTRACT_SELECT = `select c.id, c.title, c.description, c.status, c.currency, c.client_id, c.freelancer_id,
  cu.name as client_name, fu.name as freelancer_name, c.created_at, c.accepted_at, c.ended_at
  from contracts c join users cu on cu.id = c.client_id join users fu on fu.id = c.freelancer_id`;
const MILESTONE_COLUMNS = `m.id, m.contract_id, m.position, m.title, m.amount, m.currency, m.status, to_char(m.due_date, 'YYYY-MM-DD') as due_date,
  m.review_due_at, m.refund_due_at, m.funded_at, m.created_at, m.paused_state, m.paused_remaining_ms`;

export function partyOf(contract: Pick<ContractRow, 'client_id' | 'freelancer_id'>, userId: string): Party | undefined {
  if (contract.client_id === userId) return 'client';
  if (contract.freelancer_id === userId) return 'freelancer';
  return undefined;
}

/** The contract if `userId` is a party to it; 404 otherwise (a stranger learns nothing). */
export async function loadContractFor(q: Queryable, contractId: string, userId: string, options: { lock?: boolean } = {}) {
  // `no key update`: a stronger lock would also block the foreign-key checks of
  // other transactions' inserts that name this contract (events of an approval
  // or a sweep holding one of its milestones): a deadlock with ending a contract.
  const result = await q.query<ContractRow>(`${CONTRACT_SELECT} where c.id = $1 ${options.lock ? 'for no key update of c' : ''}`, [contractId]);
  const contract = result.rows[0];
  const party = contract && partyOf(contract, userId);
  if (!contract || !party) throw notFound('contract', 'id');
  return { contract, party };
}

/** The milestone and its contract if `userId` is a party; the milestone row locked when asked. */
export async function loadMilestoneFor(q: Queryable | Tx, milestoneId: string, userId: string, options: { lock?: boolean } = {}) {
  const result = await q.query<MilestoneRow>(`select ${MILESTONE_COLUMNS} from milestones m where m.id = $1 ${options.lock ? 'for no key update' : ''}`, [milestoneId]);
  const milestone = result.rows[0];
  if (!milestone) throw notFound('milestone', 'id');
  const contracts = await q.query<ContractRow>(`${CONTRACT_SELECT} where c.id = $1`, [milestone.contract_id]);
  const contract = contracts.rows[0]!;
  const party = partyOf(contract, userId);
  if (!party) throw notFound('milestone', 'id');
  return { milestone, contract, party };
}

export async function milestonesOf(q: Queryable, contractIds: readonly string[], options: { lock?: boolean } = {}): Promise<MilestoneRow[]> {
  if (contractIds.length === 0) return [];
  const result = await q.query<MilestoneRow>(
    `select ${MILESTONE_COLUMNS} from milestones m where m.contract_id = any($1::text[]) order by m.contract_id, m.position ${options.lock ? 'for no key update' : ''}`,
    [contractIds],
  );
  return result.rows;
}

/**
 * Escrow, released (gross, fee included), refunded and bonus amounts per
 * milestone, from the ledger: every transfer about a milestone carries its id.
 */
export async function moneyOf(q: Queryable, milestoneIds: readonly string[]): Promise<Map<string, MilestoneMoney>> {
  const money = new Map<string, MilestoneMoney>(milestoneIds.map((id) => [id, { escrow: 0, released: 0, refunded: 0, bonus: 0 }]));
  if (milestoneIds.length === 0) return money;
  const result = await q.query<{ ref_id: string; kind: string; from_kind: string; total: number }>(
    `select t.ref_id, t.kind, a.kind as from_kind, sum(t.amount)::int8 as total
       from transfers t join accounts a on a.id = t.debit_account_id
      where t.ref_id = any($1::text[])
      group by t.ref_id, t.kind, a.kind`,
    [milestoneIds],
  );
  for (const row of result.rows) {
    const m = money.get(row.ref_id)!;
    if (row.kind === 'escrow_fund') m.escrow += row.total;
    else if (row.from_kind === 'escrow') {
      m.escrow -= row.total;
      if (row.kind === 'escrow_refund') m.refunded += row.total;
      else m.released += row.total;
    } else if (row.kind === 'bonus' || row.kind === 'service_fee') m.bonus += row.total;
  }
  return money;
}

interface SubmissionRow {
  milestone_id: string;
  message: string;
  file_ids: string[];
  submitted_at: Date;
}
interface ChangeRequestRow {
  milestone_id: string;
  message: string;
  requested_at: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** `dispute`: the milestone's latest dispute, open or not, so its page can link to it. */
export function toMilestoneObject(m: MilestoneRow, money: MilestoneMoney, submissions: SubmissionRow[], changes: ChangeRequestRow[], dispute: string | null) {
  return {
    id: m.id,
    object: 'milestone' as const,
    contract: m.contract_id,
    position: m.position,
    title: m.title,
    amount: m.amount,
    currency: m.currency,
    status: m.status,
    due_date: m.due_date,
    escrow_amount: money.escrow,
    released_amount: money.released,
    refunded_amount: money.refunded,
    bonus_amount: money.bonus,
    review_due_at: iso(m.review_due_at),
    refund_due_at: iso(m.refund_due_at),
    funded_at: iso(m.funded_at),
    dispute,
    submissions: submissions.map((s) => ({ message: s.message, file_ids: s.file_ids, submitted_at: s.submitted_at.toISOString() })),
    change_requests: changes.map((c) => ({ message: c.message, requested_at: c.requested_at.toISOString() })),
    created_at: m.created_at.toISOString(),
  };
}
export type MilestoneObject = ReturnType<typeof toMilestoneObject>;

/** Milestone objects with their money, submissions, change requests and disputes, in four queries. */
export async function milestoneObjects(q: Queryable, milestones: readonly MilestoneRow[]): Promise<MilestoneObject[]> {
  const ids = milestones.map((m) => m.id);
  const money = await moneyOf(q, ids);
  const subs = ids.length
    ? (await q.query<SubmissionRow>(`select milestone_id, message, file_ids, submitted_at from submissions where milestone_id = any($1::text[]) order by seq`, [ids])).rows
    : [];
  const disputes = ids.length
    ? (await q.query<{ milestone_id: string; id: string }>(`select distinct on (milestone_id) milestone_id, id from disputes where milestone_id = any($1::text[]) order by milestone_id, seq desc`, [ids])).rows
    : [];
  const changes = ids.length
    ? (await q.query<ChangeRequestRow>(`select milestone_id, message, requested_at from change_requests where milestone_id = any($1::text[]) order by seq`, [ids])).rows
    : [];
  return milestones.map((m) =>
    toMilestoneObject(
      m,
      money.get(m.id)!,
      subs.filter((s) => s.milestone_id === m.id),
      changes.filter((c) => c.milestone_id === m.id),
      disputes.find((d) => d.milestone_id === m.id)?.id ?? null,
    ),
  );
}

export function toContractObject(c: ContractRow, party: Party, milestones: MilestoneObject[]) {
  const sum = (pick: (m: MilestoneObject) => number) => milestones.reduce((total, m) => total + pick(m), 0);
  return {
    id: c.id,
    object: 'contract' as const,
    title: c.title,
    description: c.description,
    status: c.status,
    currency: c.currency,
    client: { id: c.client_id, name: c.client_name },
    freelancer: { id: c.freelancer_id, name: c.freelancer_name },
    your_role: party,
    milestones,
    escrow_amount: sum((m) => m.escrow_amount),
    released_amount: sum((m) => m.released_amount),
    refunded_amount: sum((m) => m.refunded_amount),
    created_at: c.created_at.toISOString(),
    accepted_at: iso(c.accepted_at),
    ended_at: iso(c.ended_at),
  };
}
export type ContractObject = ReturnType<typeof toContractObject>;

export async function contractObject(q: Queryable, contractId: string, userId: string): Promise<ContractObject> {
  const { contract, party } = await loadContractFor(q, contractId, userId);
  return toContractObject(contract, party, await milestoneObjects(q, await milestonesOf(q, [contract.id])));
}

export async function milestoneObject(q: Queryable, milestoneId: string, userId: string): Promise<MilestoneObject> {
  const { milestone } = await loadMilestoneFor(q, milestoneId, userId);
  return (await milestoneObjects(q, [milestone]))[0]!;
}
