// Uploading files through the real multipart path (API.md "Files"): at most
// 25 MiB, the type detected from the content and never from the name or the
// declared type, only documents and images, the name stripped of any path; the
// bytes come back identical with the stored type. A refused upload stores
// nothing.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { cleanFilename } from '../src/app/files/upload-file.ts';
import { CLOCK_START, startSettle, TestApi, type Response } from './support/harness.ts';

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A real one-page PDF, its cross-reference table pointing at the right offsets. */
function tinyPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /Contents 4 0 R >>',
    '<< /Length 0 >>\nstream\n\nendstream',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const PDF = tinyPdf();
/** A valid 1×1 PNG (one opaque pixel). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const TEXT = Buffer.from('Delivery notes\nAll 12 screens were delivered on 2026-11-30 — see the attached brief.\n', 'utf8');
/** The start of a Windows executable: "MZ", the DOS header and its stub. */
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0xb8]), Buffer.alloc(47), Buffer.from('This program cannot be run in DOS mode.')]);
/** The start of a Linux executable: the ELF header of a 64-bit little-endian binary. */
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(8), Buffer.from([0x02, 0x00, 0x3e, 0x00, 0x01, 0x00, 0x00, 0x00]), Buffer.alloc(40)]);

async function member(api: TestApi, name = 'Una Uploader') {
  return api.user(name);
}

const fileCount = async (api: TestApi) => Number((await api.settle.deps.db.query<{ n: string }>('select count(*)::int8 as n from files')).rows[0]!.n);

/** A refused upload: the status, the error code and param, and no file row. */
async function refusedUpload(api: TestApi, label: string, send: () => Promise<Response>, want: { status: number; code?: string; param?: string }) {
  const before = await fileCount(api);
  const res = await send();
  assert.equal(res.status, want.status, `${label}: ${JSON.stringify(res.body)}`);
  if (want.code) assert.equal(res.body.error.code, want.code, label);
  if (want.param) assert.equal(res.body.error.param, want.param, label);
  assert.ok(res.body.error.message, label);
  assert.equal(await fileCount(api), before, `${label}: no file stored`);
  return res;
}

// ---------------------------------------------------------------- accepted uploads

test('a PDF, a PNG and plain text are stored with the type detected from their content, their size and SHA-256, and come back byte for byte', async () => {
  const api = await startSettle();
  const u = await member(api);
  for (const [filename, bytes, type] of [
    ['contract.pdf', PDF, 'application/pdf'],
    ['pixel.png', PNG, 'image/png'],
    ['notes.txt', TEXT, 'text/plain'],
  ] as const) {
    const res = await api.upload(u.token, filename, bytes);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.match(res.body.id, /^file_[0-9A-Za-z]+$/);
    assert.deepEqual({ ...res.body, id: undefined }, { id: undefined, object: 'file', filename, size: bytes.length, content_type: type, sha256: sha256(bytes), created_at: CLOCK_START });
    assert.deepEqual((await api.get(`/v1/files/${res.body.id}`, u.token)).body, res.body);
    const content = await api.get(`/v1/files/${res.body.id}/content`, u.token);
    assert.equal(content.status, 200);
    assert.deepEqual(content.raw, bytes, `${filename}: the same bytes`);
    assert.equal(String(content.headers['content-type']).split(';')[0], type, `${filename}: the stored type`);
    assert.equal(content.headers['x-content-type-options'], 'nosniff');
    assert.equal(content.headers['content-disposition'], `attachment; filename="${filename}"`);
  }
});

test('the type comes from the content, not the name or the declared part type: a PDF named photo.png is a PDF', async () => {
  const api = await startSettle();
  const u = await member(api);
  const pdf = await api.upload(u.token, 'photo.png', PDF, 'image/png');
  assert.equal(pdf.status, 201);
  assert.equal(pdf.body.content_type, 'application/pdf');
  assert.equal(pdf.body.filename, 'photo.png');
  const png = await api.upload(u.token, 'scan.pdf', PNG, 'application/pdf');
  assert.equal(png.body.content_type, 'image/png');
  // Markup is text: stored and served as text/plain, never as something a browser would run.
  const html = await api.upload(u.token, 'page.html', '<!doctype html><script>alert(document.cookie)</script>', 'text/html');
  assert.equal(html.body.content_type, 'text/plain');
  const served = await api.get(`/v1/files/${html.body.id}/content`, u.token);
  assert.equal(String(served.headers['content-type']).split(';')[0], 'text/plain');
  assert.match(String(served.headers['content-disposition']), /^attachment;/);
});

