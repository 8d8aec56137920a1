/** For operators and the explorer: dashboard figures, dead letters, reconciliation, audit log, token revocation. */
import { assertAccess } from '../../auth';
import { actorOf } from '../../auth';
import { NotReplayableError } from '../../services/dead-letter.service';
import {
  AuditLogQuerySchema,
  AuditPageSchema,
  DeadLetterDetailSchema,
  DeadLetterListSchema,
  DlqParamsSchema,
  DlqQuerySchema,
  ReconciliationReportSchema,
  ReplayResultSchema,
  DashboardStatsSchema,
  TokenParamsSchema,
  TokenRevokeBodySchema,
  TokenRevokedSchema,
  type AuditEntry,
} from '@approval-ledger/protocol/api';
import { type ApiServices } from '../api-services';
import { HttpProblem } from '../problem';
import { route, type RouteSpec } from '../route';

export function operationRoutes(s: ApiServices): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/stats',
      operationId: 'getStats',
      summary: 'Dashboard figures: chain, off-chain store, ingest, recent blocks',
      tags: ['operations'],
      access: { kind: 'roles', roles: ['approver', 'authority', 'admin', 'auditor'] },
      responses: { 200: { description: 'Figures', schema: DashboardStatsSchema } },
      handle: () => s.dashboard.stats(),
    }),
    route({
      method: 'get',
      path: '/dlq',
      operationId: 'listDeadLetters',
      summary: 'Dead letters (the DLQ stream mirrored), oldest first',
      tags: ['operations'],
      access: { kind: 'roles', roles: ['admin', 'auditor'] },
      query: DlqQuerySchema,
      responses: { 200: { description: 'Dead letters', schema: DeadLetterListSchema } },
      async handle({ query }) {
        const { replayed, ...rest } = query;
        return {
          deadLetters: await s.deadLetters.list({ ...rest, ...(replayed === undefined ? {} : { replayed }) }),
        };
      },
    }),
    route({
      method: 'get',
      path: '/dlq/:seq',
      operationId: 'getDeadLetter',
      summary: 'One dead letter with its headers and the message as received',
      tags: ['operations'],
      access: { kind: 'roles', roles: ['admin', 'auditor'] },
      params: DlqParamsSchema,
      responses: { 200: { description: 'The dead letter', schema: DeadLetterDetailSchema } },
      async handle({ params, req }) {
        const letter = await s.deadLetters.show(params.seq);
        if (!letter) throw new HttpProblem('not-found', `no dead letter ${params.seq}`);
        await s.auth.audit(req, 'dlq.read', `dlq:${params.seq}`, 'success', {});
        return letter;
      },
    }),
    route({
      method: 'post',
      path: '/dlq/:seq/replay',
      operationId: 'replayDeadLetter',
      summary: 'Replay a dead letter through ingest (recorded in the audit log)',
      tags: ['operations'],
      access: { kind: 'roles', roles: ['admin'], scope: 'the dead letter’s region' },
      params: DlqParamsSchema,
      successStatus: 202,
      responses: { 202: { description: 'Re-published for ingest', schema: ReplayResultSchema } },
      async handle({ params, principal, requestId }) {
        const letter = await s.deadLetters.show(params.seq);
        if (!letter) throw new HttpProblem('not-found', `no dead letter ${params.seq}`);
        const region = letter.subject.split('.')[2];
        if (region === 'BJ' || region === 'TJ' || region === 'HE')
          assertAccess(principal!, 'POST /dlq/:seq/replay', [{ region }]);
        try {
          const replayed = await s.deadLetters.replay(params.seq, actorOf(principal), requestId || null);
          if (!replayed) throw new HttpProblem('not-found', `no dead letter ${params.seq}`);
          return replayed;
        } catch (error) {
          if (error instanceof NotReplayableError) throw new HttpProblem('invalid-state', error.message);
          throw error;
        }
      },
    }),
    route({
      method: 'get',
      path: '/reconciliation',
      operationId: 'getReconciliation',
      summary:
        'Store against chain (last complete pass) and every legacy source system’s records seen vs anchored',
      tags: ['operations'],
      access: { kind: 'roles', roles: ['admin', 'auditor'] },
      responses: { 200: { description: 'Reconciliation report', schema: ReconciliationReportSchema } },
      async handle() {
        const sources = await s.reconciliation.sources();
        return {
          chain: s.reconciliation.lastPass() ?? null,
          sources: sources.map((c) => ({ ...c, lastSeenAt: c.lastSeenAt?.toISOString() ?? null })),
        };
      },
    }),
    route({
      method: 'get',
      path: '/audit-log',
      operationId: 'getAuditLog',
      summary: 'The audit log: who read or wrote what, when, with what outcome',
      tags: ['operations'],
      access: { kind: 'roles', roles: ['auditor'] },
      query: AuditLogQuerySchema,
      responses: { 200: { description: 'Entries in order', schema: AuditPageSchema } },
      async handle({ query }) {
        const { since, until, ...rest } = query;
        const entries = await s.auditLog.list({
          ...rest,
          ...(since ? { since: new Date(Date.parse(since)) } : {}),
          ...(until ? { until: new Date(Date.parse(until)) } : {}),
        });
        // the store holds the token's validated claims and JSON-safe details: the contract's types as stored
        return {
          entries: entries.map((e) => ({
            ...e,
            at: e.at.toISOString(),
            actor: e.actor as AuditEntry['actor'],
            details: e.details as AuditEntry['details'],
          })),
        };
      },
    }),
    route({
      method: 'post',
      path: '/tokens/:jti/revoke',
      operationId: 'revokeToken',
      summary: 'Revoke a bearer token of the admin’s region',
      tags: ['operations'],
      access: { kind: 'roles', roles: ['admin'], scope: 'the token’s region' },
      params: TokenParamsSchema,
      body: TokenRevokeBodySchema,
      responses: { 200: { description: 'Revoked (false: already revoked)', schema: TokenRevokedSchema } },
      async handle({ params, body, principal, req }) {
        const token = await s.tokenRecords.findByJti(params.jti);
        if (!token) throw new HttpProblem('not-found', `no token ${params.jti}`);
        assertAccess(principal!, 'POST /tokens/:jti/revoke', [{ region: token.region }]);
        const revoked = await s.tokens.revoke(params.jti, body.reason);
        await s.auth.audit(req, 'token.revoke', `token:${params.jti}`, 'success', { reason: body.reason });
        return { jti: params.jti, revoked };
      },
    }),
  ];
}
