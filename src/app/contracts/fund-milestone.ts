// POST /v1/milestones/{id}/fund: the client puts the milestone's amount into
// escrow, from the balance or a card (PRODUCT.md "Money": paying).

import { conflict } from '../../domain/errors.ts';
import { availableAccount, escrowAccount } from '../../domain/ledger.ts';
import { transition } from '../../domain/milestone.ts';
import { newId } from '../../lib/ids.ts';
import type { Deps } from '../deps.ts';
import { appendEvents } from '../events.ts';
import { postTransfers } from '../ledger.ts';
import { ensurePayerFunds } from '../payments/pay.ts';
import { updateMilestones } from './escrow.ts';
import { loadMilestoneFor, milestoneObject } from './rows.ts';

export async function fundMilestone(deps: Deps, o: { user_id: string; milestone_id: string; payment_method?: string | undefined }) {
  // Made once, outside the transaction: a retried transaction asks the provider for the same charge.
  const chargeKey = newId('charge');
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { milestone, contract, party } = await loadMilestoneFor(tx, o.milestone_id, o.user_id, { lock: true });
    const t = transition(milestone.status, 'fund', party);
    if (contract.status !== 'active') throw conflict('contract_not_active', `This contract is ${contract.status}; milestones can be funded once the freelancer has accepted it.`);
    const description = `Fund "${milestone.title}" (${contract.title})`;
    const chargeId = await ensurePayerFunds(deps, tx, {
      payerId: o.user_id,
      amount: milestone.amount,
      currency: milestone.currency,
      paymentMethod: o.payment_method,
      description,
      idempotencyKey: chargeKey,
      now,
    });
    await postTransfers(tx, now, [
      { kind: 'escrow_fund', from: availableAccount(o.user_id, milestone.currency), to: escrowAccount(milestone.id, milestone.currency), amount: milestone.amount, ref_id: milestone.id, description },
    ]);
    await updateMilestones(tx, now, [{ id: milestone.id, expected: milestone.status, status: t.to as 'funded', review_due_at: null, refund_due_at: null }]);
    await tx.query('update milestones set funded_at = $2 where id = $1', [milestone.id, now]);
    await appendEvents(tx, now, [
      {
        type: 'milestone.funded',
        contract_id: contract.id,
        milestone_id: milestone.id,
        actor_id: o.user_id,
        actor_role: 'client',
        data: { amount: milestone.amount, currency: milestone.currency, paid_with: chargeId ? 'card' : 'balance', charge: chargeId },
      },
    ]);
    return milestoneObject(tx, milestone.id, o.user_id);
  });
}
