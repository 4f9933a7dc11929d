// What every use case is given: the database, the clock, the settings and the
// payment provider. Nothing is global, so tests build as many as they like.

import type { Config } from '../config.ts';
import type { Db } from '../db/port.ts';
import type { Clock } from '../lib/clock.ts';
import type { FileStore } from './files/store.ts';
import type { PaymentProvider } from './payments/provider.ts';

export interface Deps {
  db: Db;
  clock: Clock;
  config: Config;
  payments: PaymentProvider;
  files: FileStore;
}

/** The signed-in caller, as the HTTP layer established it. */
export interface Actor {
  user_id: string;
  role: 'member' | 'staff' | 'arbitrator';
}
