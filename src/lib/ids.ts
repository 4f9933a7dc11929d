// Prefixed random ids (`usr_…`), Stripe style. 16 random bytes in base62 are
// unguessable, so an id leaks nothing and cannot be enumerated.

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

export function newId(kind: IdKind): string {
  let out = '';
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
