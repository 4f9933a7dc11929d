// `npm start`: reads the settings, builds the web app if it is stale, starts
// Settle, stops cleanly on SIGINT/SIGTERM.
//
// Opening the embedded database takes seconds (PostgreSQL compiled to
// WebAssembly, started from the install-time template) and so does loading
// the application's modules; the second happens while the first runs, so a
// first start answers in about half the time (docs/decisions.md).

import { ConfigError, loadConfig } from './config.ts';
import { openDb } from './db/open.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const opening = openDb(config);
  // Awaited below; until then a failure must not count as unhandled.
  opening.catch(() => {});
  const [{ createSettle }, { ensureWebBuilt }] = await Promise.all([import('./settle.ts'), import('./web/build.ts')]);
  // Normally built at install; rebuilt here only when web/ changed since.
  await ensureWebBuilt();
  const db = await opening;
  const settle = await createSettle(config, { db });
  settle.startSweeper();
  await settle.server.listen({ port: config.port, host: config.host });
  settle.server.log.info(
    { database: settle.deps.db.kind, clock: settle.deps.clock.mode, operator_api: Boolean(config.adminToken) },
    `Settle is serving on ${config.baseUrl}`,
  );
  const stop = async () => {
    await settle.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Settle failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
