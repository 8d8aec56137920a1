/**
 * The OpenAPI 3.1 document of the API, generated from the route table and its zod schemas (zod 4's
 * `z.toJSONSchema`, JSON Schema 2020-12, which OpenAPI 3.1 uses as is). The schemas are the API contract's
 * (`@approval-ledger/protocol/api`). Served at /api/v1/openapi.json.
 */
import { ProblemSchema } from '@approval-ledger/protocol/api';
import { z } from 'zod';
import { PROBLEM_TYPES, problemType } from './problem';
import { type RouteSpec } from './route';

type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

/** The contract's problem details, `type` narrowed to the problem types this hub answers with. */
const PROBLEM_SCHEMA: JsonSchema = {
  ...jsonSchemaOf(
    ProblemSchema.extend({
      type: z.enum(Object.keys(PROBLEM_TYPES).map((s) => problemType(s as keyof typeof PROBLEM_TYPES))),
    }),
    'output',
  ),
  description: 'RFC 9457 problem details',
};

/** JSON Schema of a zod schema, without the `$schema` key (OpenAPI 3.1 sets the dialect). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

export function buildOpenApi(routes: readonly RouteSpec[], info: OpenApiInfo): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] = { ...(paths[path] ?? {}), [spec.method]: operation(spec) };
  }
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/api/v1' }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A token naming region, role and department (`ledger token --region BJ --role auditor`)',
        },
      },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
    'x-problem-types': Object.fromEntries(
      Object.entries(PROBLEM_TYPES).map(([slug, p]) => [problemType(slug as keyof typeof PROBLEM_TYPES), p]),
    ),
  };
}

function operation(spec: RouteSpec): Record<string, unknown> {
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: [spec.description, accessText(spec)].filter(Boolean).join('\n\n'),
    tags: spec.tags,
    ...(spec.access.kind === 'public' ? { security: [] } : { security: [{ bearer: [] }] }),
    parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
    ...requestBody(spec),
    responses: responses(spec),
  };
}

function accessText(spec: RouteSpec): string {
  const { access } = spec;
  if (access.kind === 'public') return `Access: anyone${access.rateLimited ? ', rate limited' : ''}.`;
  return `Access: ${access.roles.join(', ')}${access.scope ? ` (${access.scope})` : ''}.`;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function requestBody(spec: RouteSpec): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  if (spec.body) content['application/json'] = { schema: jsonSchemaOf(spec.body, 'input') };
  if (spec.upload) {
    content['multipart/form-data'] = {
      schema: {
        type: 'object',
        required: [spec.upload.field],
        properties: {
          [spec.upload.field]: {
            type: 'string',
            contentMediaType: 'application/octet-stream',
            description: `${spec.upload.description} (at most ${spec.upload.maxBytes} bytes)`,
          },
        },
      },
    };
  }
  return Object.keys(content).length === 0 ? {} : { requestBody: { required: true, content } };
}

function responses(spec: RouteSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    const contentType = response.contentType ?? 'application/json';
    out[status] = {
      description: response.description,
      ...(response.schema
        ? { content: { [contentType]: { schema: jsonSchemaOf(response.schema, 'output') } } }
        : {}),
      ...(!response.schema && response.contentType ? { content: { [contentType]: {} } } : {}),
    };
  }
  for (const [status, description] of standardProblems(spec)) {
    out[status] ??= {
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return out;
}

function standardProblems(spec: RouteSpec): [string, string][] {
  const list: [string, string][] = [];
  if (spec.params || spec.query || spec.body || spec.upload)
    list.push(['400', 'Invalid request (problem+json)']);
  if (spec.access.kind === 'roles') {
    list.push(['401', 'No valid bearer token'], ['403', 'The token may not do this']);
  }
  if (spec.access.kind === 'public' && spec.access.rateLimited) list.push(['429', 'Rate limited']);
  list.push(['500', 'Internal error']);
  return list;
}
