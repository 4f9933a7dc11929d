// GET /v1/disputes: what the caller may see. Parties: disputes on their
// contracts, newest first. Staff: the review queue, every dispute that reached
// review, oldest first (with `review_overdue` flagging those past the 2-day
// target). Arbitrators: their assigned cases, newest first.

import type { DisputeState } from '../../domain/dispute.ts';
import type { Deps } from '../deps.ts';
import { badCursor, pageLimit, toList, type PageOptions } from '../pagination.ts';
import type { Role } from '../users/user-object.ts';
import { DISPUTE_SELECT, disputeParts, toDisputeObject, type DisputeRow } from './rows.ts';

export async function listDisputes(deps: Deps, user: { id: string; role: Role }, o: PageOptions & { status?: DisputeState | undefined }) {
  const limit = pageLimit(o);
  const now = deps.clock.now();
  const visible =
    // Every branch names $1, so PostgreSQL can type it whichever is used.
    user.role === 'staff' ? '(d.review_started_at is not null and $1::text is not null)' : user.role === 'arbitrator' ? 'd.arbitrator_id = $1' : '(c.client_id = $1 or c.freelancer_id = $1)';
  const queue = user.role === 'staff';
  let cursor: { seq: number; review_started_at: Date | null } | null = null;
  if (o.starting_after) {
    const found = await deps.db.query<{ seq: number; review_started_at: Date | null }>(
      `select d.seq, d.review_started_at from disputes d join contracts c on c.id = d.contract_id where d.id = $2 and ${visible}`,
      [user.id, o.starting_after],
    );
    cursor = found.rows[0] ?? badCursor();
  }
  const after = queue
    ? '($5::int8 is null or (d.review_started_at, d.seq) > ($4::timestamptz, $5::int8))'
    : '($5::int8 is null or d.seq < $5::int8) and $4::timestamptz is null';
  const result = await deps.db.query<DisputeRow>(
    `${DISPUTE_SELECT}
      where ${visible} and ($2::text is null or d.status = $2) and ${after}
      order by ${queue ? 'd.review_started_at, d.seq' : 'd.seq desc'} limit $3`,
    [user.id, o.status ?? null, limit + 1, queue ? (cursor?.review_started_at ?? null) : null, cursor?.seq ?? null],
  );
  const page = result.rows.slice(0, limit);
  const objects = new Map<string, ReturnType<typeof toDisputeObject>>();
  for (const d of page) objects.set(d.id, toDisputeObject(d, await disputeParts(deps.db, d), now));
  return toList(result.rows, limit, (d) => objects.get(d.id)!);
}
