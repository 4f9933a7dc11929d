// API.md "Accounts": sign up, sign in and out, me, operator-made staff and arbitrators.

import { z } from 'zod';
import { signIn } from '../../app/users/sign-in.ts';
import { signOut } from '../../app/users/sessions.ts';
import { signUp } from '../../app/users/sign-up.ts';
import { toUserObject } from '../../app/users/user-object.ts';
import { updateMe } from '../../app/users/update-me.ts';
import { CSRF_COOKIE, SESSION_COOKIE, csrfTokenFor } from '../auth.ts';
import type { Router } from '../route.ts';
import * as s from '../schemas.ts';
import { LIMITS } from '../../domain/limits.ts';

export function accountRoutes(r: Router): void {
  r.add({
    method: 'POST',
    path: '/v1/users',
    access: 'public',
    tag: 'Accounts',
    summary: 'Sign up',
    body: z.strictObject({ email: s.email, password: s.password, name: s.personName, time_zone: s.timeZone.optional(), country: s.country.nullable().optional() }),
    response: s.user,
    handler: ({ ctx, body }) => signUp(ctx.deps, body),
  });

  r.add({
    method: 'POST',
    path: '/v1/sessions',
    access: 'public',
    tag: 'Accounts',
    summary: 'Sign in: returns a bearer token and sets the session cookie',
    body: z.strictObject({ email: z.string().max(LIMITS.email_max_chars), password: z.string().max(LIMITS.password_max_chars) }),
    response: z.object({ object: z.literal('session'), token: z.string(), csrf_token: z.string(), user: s.user }),
    // The response holds a session token, which is never stored in clear text, so it is never replayed either.
    idempotent: false,
    handler: async ({ ctx, body, request, reply }) => {
      const session = await signIn(ctx.deps, { ...body, client_ip: request.ip });
      const secure = ctx.deps.config.baseUrl.startsWith('https://');
      const maxAge = Math.floor(LIMITS.session_ttl_ms / 1000);
      reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge });
      const csrf = csrfTokenFor(session.token);
      reply.setCookie(CSRF_COOKIE, csrf, { httpOnly: false, sameSite: 'lax', secure, path: '/', maxAge });
      return { object: 'session' as const, token: session.token, csrf_token: csrf, user: session.user };
    },
  });

  r.add({
    method: 'DELETE',
    path: '/v1/sessions/current',
    access: 'user',
    tag: 'Accounts',
    summary: 'Sign out',
    status: 204,
    handler: async ({ ctx, principal, reply }) => {
      if (principal.kind === 'user') await signOut(ctx.deps, principal.token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return undefined;
    },
  });

  r.add({
    method: 'GET',
    path: '/v1/me',
    access: 'user',
    tag: 'Accounts',
    summary: 'The signed-in user',
    response: s.user,
    handler: async ({ user }) => toUserObject(user),
  });

  r.add({
    method: 'PATCH',
    path: '/v1/me',
    access: 'user',
    tag: 'Accounts',
    summary: 'Change name, time zone or country',
    body: z.strictObject({ name: s.personName.optional(), time_zone: s.timeZone.optional(), country: s.country.nullable().optional() }),
    response: s.user,
    handler: ({ ctx, user, body }) => updateMe(ctx.deps, { user_id: user.id, ...body }),
  });

  r.add({
    method: 'POST',
    path: '/v1/admin/users',
    access: 'operator',
    tag: 'Operator',
    summary: 'Create a staff or arbitrator account',
    body: z.strictObject({ email: s.email, password: s.password, name: s.personName, role: z.enum(['staff', 'arbitrator']), time_zone: s.timeZone.optional(), country: s.country.nullable().optional() }),
    response: s.user,
    handler: ({ ctx, body }) => signUp(ctx.deps, body),
  });
}
