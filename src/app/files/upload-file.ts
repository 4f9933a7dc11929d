// POST /v1/files: up to 25 MiB; the type is detected from the content, never
// from the name, and must be on the allow-list of document and image types.

import { createHash } from 'node:crypto';
import { AppError, invalid } from '../../domain/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Deps } from '../deps.ts';

export const FILE_MAX_BYTES = 25 * 1024 * 1024;

/** What may be uploaded: documents and images a dispute needs, nothing executable. */
export const ALLOWED_CONTENT_TYPES = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/zip',
  'text/plain',
]);

/** Plain text has no magic number: valid UTF-8 with no control characters but tab, CR and LF. */
function looksLikeText(bytes: Buffer): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\uFFFD')) return false;
  return !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text);
}

export async function sniffContentType(bytes: Buffer): Promise<string | undefined> {
  // Loaded on first upload, not at start: `npm start` must answer within seconds.
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(bytes);
  if (detected && ALLOWED_CONTENT_TYPES.has(detected.mime)) return detected.mime;
  // Some signatures are a few printable bytes that ordinary text can start with
  // ("The free…" has QuickTime's `free` atom at offset 4): what is all text is text.
  if (looksLikeText(bytes)) return 'text/plain';
  return detected?.mime;
}

/** A file name safe to show and to put in a header: no path, no control characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001F\u007F"]/g, '').trim().slice(0, 255);
  return cleaned || 'file';
}

export interface FileRow {
  id: string;
  owner_id: string;
  filename: string;
  size: number;
  content_type: string;
  sha256: string;
  created_at: Date;
}

export const toFileObject = (f: FileRow) => ({
  id: f.id,
  object: 'file' as const,
  filename: f.filename,
  size: f.size,
  content_type: f.content_type,
  sha256: f.sha256,
  created_at: f.created_at.toISOString(),
});

export async function uploadFile(deps: Deps, o: { user_id: string; filename: string; bytes: Buffer; truncated: boolean }) {
  if (o.truncated || o.bytes.length > FILE_MAX_BYTES) throw new AppError('invalid_request', 'file_too_large', 'Files can be at most 25 MiB.', 'file');
  if (o.bytes.length === 0) throw invalid('file_empty', 'The file is empty.', 'file');
  const contentType = await sniffContentType(o.bytes);
  if (!contentType || !ALLOWED_CONTENT_TYPES.has(contentType)) {
    throw invalid('file_type_not_allowed', 'Upload a PDF, an image (PNG, JPEG, GIF, WebP), an office document, a ZIP archive or plain text.', 'file');
  }
  const sha256 = createHash('sha256').update(o.bytes).digest('hex');
  await deps.files.put(sha256, o.bytes);
  const result = await deps.db.query<FileRow>(
    `insert into files (id, owner_id, filename, size, content_type, sha256, created_at) values ($1, $2, $3, $4, $5, $6, $7)
     returning id, owner_id, filename, size, content_type, sha256, created_at`,
    [newId('file'), o.user_id, cleanFilename(o.filename), o.bytes.length, contentType, sha256, deps.clock.now()],
  );
  return toFileObject(result.rows[0]!);
}
