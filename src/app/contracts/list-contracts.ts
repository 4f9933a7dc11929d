// GET /v1/contracts: the caller's contracts as client or freelancer (All
// Contracts), newest first, filtered by status, with their milestones.

import type { Deps } from '../deps.ts';
import { cursorSeq, pageLimit, toList, type PageOptions } from '../pagination.ts';
import { CONTRACT_SELECT, milestoneObjects, milestonesOf, partyOf, toContractObject, type ContractRow, type ContractStatus } from './rows.ts';

export async function listContracts(deps: Deps, userId: string, o: PageOptions & { status?: ContractStatus | undefined }) {
  const limit = pageLimit(o);
  const beforeSeq = await cursorSeq(deps.db, o.starting_after, 'select seq from contracts where id = $1 and (client_id = $2 or freelancer_id = $2)', [userId]);
  const result = await deps.db.query<ContractRow>(
    `${CONTRACT_SELECT}
      where (c.client_id = $1 or c.freelancer_id = $1) and ($2::text is null or c.status = $2) and ($3::int8 is null or c.seq < $3)
      order by c.seq desc limit $4`,
    [userId, o.status ?? null, beforeSeq, limit + 1],
  );
  const page = result.rows.slice(0, limit);
  const milestones = await milestoneObjects(deps.db, await milestonesOf(deps.db, page.map((c) => c.id)));
  return toList(result.rows, limit, (c) => toContractObject(c, partyOf(c, userId)!, milestones.filter((m) => m.contract === c.id)));
}
