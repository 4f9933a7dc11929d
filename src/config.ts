// Settings (API.md "Running it"), read from the environment once at start and
// validated; a bad value stops the start with a message naming the variable.

import { z } from 'zod';

const rfc3339 = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 timestamp such as 2026-12-01T09:00:00Z');
const integerString = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

const schema = z.object({
  PORT: integerString(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional(),
  SETTLE_DATA_DIR: z.string().min(1).default('./.settle'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  SETTLE_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  SETTLE_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SETTLE_CLOCK: z.enum(['system', 'manual']).default('system'),
  SETTLE_CLOCK_START: rfc3339.optional(),
  SETTLE_FEE_BPS: integerString(0, 10_000).default(1000),
  SETTLE_ARBITRATION_FEE: integerString(0, 100_000_000).default(29_100),
  // log2 of scrypt's cost. 17 is OWASP's recommendation; tests lower it for speed.
  SETTLE_PASSWORD_COST: integerString(12, 20).default(17),
  // Sweeper batches run side by side on PostgreSQL (docs/benchmarks.md); PGlite serves one at a time.
  SETTLE_SWEEP_WORKERS: integerString(1, 16).default(2),
  SETTLE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  smtpUrl: string | undefined;
  baseUrl: string;
  adminToken: string | undefined;
  clock: 'system' | 'manual';
  clockStart: Date | undefined;
  feeBps: number;
  arbitrationFeeMinor: number;
  passwordCostLog2: number;
  /** Sweeper batches run at once on PostgreSQL; PGlite always runs one. */
  sweepWorkers: number;
  logLevel: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Settle cannot start, a setting is wrong:\n${lines.join('\n')}`);
  }
  const s = parsed.data;
  if (s.SETTLE_CLOCK_START && s.SETTLE_CLOCK !== 'manual') {
    throw new ConfigError('Settle cannot start, a setting is wrong:\n  SETTLE_CLOCK_START: only applies with SETTLE_CLOCK=manual');
  }
  return {
    port: s.PORT,
    host: s.HOST,
    databaseUrl: s.DATABASE_URL,
    dataDir: s.SETTLE_DATA_DIR,
    smtpUrl: s.SMTP_URL,
    baseUrl: (s.SETTLE_BASE_URL ?? `http://localhost:${s.PORT}`).replace(/\/$/, ''),
    adminToken: s.SETTLE_ADMIN_TOKEN,
    clock: s.SETTLE_CLOCK,
    clockStart: s.SETTLE_CLOCK_START ? new Date(s.SETTLE_CLOCK_START) : undefined,
    feeBps: s.SETTLE_FEE_BPS,
    arbitrationFeeMinor: s.SETTLE_ARBITRATION_FEE,
    passwordCostLog2: s.SETTLE_PASSWORD_COST,
    sweepWorkers: s.SETTLE_SWEEP_WORKERS,
    logLevel: s.SETTLE_LOG_LEVEL,
  };
}
