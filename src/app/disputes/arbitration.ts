// Binding arbitration (PRODUCT.md "Disputes" 4–5). After a Notice of
// Non-Resolution each party may opt in within 7 days by paying its fee, which
// the ledger holds per dispute. When both have paid, the fees go to the
// arbitration provider, the least-loaded arbitrator is assigned, and only that
// arbitrator can record the binding award that moves the money.

import { conflict, invalid, notFound } from '../../domain/errors.ts';
import { assertDeadlineNotPassed, disputeTransition, splitEscrow } from '../../domain/dispute.ts';
import { arbitrationFeesAccount, availableAccount, worldAccount } from '../../domain/ledger.ts';
import { newId } from '../../lib/ids.ts';
import type { Tx } from '../../db/port.ts';
import type { Deps } from '../deps.ts';
import { postTransfers } from '../ledger.ts';
import { ensurePayerFunds } from '../payments/pay.ts';
import type { Role } from '../users/user-object.ts';
import { appendDisputeEvents } from './record.ts';
import { resolveDisputes } from './resolve.ts';
import { DISPUTE_SELECT, disputeObject, loadDisputeFor, type DisputeRow } from './rows.ts';

type User = { id: string; role: Role };

export async function optInToArbitration(deps: Deps, o: { user: User; dispute_id: string; payment_method?: string | undefined }) {
  const chargeKey = newId('charge');
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { dispute, viewer } = await loadDisputeFor(tx, o.dispute_id, o.user, { lock: true });
    disputeTransition(dispute.status, 'opt_in', viewer);
    assertDeadlineNotPassed(dispute, now);
    const party = viewer as 'client' | 'freelancer';
    const paid = await tx.query<{ party: string }>('select party from arbitration_opt_ins where dispute_id = $1', [dispute.id]);
    if (paid.rows.some((r) => r.party === party)) throw conflict('arbitration_fee_already_paid', 'You have already paid your arbitration fee.');
    const fee = dispute.arbitration_fee_amount!;
    if (fee > 0) {
      const description = `Arbitration fee for dispute ${dispute.id}`;
      await ensurePayerFunds(deps, tx, { payerId: o.user.id, amount: fee, currency: dispute.currency, paymentMethod: o.payment_method, description, idempotencyKey: chargeKey, now });
      await postTransfers(tx, now, [
        { kind: 'arbitration_fee_hold', from: availableAccount(o.user.id, dispute.currency), to: arbitrationFeesAccount(dispute.id, dispute.currency), amount: fee, ref_id: dispute.id, description },
      ]);
    }
    await tx.query('insert into arbitration_opt_ins (dispute_id, party, user_id, fee_amount, paid_at) values ($1, $2, $3, $4, $5)', [dispute.id, party, o.user.id, fee, now]);
    await appendDisputeEvents(tx, now, dispute, [{ type: 'dispute.arbitration_opt_in', actor_id: o.user.id, actor_role: party, data: { fee_amount: fee, currency: dispute.currency } }]);
    if (paid.rows.length === 1) await startArbitration(tx, now, dispute);
    return disputeObject(tx, dispute.id, o.user, now);
  });
}

/** The arbitrator with the fewest open cases (oldest account first on a tie), or null when there is none. */
async function leastLoadedArbitrator(tx: Tx): Promise<string | null> {
  const r = await tx.query<{ id: string }>(
    `select u.id from users u
      where u.role = 'arbitrator'
      order by (select count(*) from disputes d where d.arbitrator_id = u.id and d.status = 'in_arbitration'), u.seq
      limit 1`,
  );
  return r.rows[0]?.id ?? null;
}

async function startArbitration(tx: Tx, now: Date, dispute: DisputeRow): Promise<void> {
  const fees = 2 * dispute.arbitration_fee_amount!;
  if (fees > 0) {
    await postTransfers(tx, now, [
      { kind: 'arbitration_fee_payment', from: arbitrationFeesAccount(dispute.id, dispute.currency), to: worldAccount(dispute.currency), amount: fees, ref_id: dispute.id, description: 'Arbitration fees paid to the arbitration provider' },
    ]);
  }
  const arbitrator = await leastLoadedArbitrator(tx);
  await tx.query(`update disputes set status = 'in_arbitration', arbitration_started_at = $2, arbitrator_id = $3 where id = $1`, [dispute.id, now, arbitrator]);
  await appendDisputeEvents(tx, now, dispute, [{ type: 'dispute.arbitration_started', actor_id: null, actor_role: 'system', data: { fees_paid: fees, arbitrator } }]);
}

export async function recordAward(deps: Deps, o: { user: User; dispute_id: string; freelancer_amount: number; decision: string }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { dispute, viewer } = await loadDisputeFor(tx, o.dispute_id, o.user, { lock: true });
    disputeTransition(dispute.status, 'award', viewer);
    const split = splitEscrow(dispute.escrow_amount, o.freelancer_amount);
    await tx.query(`insert into dispute_awards (dispute_id, arbitrator_id, freelancer_amount, client_amount, decision, decided_at) values ($1, $2, $3, $4, $5, $6)`, [
      dispute.id,
      o.user.id,
      split.freelancer_amount,
      split.client_amount,
      o.decision,
      now,
    ]);
    await appendDisputeEvents(tx, now, dispute, [{ type: 'dispute.award_recorded', actor_id: o.user.id, actor_role: 'arbitrator', data: { ...split } }]);
    await resolveDisputes(tx, now, deps.config.feeBps, [{ dispute, split, kind: 'arbitration_award', actor_id: o.user.id, actor_role: 'arbitrator' }]);
    return disputeObject(tx, dispute.id, o.user, now);
  });
}

/** POST /v1/admin/disputes/{id}/arbitrator: the operator assigns or reassigns a case. */
export async function assignArbitrator(deps: Deps, o: { dispute_id: string; arbitrator_id: string }) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const found = await tx.query<DisputeRow>(`${DISPUTE_SELECT} where d.id = $1 for no key update of d`, [o.dispute_id]);
    const dispute = found.rows[0];
    if (!dispute) throw notFound('dispute', 'id');
    if (dispute.status !== 'in_arbitration') throw conflict('dispute_not_in_arbitration', 'An arbitrator can be assigned only while the dispute is in arbitration.');
    const arbitrator = await tx.query<{ id: string; role: Role }>('select id, role from users where id = $1', [o.arbitrator_id]);
    if (arbitrator.rows[0]?.role !== 'arbitrator') throw invalid('not_an_arbitrator', 'No arbitrator account has this id.', 'arbitrator_id');
    await tx.query('update disputes set arbitrator_id = $2 where id = $1', [dispute.id, o.arbitrator_id]);
    await appendDisputeEvents(tx, now, dispute, [
      { type: 'dispute.arbitrator_assigned', actor_id: null, actor_role: 'operator', data: { arbitrator: o.arbitrator_id, previous: dispute.arbitrator_id } },
    ]);
    return disputeObject(tx, dispute.id, { id: o.arbitrator_id, role: 'arbitrator' }, now);
  });
}
