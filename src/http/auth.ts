// Who is calling. A bearer token is either the operator's SETTLE_ADMIN_TOKEN
// or a session token; the browser sends the session token as an HttpOnly
// cookie instead, and then every state-changing request must also carry the
// CSRF token (double submit: a readable cookie echoed in a header, derived
// from the session so it cannot be planted).

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.ts';
import type { Deps } from '../app/deps.ts';
import { authenticate } from '../app/users/sessions.ts';
import type { UserRow } from '../app/users/user-object.ts';

export const SESSION_COOKIE = 'settle_session';
export const CSRF_COOKIE = 'settle_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'operator' }
  | { kind: 'user'; user: UserRow; token: string; via: 'bearer' | 'cookie' };

export const csrfTokenFor = (sessionToken: string) => createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

const unauthenticated = (message: string) => new AppError('authentication', 'not_authenticated', message);

export async function resolvePrincipal(deps: Deps, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,200})$/.exec(header);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    const token = match[1]!;
    if (deps.config.adminToken && sameSecret(token, deps.config.adminToken)) return { kind: 'operator' };
    const user = await authenticate(deps, token);
    if (!user) throw unauthenticated('The token is invalid or expired. Sign in again.');
    return { kind: 'user', user, token, via: 'bearer' };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) {
    const user = await authenticate(deps, cookie);
    // A stale cookie is the same as none: public pages keep working.
    if (user) return { kind: 'user', user, token: cookie, via: 'cookie' };
  }
  return { kind: 'anonymous' };
}

export function checkCsrf(request: FastifyRequest, principal: Principal): void {
  if (principal.kind !== 'user' || principal.via !== 'cookie') return;
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !sameSecret(sent, csrfTokenFor(principal.token))) {
    throw new AppError('permission', 'csrf_token_invalid', `Send the ${CSRF_COOKIE} cookie's value in the X-CSRF-Token header.`);
  }
}
