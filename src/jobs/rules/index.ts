// Every deadline rule the engine sweeps. Later modules add theirs here.

import type { Rule } from '../engine.ts';
import { idempotencyExpiryRule, sessionExpiryRule, signInFailureExpiryRule } from './housekeeping.ts';
import { refundWindowRule, reviewWindowRule } from './milestone-windows.ts';
import { pendingHoldRule } from './pending-hold.ts';

export const RULES: readonly Rule[] = [reviewWindowRule, refundWindowRule, pendingHoldRule, idempotencyExpiryRule, signInFailureExpiryRule, sessionExpiryRule];
