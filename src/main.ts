// `npm start`: reads the settings, builds the web app if it is stale, starts
// Settle, stops cleanly on SIGINT/SIGTERM.

import { ConfigError, loadConfig } from './config.ts';
import { createSettle } from './settle.ts';
import { ensureWebBuilt } from './web/build.ts';

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
  // Normally built at install; rebuilt here only when web/ changed since.
  await ensureWebBuilt();
  const settle = await createSettle(config);
  settle.startSweeper();
  await settle.server.listen({ port: config.port, host: config.host });
  settle.server.log.info(
    { database: settle.deps.db.kind, clock: settle.deps.clock.mode, operator_api: Boolean(config.adminToken) },
    `Settle is serving on ${config.baseUrl}`,
  );
  const stop = async () => {
    await settle.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Settle failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
