// Files cited in a submission, statement or message: name and size from the file's
// metadata (GET /v1/files/:id), each a download link to its content.

import { api } from '../lib/api.ts';
import { formatBytes } from '../lib/format.ts';
import { useResource } from '../lib/hooks.ts';
import type { FileObject } from '../lib/types.ts';

function FileLink({ id }: { id: string }) {
  const meta = useResource(`file:${id}`, () => api.get<FileObject>(`/v1/files/${encodeURIComponent(id)}`));
  const href = `/v1/files/${encodeURIComponent(id)}/content`;
  if (meta.error) return <span className="muted">{id} (not available to you)</span>;
  return (
    <>
      <a href={href} download={meta.data?.filename}>
        {meta.data?.filename ?? id}
      </a>{' '}
      {meta.data && <span className="muted">{formatBytes(meta.data.size)}</span>}
    </>
  );
}

export function FileLinks({ ids, label = 'Files' }: { ids: string[]; label?: string }) {
  if (ids.length === 0) return null;
  return (
    <ul className="file-list" aria-label={label}>
      {ids.map((id) => (
        <li key={id}>
          <FileLink id={id} />
        </li>
      ))}
    </ul>
  );
}
