// Serves the built web app (web/dist) beside the API: hashed assets cached
// for a year, and index.html — with a strict Content-Security-Policy — for
// every other GET a browser makes outside /v1, so the app's own routes
// (/contracts/ctr_…, /disputes/dsp_…) load on a reload or from an email link.

import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Only our own scripts and styles; no frames, no inline script. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ASSET_CACHE = 'public, max-age=31536000, immutable';

export interface WebApp {
  /** Answers with the app's index.html when the request is a page load; false when it is not one. */
  serveShell(request: FastifyRequest, reply: FastifyReply): boolean;
}

function isPageLoad(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = request.url.split('?')[0] ?? '';
  if (pathname.startsWith('/v1/') || pathname === '/v1' || pathname.startsWith('/assets/')) return false;
  return String(request.headers.accept ?? '').includes('text/html');
}

function shellHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'same-origin')
    .header('X-Frame-Options', 'DENY');
}

export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<WebApp> {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    // The API still serves; the page says how to build the app.
    return {
      serveShell(request, reply) {
        if (!isPageLoad(request)) return false;
        void shellHeaders(reply)
          .code(503)
          .type('text/html; charset=utf-8')
          .send('<!doctype html><title>Settle</title><p>The web app is not built yet. Run <code>npm run build:web</code> (npm install and npm start do it), then reload.</p>');
        return true;
      },
    };
  }
  // Read from disk on each request (no file list taken at start), so a server
  // keeps serving a consistent app when web/dist is rebuilt under it.
  const assetsDir = path.join(distDir, 'assets');
  await app.register(fastifyStatic, {
    root: assetsDir,
    prefix: '/assets/',
    index: false,
    cacheControl: false,
    setHeaders(res, filePath) {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      // index.html goes through the same plugin (sendFile) and must never be cached: it names the current assets.
      if (path.dirname(filePath) === assetsDir) res.setHeader('Cache-Control', ASSET_CACHE);
    },
  });
  return {
    serveShell(request, reply) {
      if (!isPageLoad(request)) return false;
      void shellHeaders(reply).sendFile('index.html', distDir);
      return true;
    },
  };
}
