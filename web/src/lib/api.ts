// The web app's only way to the server: the public HTTP API (API.md), with
// the session cookie, the CSRF token echoed from its cookie on every change,
// and an Idempotency-Key per user action so a retried click never pays twice.

export interface ApiErrorBody {
  type: string;
  code: string;
  message: string;
  param?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | undefined;
  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.status = status;
    this.type = body.type;
    this.code = body.code;
    this.param = body.param;
  }
}

const CSRF_COOKIE = 'settle_csrf';

function csrfToken(): string {
  const found = document.cookie.split('; ').find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return found ? decodeURIComponent(found.slice(CSRF_COOKIE.length + 1)) : '';
}

/** A fresh key for one user action; pass the same key again to retry that action. */
export const newIdempotencyKey = (): string => crypto.randomUUID();

export interface RequestOptions {
  idempotencyKey?: string;
  /** The operator's token, for /v1/admin and /v1/test_helpers (the operator panel). */
  bearer?: string;
}

async function send<T>(method: string, path: string, body: BodyInit | undefined, headers: Record<string, string>, options: RequestOptions): Promise<T> {
  if (method !== 'GET') {
    headers['X-CSRF-Token'] = csrfToken();
    if (method === 'POST') headers['Idempotency-Key'] = options.idempotencyKey ?? newIdempotencyKey();
  }
  if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
  let response: Response;
  try {
    response = await fetch(path, { method, body, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { type: 'api_error', code: 'network_error', message: 'Settle could not be reached. Check your connection and try again.' });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: ApiErrorBody } | undefined)?.error;
    throw new ApiError(response.status, error ?? { type: 'api_error', code: 'unexpected_response', message: `The server answered ${response.status}. Try again in a moment.` });
  }
  return parsed as T;
}

export const api = {
  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return send<T>('GET', path, undefined, { Accept: 'application/json' }, options);
  },
  post<T>(path: string, body: unknown = {}, options: RequestOptions = {}): Promise<T> {
    return send<T>('POST', path, JSON.stringify(body), { 'Content-Type': 'application/json', Accept: 'application/json' }, options);
  },
  patch<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return send<T>('PATCH', path, JSON.stringify(body), { 'Content-Type': 'application/json', Accept: 'application/json' }, options);
  },
  delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return send<T>('DELETE', path, undefined, { Accept: 'application/json' }, options);
  },
  /** POST /v1/files: one file as multipart field `file`. */
  upload<T>(file: File, options: RequestOptions = {}): Promise<T> {
    const form = new FormData();
    form.append('file', file);
    return send<T>('POST', '/v1/files', form, { Accept: 'application/json' }, options);
  },
};

/** Query string from the defined values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
