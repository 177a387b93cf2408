/** docs/openapi.json: generated from the route table, current, and every example valid against its route. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTE_TABLE } from '#functions/api/routes.js';
import { OPENAPI_PATH, renderOpenApi } from '#tools/cli/openapi.js';

describe('docs/openapi.json', () => {
  it('is current with the route table (run `npm run openapi` after changing a route)', () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(renderOpenApi());
  });

  const doc = JSON.parse(renderOpenApi());

  it('is OpenAPI 3.1 with the JWT security scheme on every operation and problem+json errors', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.staffJwt).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    for (const r of ROUTE_TABLE) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      expect(op.operationId).toBe(r.operationId);
      expect(op.security).toEqual([{ staffJwt: [] }]);
      for (const s of ['400', '401', '403', '500'])
        expect(op.responses[s].content['application/problem+json'].schema).toEqual({
          $ref: '#/components/schemas/Problem',
        });
      expect(op.responses[String(r.response.status)].content['application/json'].schema).toBeTypeOf('object');
    }
  });
});

describe('the route table', () => {
  it('has unique operations and method + path pairs, each path parameter in the params schema', () => {
    expect(new Set(ROUTE_TABLE.map((r) => r.operationId)).size).toBe(ROUTE_TABLE.length);
    expect(new Set(ROUTE_TABLE.map((r) => `${r.method} ${r.path}`)).size).toBe(ROUTE_TABLE.length);
    for (const r of ROUTE_TABLE) {
      const names = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const shape = (r.request.params as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
      expect(Object.keys(shape).sort(), r.operationId).toEqual(names.sort());
    }
  });

  for (const r of ROUTE_TABLE) {
    it(`${r.operationId}: the example is a valid request`, () => {
      for (const part of ['params', 'query', 'body'] as const) {
        const schema = r.request[part];
        if (!schema) continue;
        const parsed = schema.safeParse(r.example[part] ?? (part === 'body' ? undefined : {}));
        expect(parsed.success, `${r.operationId} ${part}: ${parsed.error?.message}`).toBe(true);
      }
    });
  }
});
