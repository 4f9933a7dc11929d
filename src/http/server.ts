// Builds the Fastify app: JSON parsing with a size limit, cookies, request
// ids, structured logs, every route, the error mapping and the OpenAPI document.

import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { AppError, invalid } from '../domain/errors.ts';
import { LIMITS } from '../domain/limits.ts';
import { randomToken } from '../lib/ids.ts';
import { FILE_MAX_BYTES } from '../app/files/upload-file.ts';
import { sendError } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { Router, type HttpContext } from './route.ts';
import { accountRoutes } from './routes/accounts.ts';
import { contractRoutes } from './routes/contracts.ts';
import { disputeRoutes } from './routes/disputes.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { moneyRoutes } from './routes/money.ts';
import { sandboxRoutes } from './routes/sandbox.ts';
import { registerWebApp } from './web.ts';
import { WEB_DIST_DIR } from '../web/build.ts';

export interface BuildServerOptions extends HttpContext {
  logLevel: string;
  /** The built web app; default web/dist. */
  webDistDir?: string;
}

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    genReqId: () => `req_${randomToken(12)}`,
    bodyLimit: LIMITS.json_body_max_bytes,
  });
  await app.register(cookie);

  // JSON only; an empty body is an empty object, so body-less POSTs need no payload.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: LIMITS.json_body_max_bytes }, (_request, text, done) => {
    const body = String(text);
    if (body.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(body));
    } catch {
      done(new AppError('invalid_request', 'invalid_json', 'The request body is not valid JSON.'), undefined);
    }
  });
  await app.register(multipart, { limits: { fileSize: FILE_MAX_BYTES, files: 1, fields: 10, parts: 11 } });
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(invalid('unsupported_media_type', 'Send JSON with Content-Type: application/json.'), undefined);
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('Request-Id', request.id);
    // API answers are never cached; the web app's hashed assets set their own.
    if (!reply.hasHeader('cache-control') && !reply.raw.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
  });
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  const web = await registerWebApp(app, options.webDistDir ?? WEB_DIST_DIR);
  app.setNotFoundHandler((request, reply) => {
    if (web.serveShell(request, reply)) return;
    sendError(request, reply, new AppError('not_found', 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
  });

  const router = new Router(app, options);
  accountRoutes(router);
  moneyRoutes(router);
  contractRoutes(router);
  disputeRoutes(router);
  notificationRoutes(router);
  sandboxRoutes(router);

  const document = openApiDocument(router.routes, options.deps.config.baseUrl);
  app.get('/v1/openapi.json', async () => document);
  app.get('/healthz', async () => ({ ok: true }));
  return app;
}
