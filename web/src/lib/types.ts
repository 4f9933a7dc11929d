// The API's objects as the web app reads them (API.md; the server's zod
// schemas in src/http are the source of truth and are checked in tests).

import type { Currency } from '../../../src/domain/money.ts';
import type { MilestoneState } from '../../../src/domain/milestone.ts';
import type { DisputeState } from '../../../src/domain/dispute.ts';

export type { Currency, MilestoneState, DisputeState };

export interface List<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

export type Role = 'member' | 'staff' | 'arbitrator';

export interface User {
  id: string;
  object: 'user';
  email: string;
  name: string;
  role: Role;
  time_zone: string;
  country: string | null;
  created_at: string;
}

export interface Session {
  object: 'session';
  token: string;
  csrf_token: string;
  user: User;
}

export interface Clock {
  object: 'clock';
  now: string;
  mode: 'system' | 'manual';
}

export interface AmountEntry {
  amount: number;
  currency: Currency;
}

export interface Balance {
  object: 'balance';
  available: AmountEntry[];
  pending: AmountEntry[];
  in_escrow: AmountEntry[];
}

export interface BalanceTransaction {
  id: string;
  object: 'balance_transaction';
  amount: number;
  currency: Currency;
  balance_type: 'available' | 'pending';
  balance_after: number;
  type: string;
  description: string;
  source: string | null;
  transfer: string;
  created_at: string;
}

export interface Payout {
  id: string;
  object: 'payout';
  amount: number;
  currency: Currency;
  status: 'paid';
  created_at: string;
}

export interface Party {
  id: string;
  name: string;
}

export interface Milestone {
  id: string;
  object: 'milestone';
  contract: string;
  position: number;
  title: string;
  amount: number;
  currency: Currency;
  status: MilestoneState;
  due_date: string | null;
  escrow_amount: number;
  released_amount: number;
  refunded_amount: number;
  bonus_amount: number;
  review_due_at: string | null;
  refund_due_at: string | null;
  funded_at: string | null;
  dispute: string | null;
  submissions: Array<{ message: string; file_ids: string[]; submitted_at: string }>;
  change_requests: Array<{ message: string; requested_at: string }>;
  created_at: string;
}

export type ContractStatus = 'offered' | 'active' | 'declined' | 'ended';

export interface Contract {
  id: string;
  object: 'contract';
  title: string;
  description: string;
  status: ContractStatus;
  currency: Currency;
  client: Party;
  freelancer: Party;
  your_role: 'client' | 'freelancer';
  milestones: Milestone[];
  escrow_amount: number;
  released_amount: number;
  refunded_amount: number;
  created_at: string;
  accepted_at: string | null;
  ended_at: string | null;
}

export interface DisputeMessage {
  id: string;
  author: { id: string; name: string; role: string };
  body: string;
  file_ids: string[];
  created_at: string;
}

export interface Dispute {
  id: string;
  object: 'dispute';
  contract: string;
  milestone: string;
  contract_title: string;
  milestone_title: string;
  client: Party;
  freelancer: Party;
  status: DisputeState;
  currency: Currency;
  amount_requested: number;
  escrow_amount: number;
  reason_code: string;
  description: string;
  file_ids: string[];
  filed_at: string;
  response_due_at: string;
  response: { decision: 'approved' | 'declined'; reason_code: string | null; description: string | null; file_ids: string[]; responded_at: string } | null;
  review_started_at: string | null;
  proposal_target_at: string | null;
  review_overdue: boolean;
  proposal: {
    freelancer_amount: number;
    client_amount: number;
    explanation: string;
    issued_at: string;
    due_at: string;
    freelancer_decision: 'accepted' | 'rejected' | null;
    client_decision: 'accepted' | 'rejected' | null;
  } | null;
  arbitration: {
    due_at: string;
    fee_amount: number;
    freelancer_paid: boolean;
    client_paid: boolean;
    started_at: string | null;
    arbitrator: Party | null;
    award: { freelancer_amount: number; client_amount: number; decision: string; decided_at: string } | null;
  } | null;
  outcome: { kind: string; freelancer_amount: number; client_amount: number; resolved_at: string } | null;
  next_deadline: { kind: string; due_at: string; party: string } | null;
  messages: DisputeMessage[];
  events_hash: string;
}

export interface DisputeEvent {
  id: string;
  object: 'event';
  seq: number;
  type: string;
  actor: { id: string; role: string } | null;
  data: Record<string, unknown>;
  created_at: string;
  prev_hash: string;
  hash: string;
}

export interface FileObject {
  id: string;
  object: 'file';
  filename: string;
  size: number;
  content_type: string;
  sha256: string;
  created_at: string;
}

export interface Notification {
  id: string;
  object: 'notification';
  type: string;
  subject: string;
  body: string;
  action: string | null;
  link: string;
  deadline_at: string | null;
  contract: string | null;
  dispute: string | null;
  read_at: string | null;
  created_at: string;
}

export interface NotificationList extends List<Notification> {
  unread_count: number;
}

/** Who the viewer is in a dispute. */
export type DisputeViewer = 'client' | 'freelancer' | 'staff' | 'arbitrator';
