// Builds the React app (web/) with Vite into web/dist, and tells whether the
// build on disk is older than its sources. `npm install` builds it
// (postinstall), `npm start` and `npm test` rebuild it only when a source
// changed, so a fresh clone needs nothing but `npm install` and `npm start`.

import { readdirSync, statSync, existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIR = path.join(ROOT, 'web');
export const WEB_DIST_DIR = path.join(WEB_DIR, 'dist');
/** The web app imports the domain tables (state machines, limits, money) from here. */
const SOURCES = [path.join(WEB_DIR, 'src'), path.join(WEB_DIR, 'index.html'), path.join(WEB_DIR, 'vite.config.ts'), path.join(ROOT, 'src/domain')];
/** A bound on the files walked when checking freshness; the app has a few dozen. */
const MAX_SOURCE_FILES = 2000;

function newestMtimeMs(entry: string, budget: { files: number }): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) {
    budget.files += 1;
    if (budget.files > MAX_SOURCE_FILES) throw new Error(`more than ${MAX_SOURCE_FILES} web source files`);
    return stat.mtimeMs;
  }
  let newest = 0;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestMtimeMs(path.join(entry, name), budget));
  return newest;
}

/** True when web/dist holds a build at least as new as every source file. */
export function webBuildIsFresh(): boolean {
  const index = path.join(WEB_DIST_DIR, 'index.html');
  if (!existsSync(index)) return false;
  const budget = { files: 0 };
  const newestSource = Math.max(...SOURCES.map((s) => newestMtimeMs(s, budget)));
  return statSync(index).mtimeMs >= newestSource;
}

/**
 * Builds into a temporary folder, then swaps it in, so a server reading
 * web/dist never sees half a build.
 */
export async function buildWeb(options: { quiet?: boolean } = {}): Promise<void> {
  const { build } = await import('vite');
  const staging = path.join(WEB_DIR, `.dist-${process.pid}`);
  await build({
    configFile: path.join(WEB_DIR, 'vite.config.ts'),
    root: WEB_DIR,
    logLevel: options.quiet ? 'warn' : 'info',
    build: { outDir: staging, emptyOutDir: true },
  });
  // Two builds at once (two `npm test` runs) each swap in a complete build; the loser's is dropped.
  const old = path.join(WEB_DIR, `.dist-old-${process.pid}`);
  try {
    if (existsSync(WEB_DIST_DIR)) renameSync(WEB_DIST_DIR, old);
    renameSync(staging, WEB_DIST_DIR);
  } catch (error) {
    if (!existsSync(path.join(WEB_DIST_DIR, 'index.html'))) throw error;
    rmSync(staging, { recursive: true, force: true });
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
}

/** Builds the web app when it is missing or older than its sources. */
export async function ensureWebBuilt(log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<void> {
  if (webBuildIsFresh()) return;
  log('settle: building the web app (web/ → web/dist)…');
  const started = Date.now();
  await buildWeb({ quiet: true });
  log(`settle: web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// `tsx src/web/build.ts` (`npm run build:web`) builds; `--if-stale` only when a source changed (`npm test`).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale')) await ensureWebBuilt();
  else await buildWeb();
}
