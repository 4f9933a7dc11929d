// Who may read a file, and citing files in a record. A file is readable by its
// uploader and by whoever may see a record that cites it (the contract's
// parties; for a dispute also staff once it reached review and its
// arbitrator). Only the uploader may cite a file.

import { invalid, notFound } from '../../domain/errors.ts';
import type { Queryable, Tx } from '../../db/port.ts';
import type { Deps } from '../deps.ts';
import type { Role } from '../users/user-object.ts';
import { toFileObject, type FileRow } from './upload-file.ts';

export async function readableFile(q: Queryable, fileId: string, user: { id: string; role: Role }): Promise<FileRow> {
  const result = await q.query<FileRow>(
    `select f.id, f.owner_id, f.filename, f.size, f.content_type, f.sha256, f.created_at from files f
      where f.id = $1 and (
        f.owner_id = $2
        or exists (
          select 1 from file_citations fc
            join contracts c on c.id = fc.contract_id
            left join disputes d on d.id = fc.dispute_id
           where fc.file_id = f.id and (
             c.client_id = $2 or c.freelancer_id = $2
             or ($3 = 'staff' and d.review_started_at is not null)
             or ($3 = 'arbitrator' and d.arbitrator_id = $2))))`,
    [fileId, user.id, user.role],
  );
  if (!result.rows[0]) throw notFound('file', 'id');
  return result.rows[0];
}

export async function getFile(deps: Deps, fileId: string, user: { id: string; role: Role }) {
  return toFileObject(await readableFile(deps.db, fileId, user));
}

export async function getFileContent(deps: Deps, fileId: string, user: { id: string; role: Role }) {
  const file = await readableFile(deps.db, fileId, user);
  return { file, bytes: await deps.files.get(file.sha256) };
}

/** Checks that every id is a file the author uploaded, then records where it is cited. */
export async function citeFiles(tx: Tx, now: Date, o: { author_id: string; file_ids: readonly string[]; contract_id: string; dispute_id: string | null; param: string }): Promise<void> {
  const unique = [...new Set(o.file_ids)];
  if (unique.length !== o.file_ids.length) throw invalid('file_cited_twice', 'A file is listed twice.', o.param);
  if (unique.length === 0) return;
  const owned = await tx.query<{ id: string }>('select id from files where id = any($1::text[]) and owner_id = $2', [unique, o.author_id]);
  const ownedIds = new Set(owned.rows.map((r) => r.id));
  const index = o.file_ids.findIndex((id) => !ownedIds.has(id));
  if (index >= 0) throw invalid('file_not_found', `No file ${o.file_ids[index]} of yours: upload it first with POST /v1/files.`, `${o.param}[${index}]`);
  await tx.query(
    `insert into file_citations (file_id, contract_id, dispute_id, cited_at) select f, $2, $3, $4 from unnest($1::text[]) as f`,
    [unique, o.contract_id, o.dispute_id, now],
  );
}