test('plain text that happens to start like a binary signature is still text', async () => {
  const api = await startSettle();
  const u = await member(api);
  // "The free…" carries QuickTime's `free` atom at offset 4; "BM" starts a bitmap.
  for (const text of ['The freelancer delivered every screen.', 'BM: notes from the budget meeting.']) {
    const res = await api.upload(u.token, 'notes.txt', text);
    assert.equal(res.status, 201, `${text}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.content_type, 'text/plain');
  }
});

test('the same bytes uploaded twice are two files with the same SHA-256, both readable', async () => {
  const api = await startSettle();
  const u = await member(api);
  const first = await api.upload(u.token, 'a.pdf', PDF);
  const second = await api.upload(u.token, 'b.pdf', PDF);
  assert.equal(first.status, 201);
  assert.equal(second.status, 201);
  assert.notEqual(first.body.id, second.body.id);
  assert.equal(first.body.sha256, second.body.sha256);
  assert.deepEqual([first.body.filename, second.body.filename], ['a.pdf', 'b.pdf']);
  for (const f of [first, second]) assert.deepEqual((await api.get(`/v1/files/${f.body.id}/content`, u.token)).raw, PDF);
});

test('a file name is stored without any path', async () => {
  const api = await startSettle();
  const u = await member(api);
  for (const [sent, stored] of [
    ['../../etc/passwd.txt', 'passwd.txt'],
    ['/var/tmp/report.txt', 'report.txt'],
    ['C:\\Users\\finn\\Desktop\\report.txt', 'report.txt'],
    ['Prüfbericht – März.txt', 'Prüfbericht – März.txt'],
  ] as const) {
    const res = await api.upload(u.token, sent, TEXT);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.filename, stored, sent);
  }
});

test('cleanFilename keeps the last path segment, drops control characters and quotes, and never returns an empty name', () => {
  // The multipart parser already drops paths; this is the second line of defence, for any other way in.
  const cases: Array<[string, string]> = [
    ['../../etc/passwd.txt', 'passwd.txt'],
    ['C:\\Users\\finn\\report.txt', 'report.txt'],
    ['dir/', 'file'],
    ['', 'file'],
    ['  spaced.txt  ', 'spaced.txt'],
    ['evil"\r\nX-Header: 1.txt', 'evilX-Header: 1.txt'],
    ['tab\there.txt', 'tabhere.txt'],
    [`${'a'.repeat(300)}.txt`, 'a'.repeat(255)],
  ];
  for (const [name, clean] of cases) assert.equal(cleanFilename(name), clean, JSON.stringify(name));
});

test('a file of exactly 25 MiB is accepted', async () => {
  const api = await startSettle();
  const u = await member(api);
  const bytes = Buffer.alloc(25 * MiB, 'a');
  const res = await api.upload(u.token, 'max.txt', bytes);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.size, 25 * MiB);
  assert.equal(res.body.sha256, sha256(bytes));
});

// ---------------------------------------------------------------- refused uploads

test('executables are refused whatever their name: 400 file_type_not_allowed on the field file', async () => {
  const api = await startSettle();
  const u = await member(api);
  for (const [label, bytes] of [
    ['a Windows executable named doc.pdf', EXE],
    ['a Linux executable named doc.pdf', ELF],
    ['binary noise named doc.pdf', Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff, 0x00, 0x10, 0x80])],
    ['text with a NUL byte', Buffer.from('hello\u0000world')],
    ['invalid UTF-8', Buffer.from([0x68, 0xff, 0xfe, 0x69])],
  ] as const) {
    await refusedUpload(api, label, () => api.upload(u.token, 'doc.pdf', bytes, 'application/pdf'), { status: 400, code: 'file_type_not_allowed', param: 'file' });
  }
});

test('an empty file is 400 and a file over 25 MiB is 413 file_too_large', async () => {
  const api = await startSettle();
  const u = await member(api);
  await refusedUpload(api, 'empty', () => api.upload(u.token, 'empty.txt', Buffer.alloc(0)), { status: 400, code: 'file_empty', param: 'file' });
  await refusedUpload(api, '25 MiB + 1 byte', () => api.upload(u.token, 'big.txt', Buffer.alloc(25 * MiB + 1, 'a')), { status: 413, code: 'file_too_large', param: 'file' });
  const pdfTooBig = Buffer.concat([PDF, Buffer.alloc(25 * MiB + 1 - PDF.length, ' ')]);
  await refusedUpload(api, 'a PDF of 25 MiB + 1 byte', () => api.upload(u.token, 'big.pdf', pdfTooBig), { status: 413, code: 'file_too_large' });
});

test('an upload without the field file, or not multipart at all, is 400', async () => {
  const api = await startSettle();
  const u = await member(api);
  const send = (parts: Parameters<typeof TestApi.multipart>[0]) => {
    const { body, contentType } = TestApi.multipart(parts);
    return api.request('POST', '/v1/files', { token: u.token, rawBody: body, headers: { 'content-type': contentType } });
  };
  await refusedUpload(api, 'no parts', () => send([]), { status: 400, code: 'parameter_missing', param: 'file' });
  await refusedUpload(api, 'a text field only', () => send([{ name: 'note', data: 'hello' }]), { status: 400, code: 'parameter_missing', param: 'file' });
  await refusedUpload(api, 'a field named file without a file name', () => send([{ name: 'file', data: 'hello' }]), { status: 400, code: 'parameter_missing', param: 'file' });
  await refusedUpload(api, 'the file in another field', () => send([{ name: 'document', filename: 'a.txt', data: 'hello' }]), { status: 400, code: 'parameter_missing', param: 'file' });
  await refusedUpload(api, 'a JSON body', () => api.post('/v1/files', { file: 'aGVsbG8=', filename: 'a.txt' }, u.token), { status: 400, code: 'multipart_required', param: 'file' });
  await refusedUpload(api, 'raw bytes', () => api.request('POST', '/v1/files', { token: u.token, rawBody: PDF, headers: { 'content-type': 'application/pdf' } }), { status: 400 });
  // A body the multipart parser cannot read is the caller's mistake, not a 500.
  for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=xyz']) {
    await refusedUpload(api, contentType, () => api.request('POST', '/v1/files', { token: u.token, rawBody: 'not multipart at all', headers: { 'content-type': contentType } }), { status: 400, param: 'file' });
  }
  const cut = TestApi.multipart([{ name: 'file', filename: 'a.pdf', data: PDF }]);
  await refusedUpload(api, 'a body cut short', () => api.request('POST', '/v1/files', { token: u.token, rawBody: cut.body.subarray(0, cut.body.length - 30), headers: { 'content-type': cut.contentType } }), { status: 400, param: 'file' });
  // Text fields beside the file are fine.
  const withNote = await send([{ name: 'note', data: 'for the dispute' }, { name: 'file', filename: 'a.pdf', data: PDF }]);
  assert.equal(withNote.status, 201, JSON.stringify(withNote.body));
});

test('uploading and reading files needs a session; a file is no one else’s to read', async () => {
  const api = await startSettle();
  const owner = await member(api, 'Olga Owner');
  const other = await member(api, 'Otis Other');
  await refusedUpload(api, 'no token', () => api.upload(undefined, 'a.txt', TEXT), { status: 401 });
  const mine = await api.upload(owner.token, 'a.txt', TEXT);
  assert.equal((await api.get(`/v1/files/${mine.body.id}`)).status, 401);
  assert.equal((await api.get(`/v1/files/${mine.body.id}/content`)).status, 401);
  assert.equal((await api.get(`/v1/files/${mine.body.id}`, other.token)).status, 404);
  assert.equal((await api.get(`/v1/files/${mine.body.id}/content`, other.token)).status, 404);
  assert.equal((await api.get('/v1/files/file_doesnotexist', owner.token)).status, 404);
});
