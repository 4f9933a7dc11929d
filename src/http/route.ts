// One way to declare an API route: method, path, who may call it, and zod
// schemas for its path, query, body and response. The same declaration
// validates requests, checks responses in tests, and generates the OpenAPI
// document (src/http/openapi.ts), so the contract cannot drift from the code.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, forbidden } from '../domain/errors.ts';
import type { Deps } from '../app/deps.ts';
import type { UserRow } from '../app/users/user-object.ts';
import type { Rule } from '../jobs/engine.ts';
import { checkCsrf, resolvePrincipal, type Principal } from './auth.ts';
import { errorBody, fromZodError, sendError, toAppError } from './errors.ts';
import * as idempotency from './idempotency.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type Access = 'public' | 'user' | 'operator';

export interface HttpContext {
  deps: Deps;
  rules: readonly Rule[];
  /** Options for `checkResponses`: tests turn it on so every response is checked against its schema. */
  checkResponses: boolean;
}

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: HttpContext;
}

export interface UserHandlerInput<P, Q, B> extends HandlerInput<P, Q, B> {
  user: UserRow;
}

type AnySchema = z.ZodType;
type Out<S> = S extends AnySchema ? z.output<S> : Record<string, never>;

export interface RouteSpec<PS extends AnySchema | undefined, QS extends AnySchema | undefined, BS extends AnySchema | undefined, A extends Access> {
  method: Method;
  /** Fastify style, `/v1/milestones/:id`. */
  path: string;
  access: A;
  summary: string;
  tag: string;
  params?: PS;
  query?: QS;
  body?: BS;
  /** Success status; 204 sends no body. */
  status?: number;
  /** The success body's schema; omitted only with status 204 or a non-JSON response. */
  response?: AnySchema;
  /** A non-JSON success body (the case file PDF). */
  produces?: string;
  /** Honour Idempotency-Key (default: every POST made by a signed-in caller or the operator). */
  idempotent?: boolean;
  /** A `multipart/form-data` upload: the handler reads the parts itself. */
  multipart?: boolean;
  /** Only when the sandbox clock is on (test helpers). */
  sandboxOnly?: boolean;
  handler: (
    input: A extends 'user' ? UserHandlerInput<Out<PS>, Out<QS>, Out<BS>> : HandlerInput<Out<PS>, Out<QS>, Out<BS>>,
  ) => Promise<unknown>;
}

export interface RegisteredRoute {
  method: Method;
  path: string;
  access: Access;
  summary: string;
  tag: string;
  params?: AnySchema;
  query?: AnySchema;
  body?: AnySchema;
  status: number;
  response?: AnySchema;
  produces?: string;
  multipart?: boolean;
  sandboxOnly: boolean;
}

const EMPTY = z.strictObject({});

function parse<S extends AnySchema>(schema: S, value: unknown, location: 'body' | 'query' | 'path'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, location, value);
  return result.data;
}

export class Router {
  readonly routes: RegisteredRoute[] = [];
  constructor(
    private readonly app: FastifyInstance,
    private readonly ctx: HttpContext,
  ) {}

