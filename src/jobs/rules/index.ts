// Every deadline rule the engine sweeps.

import type { Rule } from '../engine.ts';
import { arbitrationDeadlineRule, proposalDeadlineRule, responseDeadlineRule } from './dispute-deadlines.ts';
import { idempotencyExpiryRule, sessionExpiryRule, signInFailureExpiryRule } from './housekeeping.ts';
import { refundWindowRule, reviewWindowRule } from './milestone-windows.ts';
import { notificationFanoutRule } from './notification-fanout.ts';
import { pendingHoldRule } from './pending-hold.ts';
import { REMINDER_RULES } from './reminders.ts';

export const RULES: readonly Rule[] = [
  reviewWindowRule,
  refundWindowRule,
  responseDeadlineRule,
  proposalDeadlineRule,
  arbitrationDeadlineRule,
  pendingHoldRule,
  notificationFanoutRule,
  idempotencyExpiryRule,
  signInFailureExpiryRule,
  sessionExpiryRule,
  ...REMINDER_RULES,
];
