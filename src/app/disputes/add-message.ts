// POST /v1/disputes/{id}/messages: the parties (and staff, once the dispute is
// in review) add to the record while it is open. Nothing already in the
// record changes.

import { disputeTransition } from '../../domain/dispute.ts';
import { newId } from '../../lib/ids.ts';
import type { Deps } from '../deps.ts';
import { citeFiles } from '../files/file-access.ts';
import type { Role } from '../users/user-object.ts';
import { appendDisputeEvents } from './record.ts';
import { disputeObject, loadDisputeFor } from './rows.ts';

export async function addMessage(deps: Deps, o: { user: { id: string; role: Role }; dispute_id: string; body: string; file_ids?: string[] | undefined }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { dispute, viewer } = await loadDisputeFor(tx, o.dispute_id, o.user, { lock: true });
    disputeTransition(dispute.status, 'message', viewer);
    const messageId = newId('message');
    await citeFiles(tx, now, { author_id: o.user.id, file_ids: o.file_ids ?? [], contract_id: dispute.contract_id, dispute_id: dispute.id, param: 'file_ids' });
    await tx.query(`insert into dispute_messages (id, dispute_id, author_id, author_role, body, file_ids, created_at) values ($1, $2, $3, $4, $5, $6, $7)`, [
      messageId,
      dispute.id,
      o.user.id,
      viewer,
      o.body,
      o.file_ids ?? [],
      now,
    ]);
    await appendDisputeEvents(tx, now, dispute, [{ type: 'dispute.message_added', actor_id: o.user.id, actor_role: viewer, data: { message: messageId, file_ids: o.file_ids ?? [] } }]);
    return disputeObject(tx, dispute.id, o.user, now);
  });
}
