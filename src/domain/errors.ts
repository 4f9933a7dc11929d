// One error type for the whole service, with stable codes and one table from
// error type to HTTP status (STYLE habit 4). Domain and app code throw
// AppError; only src/http turns it into a response.

export type ErrorType =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'conflict'
  | 'payment'
  | 'rate_limit'
  | 'api_error';

export const HTTP_STATUS_BY_ERROR_TYPE: Record<ErrorType, number> = {
  invalid_request: 400,
  authentication: 401,
  payment: 402,
  permission: 403,
  not_found: 404,
  conflict: 409,
  rate_limit: 429,
  api_error: 500,
};

/** Codes whose status is not their type's: too-large input is `invalid_request` but 413. */
export const HTTP_STATUS_BY_CODE: Record<string, number> = {
  body_too_large: 413,
  file_too_large: 413,
};

export class AppError extends Error {
  readonly type: ErrorType;
  readonly code: string;
  readonly param: string | undefined;

  constructor(type: ErrorType, code: string, message: string, param?: string) {
    super(message);
    this.name = 'AppError';
    this.type = type;
    this.code = code;
    this.param = param;
  }

  get status(): number {
    return HTTP_STATUS_BY_CODE[this.code] ?? HTTP_STATUS_BY_ERROR_TYPE[this.type];
  }
}

export const invalid = (code: string, message: string, param?: string) =>
  new AppError('invalid_request', code, message, param);
export const notFound = (what: string, param?: string) =>
  new AppError('not_found', 'resource_missing', `No such ${what}.`, param);
export const forbidden = (message: string) => new AppError('permission', 'forbidden', message);
export const conflict = (code: string, message: string, param?: string) =>
  new AppError('conflict', code, message, param);
export const paymentFailed = (code: string, message: string, param?: string) =>
  new AppError('payment', code, message, param);

/** A broken invariant: the program is wrong, not the input. Crash the operation. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
