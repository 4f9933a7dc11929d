// A cited file as a download link with its name and size (GET /v1/files/:id
// gives the metadata; the link goes to its content).

import { api } from '../../lib/api.ts';
import { formatBytes } from '../../lib/format.ts';
import { useResource } from '../../lib/hooks.ts';
import type { FileObject } from '../../lib/types.ts';

export function FileLink({ id }: { id: string }) {
  const { data, error } = useResource(`file:${id}`, () => api.get<FileObject>(`/v1/files/${id}`));
  const href = `/v1/files/${encodeURIComponent(id)}/content`;
  if (error) return <span className="muted">File {id} (not available)</span>;
  return (
    <a href={href} download={data?.filename}>
      {data ? data.filename : id}
      {data && <span className="muted"> ({formatBytes(data.size)})</span>}
    </a>
  );
}

export function FileList({ ids }: { ids: readonly string[] }) {
  if (ids.length === 0) return null;
  return (
    <ul className="file-list" aria-label="Files">
      {ids.map((id) => (
        <li key={id}>
          <FileLink id={id} />
        </li>
      ))}
    </ul>
  );
}
