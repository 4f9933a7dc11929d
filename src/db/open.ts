// The database the settings name: PostgreSQL when DATABASE_URL is set, else
// PGlite under SETTLE_DATA_DIR. Kept apart from the rest of Settle so that
// `npm start` can open it while the application's modules are still loading.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { createPgDb } from './pg.ts';
import { createPgliteDb } from './pglite.ts';
import type { Db } from './port.ts';

export async function openDb(config: Config): Promise<Db> {
  if (config.databaseUrl) return createPgDb({ connectionString: config.databaseUrl });
  const dir = path.resolve(config.dataDir, 'db');
  await mkdir(dir, { recursive: true });
  return createPgliteDb({ dataDir: dir });
}
