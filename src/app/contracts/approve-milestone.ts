// POST /v1/milestones/{id}/approve: the client releases escrow, in full
// (default), in part (the rest gets a 7-day refund request), and optionally a
// bonus on top, charged and released at once. Every release pays the service
// fee; the freelancer's share waits out the 5-day hold.

import { invalid } from '../../domain/errors.ts';
import { availableAccount, feesAccount, pendingAccount } from '../../domain/ledger.ts';
import { decideApproval, transition } from '../../domain/milestone.ts';
import { newId } from '../../lib/ids.ts';
import type { Deps } from '../deps.ts';
import { appendEvents, type NewEvent } from '../events.ts';
import { postTransfers } from '../ledger.ts';
import { holdPending } from '../money/hold-pending.ts';
import { ensurePayerFunds } from '../payments/pay.ts';
import { moveEscrow, splitRelease, updateMilestones } from './escrow.ts';
import { loadMilestoneFor, milestoneObject, moneyOf } from './rows.ts';

export interface ApproveMilestoneOptions {
  user_id: string;
  milestone_id: string;
  amount?: number | undefined;
  bonus?: number | undefined;
  payment_method?: string | undefined;
}

export async function approveMilestone(deps: Deps, o: ApproveMilestoneOptions) {
  const chargeKey = newId('charge');
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { milestone, contract, party } = await loadMilestoneFor(tx, o.milestone_id, o.user_id, { lock: true });
    transition(milestone.status, 'approve', party);
    const { escrow } = (await moneyOf(tx, [milestone.id])).get(milestone.id)!;
    const amount = o.amount ?? escrow;
    if (amount > escrow) throw invalid('amount_exceeds_escrow', `At most ${escrow} can be released: that is what the milestone holds in escrow.`, 'amount');
    const decision = decideApproval({ state: milestone.status, escrow, amount, refund_due_at: milestone.refund_due_at, now });

    const [released] = await moveEscrow(tx, now, deps.config.feeBps, [
      { milestone_id: milestone.id, currency: milestone.currency, client_id: contract.client_id, freelancer_id: contract.freelancer_id, release: amount, refund: 0 },
    ]);
    const events: NewEvent[] = [
      {
        type: 'milestone.released',
        contract_id: contract.id,
        milestone_id: milestone.id,
        actor_id: o.user_id,
        actor_role: 'client',
        data: { amount, fee: released!.fee, net: released!.net, currency: milestone.currency, full: decision.next === 'paid' },
      },
    ];

    if (o.bonus) {
      const description = `Bonus on "${milestone.title}" (${contract.title})`;
      await ensurePayerFunds(deps, tx, { payerId: o.user_id, amount: o.bonus, currency: milestone.currency, paymentMethod: o.payment_method, description, idempotencyKey: chargeKey, now });
      const { fee, net } = splitRelease(o.bonus, deps.config.feeBps);
      const client = availableAccount(contract.client_id, milestone.currency);
      const posted = await postTransfers(tx, now, [
        ...(net > 0 ? [{ kind: 'bonus' as const, from: client, to: pendingAccount(contract.freelancer_id, milestone.currency), amount: net, ref_id: milestone.id, description }] : []),
        ...(fee > 0 ? [{ kind: 'service_fee' as const, from: client, to: feesAccount(milestone.currency), amount: fee, ref_id: milestone.id, description: 'Service fee on bonus' }] : []),
      ]);
      if (net > 0) await holdPending(tx, now, [{ user_id: contract.freelancer_id, currency: milestone.currency, amount: net, transfer_id: posted[0]!.id }]);
      events.push({ type: 'milestone.bonus_paid', contract_id: contract.id, milestone_id: milestone.id, actor_id: o.user_id, actor_role: 'client', data: { amount: o.bonus, fee, net, currency: milestone.currency } });
    }

    await updateMilestones(tx, now, [{ id: milestone.id, expected: milestone.status, status: decision.next, review_due_at: decision.review_due_at, refund_due_at: decision.refund_due_at }]);
    if (decision.next === 'refund_requested' && milestone.status !== 'refund_requested') {
      events.push({
        type: 'milestone.refund_requested',
        contract_id: contract.id,
        milestone_id: milestone.id,
        actor_id: o.user_id,
        actor_role: 'client',
        data: { amount: escrow - amount, refund_due_at: decision.refund_due_at!.toISOString(), cause: 'partial_approval' },
      });
    }
    await appendEvents(tx, now, events);
    return milestoneObject(tx, milestone.id, o.user_id);
  });
}
