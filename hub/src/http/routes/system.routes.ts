/** Health, readiness, metrics, the OpenAPI document and the problem types. */
import {
  HealthSchema,
  OpenApiDocumentSchema,
  ProblemParamsSchema,
  ProblemTypeSchema,
  type OpenApiDocument,
} from '@approval-ledger/protocol/api';
import { z } from 'zod';
import { type ApiServices } from '../api-services';
import { HttpProblem, PROBLEM_TYPES, problemType, type ProblemSlug } from '../problem';
import { RESPONDED, route, type RouteSpec } from '../route';

export function systemRoutes(s: ApiServices, openapi: () => unknown): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'Liveness: the process answers',
      tags: ['system'],
      access: { kind: 'public' },
      responses: { 200: { description: 'Alive', schema: HealthSchema } },
      handle: () => Promise.resolve({ status: 'ok' as const }),
    }),
    route({
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      summary: 'Readiness: database, NATS and ledger answer',
      tags: ['system'],
      access: { kind: 'public' },
      responses: {
        200: { description: 'Ready', schema: HealthSchema },
        503: { description: 'A dependency is unavailable', schema: HealthSchema },
      },
      async handle({ res }) {
        const checks = await s.health.readiness();
        const ok = Object.values(checks).every((v) => v === 'ok');
        res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks });
        return RESPONDED;
      },
    }),
    route({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary:
        'Prometheus metrics: ingest rate, batch sizes, commit latency, dead letters, consumer lag, reconciliation drift',
      tags: ['system'],
      access: { kind: 'roles', roles: ['admin', 'auditor'] },
      responses: {
        200: {
          description: 'Prometheus text format',
          contentType: 'text/plain; version=0.0.4',
          schema: z.string().describe('the Prometheus text exposition format'),
        },
      },
      async handle({ res }) {
        res.type(s.metrics.registry.contentType).send(await s.metrics.registry.metrics());
        return RESPONDED;
      },
    }),
    route({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      summary: 'This OpenAPI 3.1 document',
      tags: ['system'],
      access: { kind: 'public' },
      responses: { 200: { description: 'OpenAPI 3.1', schema: OpenApiDocumentSchema } },
      // built by buildOpenApi() from this route table (its shape is OpenAPI's; the tests parse it)
      handle: () => Promise.resolve(openapi() as OpenApiDocument),
    }),
    route({
      method: 'get',
      path: '/problems/:slug',
      operationId: 'problemType',
      summary: 'What a problem `type` means',
      tags: ['system'],
      access: { kind: 'public' },
      params: ProblemParamsSchema,
      responses: { 200: { description: 'The problem type', schema: ProblemTypeSchema } },
      handle({ params }) {
        if (!Object.hasOwn(PROBLEM_TYPES, params.slug))
          throw new HttpProblem('not-found', `no problem type ${params.slug}`);
        const slug = params.slug as ProblemSlug;
        return Promise.resolve({ type: problemType(slug), ...PROBLEM_TYPES[slug] });
      },
    }),
  ];
}
