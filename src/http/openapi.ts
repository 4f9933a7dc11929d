// GET /v1/openapi.json: the OpenAPI 3.1 document, generated from the same zod
// schemas that validate requests (src/http/route.ts), so it cannot drift.

import { z } from 'zod';
import type { RegisteredRoute } from './route.ts';
import { errorObject } from './schemas.ts';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Bad input: `error.param` names the field',
  '401': 'Not signed in',
  '403': 'Not allowed',
  '404': 'Not found, or not yours to see',
  '409': 'Wrong state or conflict',
};

export function openApiDocument(routes: readonly RegisteredRoute[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([a-z_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [location, schema] of [['path', route.params], ['query', route.query]] as const) {
      if (!schema) continue;
      const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, prop] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: location, required: location === 'path' || (js.required ?? []).includes(name), schema: prop });
      }
    }
    const responses: Record<string, unknown> = {};
    if (route.status === 204) responses['204'] = { description: 'Done' };
    else if (route.produces) responses[String(route.status)] = { description: 'OK', content: { [route.produces]: { schema: { type: 'string', format: 'binary' } } } };
    else responses[String(route.status)] = { description: 'OK', content: { 'application/json': { schema: route.response ? jsonSchema(route.response, 'output') : {} } } };
    const error = { content: { 'application/json': { schema: jsonSchema(errorObject, 'output') } } };
    for (const [status, description] of Object.entries(ERROR_STATUSES)) responses[status] = { description, ...error };
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[/_](\w)/g, (_, c: string) => c.toUpperCase())}`,
      security: route.access === 'public' ? [] : route.access === 'operator' ? [{ operatorToken: [] }] : [{ bearerAuth: [] }, { sessionCookie: [] }],
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Settle API', version: '1', description: 'Payment protection for fixed-price freelance work. See API.md for the conventions.' },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The token from POST /v1/sessions' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'settle_session', description: 'Browser session; state-changing requests also send X-CSRF-Token' },
        operatorToken: { type: 'http', scheme: 'bearer', description: 'SETTLE_ADMIN_TOKEN' },
      },
    },
    paths,
  };
}
