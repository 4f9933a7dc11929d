// Where file bytes live: content-addressed by SHA-256, so the same bytes are
// stored once and a stored file can never change under its name. Behind an
// interface so an object store can implement it later.

import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomToken } from '../../lib/ids.ts';

export interface FileStore {
  put(sha256: string, bytes: Buffer): Promise<void>;
  get(sha256: string): Promise<Buffer>;
}

export function createDiskFileStore(root: string): FileStore {
  const where = (sha: string) => path.join(root, sha.slice(0, 2), sha);
  return {
    async put(sha, bytes) {
      const target = where(sha);
      try {
        await stat(target);
        return; // same content already stored
      } catch {
        // not stored yet
      }
      await mkdir(path.dirname(target), { recursive: true });
      const partial = `${target}.${randomToken(6)}.tmp`;
      await writeFile(partial, bytes, { flag: 'wx' });
      await rename(partial, target);
    },
    get: (sha) => readFile(where(sha)),
  };
}