  add<PS extends AnySchema | undefined, QS extends AnySchema | undefined, BS extends AnySchema | undefined, A extends Access>(spec: RouteSpec<PS, QS, BS, A>): void {
    const status = spec.status ?? (spec.method === 'POST' ? 201 : 200);
    this.routes.push({ ...spec, status, sandboxOnly: spec.sandboxOnly ?? false });
    const ctx = this.ctx;
    this.app.route({
      method: spec.method,
      url: spec.path,
      handler: async (request, reply) => {
        try {
          if (spec.sandboxOnly && ctx.deps.clock.mode !== 'manual') {
            throw new AppError('not_found', 'sandbox_only', 'Test helpers exist only when the server runs with SETTLE_CLOCK=manual.');
          }
          // Before the token is read: with the operator API off, the operator's
          // old token is no session either, and would otherwise get a 401.
          if (spec.access === 'operator' && !ctx.deps.config.adminToken) throw operatorApiOff();
          const principal = await resolvePrincipal(ctx.deps, request);
          authorize(spec.access, principal);
          checkCsrf(request, principal);
          const params = parse(spec.params ?? EMPTY, request.params ?? {}, 'path');
          const query = parse(spec.query ?? EMPTY, request.query ?? {}, 'query');
          const rawBody = request.body === undefined || request.body === null ? {} : request.body;
          const body = spec.method === 'GET' || spec.method === 'DELETE' || spec.multipart ? {} : parse(spec.body ?? EMPTY, rawBody, 'body');

          const key = request.headers['idempotency-key'];
          const scope = principal.kind === 'user' ? principal.user.id : principal.kind === 'operator' ? 'operator' : null;
          const useKey = spec.method === 'POST' && typeof key === 'string' && scope !== null && (spec.idempotent ?? true);
          const input = { params, query, body, principal, request, reply, ctx, user: principal.kind === 'user' ? principal.user : undefined };
          const run = async () => {
            const result = await spec.handler(input as never);
            if (ctx.checkResponses && spec.response && !spec.produces && status !== 204) {
              const checked = spec.response.safeParse(result);
              if (!checked.success) throw new Error(`response of ${spec.method} ${spec.path} does not match its schema: ${checked.error.message}`);
            }
            return result;
          };
          if (!useKey) {
            const result = await run();
            return sendResult(reply, status, result, spec.produces);
          }

          idempotency.checkKey(key);
          const hash = idempotency.requestHash(spec.method, request.url, body);
          const claim = await idempotency.claim(ctx.deps.db, scope, key, spec.method, request.url, hash, ctx.deps.clock.now());
          if (claim.kind === 'replay') {
            reply.header('Idempotent-Replayed', 'true').code(claim.response.status).type('application/json; charset=utf-8');
            return reply.send(claim.response.body ?? '');
          }
          try {
            const result = await run();
            const text = status === 204 ? null : JSON.stringify(result);
            await idempotency.complete(ctx.deps.db, scope, key, { status, body: text }, ctx.deps.clock.now());
            return sendResult(reply, status, result, spec.produces);
          } catch (error) {
            const appError = toAppError(error);
            if (appError && appError.status < 500) {
              await idempotency.complete(ctx.deps.db, scope, key, { status: appError.status, body: JSON.stringify(errorBody(appError)) }, ctx.deps.clock.now());
            } else {
              await idempotency.release(ctx.deps.db, scope, key);
            }
            throw error;
          }
        } catch (error) {
          return sendError(request, reply, error);
        }
      },
    });
  }
}

function sendResult(reply: FastifyReply, status: number, result: unknown, produces?: string) {
  if (status === 204) return reply.code(204).send();
  // `produces` is the default; a handler that knows the exact type (a file's stored content type) has set it already.
  if (produces) return (reply.hasHeader('content-type') ? reply : reply.type(produces)).code(status).send(result);
  return reply.code(status).send(result);
}

const operatorApiOff = () => new AppError('not_found', 'operator_api_disabled', 'The operator API is off: set SETTLE_ADMIN_TOKEN to turn it on.');

function authorize(access: Access, principal: Principal): void {
  if (access === 'public') return;
  if (access === 'operator') {
    if (principal.kind === 'operator') return;
    if (principal.kind === 'user') throw forbidden('Only the operator may call this.');
    throw new AppError('authentication', 'not_authenticated', 'Send the operator token as "Authorization: Bearer <SETTLE_ADMIN_TOKEN>".');
  }
  if (principal.kind === 'user') return;
  if (principal.kind === 'operator') throw forbidden('The operator token does not act as a user; sign in as one.');
  throw new AppError('authentication', 'not_authenticated', 'Sign in first: send "Authorization: Bearer <token>" from POST /v1/sessions.');
}
