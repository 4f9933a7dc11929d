// Prefixed ids (`usr_…`), Stripe style: 22 base62 characters, the first 8 the
// creation time in milliseconds, the other 14 random (83 bits). The random
// part makes an id unguessable, so ids cannot be enumerated. The time part
// makes ids made together sort together, so a primary-key index grows at its
// right edge instead of at a random leaf: a sweeper batch inserts ~10,000 rows
// and, with random keys, each touched a page of a large index that was often
// not in memory (docs/benchmarks.md). The cost: an id tells its creation time,
// which everyone who may see the object sees anyway (`created_at`); an id
// alone grants nothing (docs/decisions.md).

import { randomBytes, randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_CHARS = 22;

export const ID_PREFIXES = {
  user: 'usr',
  contract: 'ctr',
  milestone: 'ms',
  dispute: 'dsp',
  file: 'file',
  notification: 'ntf',
  payout: 'po',
  event: 'evt',
  account: 'acct',
  transfer: 'tr',
  balance_transaction: 'txn',
  pending_funds: 'pf',
  charge: 'ch',
  message: 'msg',
  webhook_endpoint: 'we',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * Random bytes for ids, drawn from the CSPRNG 4 KiB at a time and each used
 * once: one call per ~180 ids instead of one per id. A sweeper batch makes
 * ~9,000 ids, and a call each was an eighth of its Node time (docs/benchmarks.md).
 */
const ID_POOL_BYTES = 4096;
const idPool = Buffer.alloc(ID_POOL_BYTES);
let idPoolUsed = ID_POOL_BYTES;

function randomIdByte(): number {
  if (idPoolUsed === ID_POOL_BYTES) {
    randomFillSync(idPool);
    idPoolUsed = 0;
  }
  return idPool[idPoolUsed++]!;
}

const TIME_CHARS = 8;
let lastMs = -1;
let lastTimePrefix = '';

/** `ms` in base62, fixed width, so the prefixes sort as the times do (until the year 8888). */
function timePrefix(ms: number): string {
  if (ms !== lastMs) {
    let out = '';
    for (let rest = ms, i = 0; i < TIME_CHARS; i++, rest = Math.floor(rest / 62)) out = ALPHABET[rest % 62] + out;
    lastMs = ms;
    lastTimePrefix = out;
  }
  return lastTimePrefix;
}

export function newId(kind: IdKind): string {
  let out = timePrefix(Date.now());
  // Rejection sampling: bytes >= 248 would bias `% 62` towards the first letters.
  while (out.length < ID_CHARS) {
    const b = randomIdByte();
    if (b < 248) out += ALPHABET[b % 62];
  }
  return `${ID_PREFIXES[kind]}_${out}`;
}

/** Whether `value` looks like an id of `kind` (used to turn malformed ids into 404s early). */
export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-Za-z]{1,64}$`).test(value);
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
