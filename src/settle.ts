// Assembles a running Settle from a Config: database (PostgreSQL when
// DATABASE_URL is set, else PGlite under SETTLE_DATA_DIR), migrations, clock,
// payment provider, HTTP server and the deadline sweeper.

import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { Deps } from './app/deps.ts';
import { createDiskFileStore } from './app/files/store.ts';
import { createSandboxProvider, type PaymentProvider } from './app/payments/provider.ts';
import { loadManualClock } from './app/sandbox/clock.ts';
import { migrate } from './db/migrate.ts';
import { openDb } from './db/open.ts';
import type { Db } from './db/port.ts';
import { buildServer } from './http/server.ts';
import { sweepDue, type Rule } from './jobs/engine.ts';
import { RULES } from './jobs/rules/index.ts';
import { SystemClock } from './lib/clock.ts';
import { dispatchOutbox, fetchWebhookSender, type Channels } from './jobs/outbox.ts';
import { createFileTransport, createSmtpTransport } from './notify/transport.ts';

export interface Settle {
  deps: Deps;
  rules: readonly Rule[];
  server: FastifyInstance;
  /** Where email and webhooks go. */
  channels: Channels;
  /** Starts the background sweeper (system clock only: the sandbox clock sweeps as it advances) and the outbox dispatcher (always). */
  startSweeper(): void;
  close(): Promise<void>;
}

export interface CreateSettleOptions {
  /** An open database to use instead of the one the config names (tests, `npm start`); its opener closes it. */
  db?: Db;
  payments?: PaymentProvider;
  channels?: Channels;
  checkResponses?: boolean;
}

/** How often the sweeper looks for due rules with the system clock, and the dispatcher for due deliveries. */
const SWEEP_INTERVAL_MS = 1000;
const DISPATCH_INTERVAL_MS = 1000;

export async function createSettle(config: Config, options: CreateSettleOptions = {}): Promise<Settle> {
  const db = options.db ?? (await openDb(config));
  await migrate(db);
  const clock = config.clock === 'manual' ? await loadManualClock(db, config.clockStart) : new SystemClock();
  const files = createDiskFileStore(path.resolve(config.dataDir, 'files'));
  const deps: Deps = { db, clock, config, payments: options.payments ?? createSandboxProvider(), files };
  const rules = RULES;
  const server = await buildServer({ deps, rules, checkResponses: options.checkResponses ?? false, logLevel: config.logLevel });

  const channels: Channels = options.channels ?? {
    mail: config.smtpUrl ? createSmtpTransport(config.smtpUrl) : createFileTransport(path.resolve(config.dataDir, 'mail')),
    webhooks: fetchWebhookSender,
  };
  const timers: NodeJS.Timeout[] = [];
  let working: Promise<unknown> = Promise.resolve();
  /** One job at a time per process: a slow sweep delays the next tick instead of overlapping it. */
  const every = (ms: number, job: () => Promise<unknown>, what: string) => {
    const timer = setInterval(() => {
      working = working.then(job).catch((error: unknown) => server.log.error({ err: error }, `${what} failed`));
    }, ms);
    timer.unref();
    timers.push(timer);
  };
  return {
    deps,
    rules,
    server,
    channels,
    startSweeper() {
      if (timers.length > 0) return;
      if (clock.mode === 'system') every(SWEEP_INTERVAL_MS, () => sweepDue(deps, rules, clock.now()), 'sweep');
      every(DISPATCH_INTERVAL_MS, () => dispatchOutbox(deps, channels), 'outbox dispatch');
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      await working;
      await server.close();
      if (!options.db) await db.close();
    },
  };
}
