// Messages on the record: who wrote (name and role), when, and the files
// they added; and the form for whoever may still add to the record. Nothing
// already in the record changes, so messages are never editable.

import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits.ts';
import { errorFor, FilesField, FormError, TextArea } from '../../components/Form.tsx';
import { Empty, Time } from '../../components/ui.tsx';
import { api } from '../../lib/api.ts';
import { humanize } from '../../lib/format.ts';
import { useAction } from '../../lib/hooks.ts';
import type { Dispute, FileObject } from '../../lib/types.ts';
import type { Done } from './ClientResponse.tsx';
import { FileLinks } from '../../components/FileLinks.tsx';

function roleIn(dispute: Dispute, author: { id: string; role: string }): string {
  if (author.id === dispute.client.id) return 'client';
  if (author.id === dispute.freelancer.id) return 'freelancer';
  return author.role === 'member' ? 'member' : humanize(author.role).toLowerCase();
}

function MessageForm({ dispute, onDone }: { dispute: Dispute; onDone: Done }) {
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<FileObject[]>([]);
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run((key) => api.post<Dispute>(`/v1/disputes/${dispute.id}/messages`, { body, file_ids: files.map((f) => f.id) }, { idempotencyKey: key }));
    if (ok) {
      setBody('');
      setFiles([]);
      onDone('Your message was added to the record.');
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Add to the record" className="message-form">
      <TextArea label="Message" value={body} onValue={setBody} maxLength={LIMITS.message_max_chars} rows={3} error={errorFor(action.error, 'body')} />
      <FilesField label="Attachments" files={files} onFiles={setFiles} error={errorFor(action.error, 'file_ids')} />
      <FormError error={action.error} fields={['body', 'file_ids']} />
      <button type="submit" className="button" disabled={action.pending}>
        Add message
      </button>
    </form>
  );
}

export function Messages({ dispute, canPost, onDone }: { dispute: Dispute; canPost: boolean; onDone: Done }) {
  return (
    <section className="card" aria-labelledby="messages-heading">
      <h2 id="messages-heading">Messages</h2>
      {dispute.messages.length === 0 ? (
        <Empty>No messages yet.</Empty>
      ) : (
        <ol className="messages">
          {dispute.messages.map((m) => (
            <li key={m.id}>
              <p className="message-meta">
                <strong>{m.author.name}</strong> <span className="muted">({roleIn(dispute, m.author)})</span> · <Time at={m.created_at} />
              </p>
              <p className="statement-text">{m.body}</p>
              <FileLinks ids={m.file_ids} label={`Files from ${m.author.name}`} />
            </li>
          ))}
        </ol>
      )}
      {canPost && <MessageForm dispute={dispute} onDone={onDone} />}
    </section>
  );
}
