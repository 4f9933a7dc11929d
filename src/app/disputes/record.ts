// The dispute's record: its events form a hash chain (API.md "event"). Each
// event's `hash` is SHA-256 of `prev_hash` followed by the event without its
// `hash` in RFC 8785 canonical JSON; the first `prev_hash` is 64 zeros. The
// chain head lives on the dispute row, which the caller has locked, so two
// transactions can never append to the same chain at once; a unique index on
// (dispute_id, dispute_seq) is the database's own guarantee.

import { createHash } from 'node:crypto';
import { assert } from '../../domain/errors.ts';
import type { Tx } from '../../db/port.ts';
import { canonicalJson } from '../../lib/canonical-json.ts';
import { newId } from '../../lib/ids.ts';
import type { EventActorRole } from '../events.ts';
import { notifyEvents } from '../notify/enqueue.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  id: string;
  object: 'event';
  seq: number;
  type: string;
  actor: { id: string; role: EventActorRole } | null;
  data: Record<string, unknown>;
  created_at: string;
  prev_hash: string;
  hash: string;
}

export function eventHash(event: Omit<ChainedEvent, 'hash'>): string {
  return createHash('sha256').update(event.prev_hash + canonicalJson(event), 'utf8').digest('hex');
}

export interface NewDisputeEvent {
  type: string;
  actor_id: string | null;
  actor_role: EventActorRole;
  data: Record<string, unknown>;
}

/** Which dispute (and so which contract and milestone) the events belong to. */
export interface DisputeRef {
  id: string;
  contract_id: string;
  milestone_id: string;
}

/**
 * Appends events to the dispute's chain. The caller holds the dispute row's
 * lock (`for update`) in this transaction.
 */
export async function appendDisputeEvents(tx: Tx, now: Date, dispute: DisputeRef, events: readonly NewDisputeEvent[]): Promise<ChainedEvent[]> {
  const current = await tx.query<{ event_count: number; last_hash: string }>('select event_count, last_hash from disputes where id = $1', [dispute.id]);
  assert(current.rows[0], 'the dispute exists');
  let { event_count: seq, last_hash: prev } = current.rows[0];
  const created: ChainedEvent[] = [];
  for (const e of events) {
    seq += 1;
    // Round-tripped through JSON so the hash covers exactly what jsonb stores and the API returns.
    const data = JSON.parse(canonicalJson(e.data)) as Record<string, unknown>;
    const unhashed = {
      id: newId('event'),
      object: 'event' as const,
      seq,
      type: e.type,
      actor: e.actor_id ? { id: e.actor_id, role: e.actor_role } : null,
      data,
      created_at: now.toISOString(),
      prev_hash: prev,
    };
    const hash = eventHash(unhashed);
    await tx.query(
      `insert into events (id, type, contract_id, milestone_id, dispute_id, dispute_seq, actor_id, actor_role, data, created_at, prev_hash, hash)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)`,
      [unhashed.id, e.type, dispute.contract_id, dispute.milestone_id, dispute.id, seq, e.actor_id, e.actor_role, canonicalJson(data), now, prev, hash],
    );
    created.push({ ...unhashed, hash });
    prev = hash;
  }
  await tx.query('update disputes set event_count = $2, last_hash = $3 where id = $1', [dispute.id, seq, prev]);
  await notifyEvents(
    tx,
    now,
    created.map((e) => ({ id: e.id, type: e.type, actor_role: e.actor?.role ?? null, data: e.data, contract_id: dispute.contract_id, milestone_id: dispute.milestone_id, dispute_id: dispute.id, created_at: now })),
  );
  return created;
}

/** The chain as stored, oldest first, in the API's shape. */
export async function disputeEvents(q: Pick<Tx, 'query'>, disputeId: string): Promise<ChainedEvent[]> {
  const rows = await q.query<{ id: string; dispute_seq: number; type: string; actor_id: string | null; actor_role: EventActorRole; data: Record<string, unknown>; created_at: Date; prev_hash: string; hash: string }>(
    `select id, dispute_seq, type, actor_id, actor_role, data, created_at, prev_hash, hash from events where dispute_id = $1 order by dispute_seq`,
    [disputeId],
  );
  return rows.rows.map((r) => ({
    id: r.id,
    object: 'event' as const,
    seq: r.dispute_seq,
    type: r.type,
    actor: r.actor_id ? { id: r.actor_id, role: r.actor_role } : null,
    data: r.data,
    created_at: r.created_at.toISOString(),
    prev_hash: r.prev_hash,
    hash: r.hash,
  }));
}

/** Recomputes the chain; returns the first broken seq, or null when it holds. */
export function verifyChain(events: readonly ChainedEvent[]): number | null {
  let prev = GENESIS_HASH;
  for (const event of events) {
    const { hash, ...rest } = event;
    if (rest.prev_hash !== prev || eventHash(rest) !== hash) return event.seq;
    prev = hash;
  }
  return null;
}
