// Turns anything thrown into API.md's error object. AppError carries its own
// type and code; a zod failure names the field at fault; Fastify's own 4xx
// errors (bad JSON, body too large) keep their status; everything else is a
// 500 that shows no internals.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, HTTP_STATUS_BY_ERROR_TYPE, type ErrorType } from '../domain/errors.ts';

export interface ErrorBody {
  error: { type: ErrorType; code: string; message: string; param?: string };
}

/** `milestones[0].amount`: the path of a field, as a person would write it. */
export function formatParam(path: readonly PropertyKey[], prefix?: string): string | undefined {
  let out = prefix ?? '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function fromZodError(error: z.ZodError, location: 'body' | 'query' | 'path', input: unknown): AppError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const param = formatParam([...issue.path, issue.keys[0]!]);
    return new AppError('invalid_request', 'parameter_unknown', `Received unknown parameter: ${param}.`, param);
  }
  const param = formatParam(issue.path);
  if (!param && issue.code === 'invalid_type' && location === 'body') {
    return new AppError('invalid_request', 'invalid_body', 'The request body must be a JSON object.');
  }
  if (valueAt(input, issue.path) === undefined) return new AppError('invalid_request', 'parameter_missing', `Missing required parameter: ${param}.`, param);
  return new AppError('invalid_request', 'parameter_invalid', `Invalid ${param ?? location}: ${issue.message}`, param);
}

const FASTIFY_CODES: Record<string, [ErrorType, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_request', 'invalid_json', 'The request body is not valid JSON.'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['invalid_request', 'body_too_large', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['invalid_request', 'unsupported_media_type', 'Send JSON with Content-Type: application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid_request', 'invalid_content_length', 'The Content-Length header does not match the body.'],
  FST_ERR_CTP_EMPTY_TYPE: ['invalid_request', 'unsupported_media_type', 'Send JSON with Content-Type: application/json.'],
};

export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const e = error as { code?: string; statusCode?: number; message?: string };
  const known = e.code ? FASTIFY_CODES[e.code] : undefined;
  if (known) return new AppError(known[0], known[1], known[2]);
  if (error instanceof SyntaxError && e.statusCode === 400) return new AppError('invalid_request', 'invalid_json', 'The request body is not valid JSON.');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const type = (Object.entries(HTTP_STATUS_BY_ERROR_TYPE).find(([, s]) => s === e.statusCode)?.[0] ?? 'invalid_request') as ErrorType;
    return new AppError(type, 'invalid_request', 'The request could not be read.');
  }
  return undefined;
}

export function errorBody(error: AppError): ErrorBody {
  return { error: { type: error.type, code: error.code, message: error.message, ...(error.param ? { param: error.param } : {}) } };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const appError = toAppError(error);
  if (appError) return reply.code(appError.status).send(errorBody(appError));
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ error: { type: 'api_error', code: 'internal_error', message: `Something went wrong on our side. Try again; if it keeps failing, contact support with request id ${request.id}.` } });
}
