/** POST /milestones and GET /receipts/{recordId}. */
import { type Milestone } from '@approval-ledger/protocol';
import { assertAccess } from '../../auth';
import {
  AcceptedMilestonesSchema,
  MilestonesBodySchema,
  ReceiptParamsSchema,
  ReceiptsSchema,
  validateMilestones,
} from '@approval-ledger/protocol/api';
import { type ApiServices } from '../api-services';
import { HttpProblem } from '../problem';
import { route, type RouteSpec } from '../route';

export function ingestRoutes(s: ApiServices): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/milestones',
      operationId: 'anchorMilestones',
      summary: 'Anchor approval milestones (one or an array of up to 500)',
      description:
        'Each milestone goes through ingest like the adapters’ records: stored off chain with a salt, anchored ' +
        '(its salted commitment), receipted on `ledger.receipt.<region>.<dept>`. Idempotent per source record + ' +
        'version. Every milestone must be of the token’s region and department.',
      tags: ['ingest'],
      access: { kind: 'roles', roles: ['approver'], scope: 'own region and department' },
      body: MilestonesBodySchema,
      validateBody: validateMilestones,
      successStatus: 202,
      responses: {
        202: { description: 'Accepted; one receipt id per record', schema: AcceptedMilestonesSchema },
      },
      async handle({ body, principal, req }) {
        const milestones: Milestone[] = Array.isArray(body) ? body : [body];
        assertAccess(
          principal!,
          'POST /milestones',
          milestones.map((m) => ({ region: m.region, dept: m.dept })),
        );
        const receipts = await s.milestones.accept(milestones);
        await s.auth.audit(req, 'milestones.post', `milestones:${milestones.length}`, 'success', {
          recordIds: receipts.map((r) => r.recordId).slice(0, 50),
        });
        return { accepted: receipts.length, receipts };
      },
    }),
    route({
      method: 'get',
      path: '/receipts/:recordId',
      operationId: 'getReceipts',
      summary: 'The receipts of one record (by source key system:recordId:version)',
      tags: ['ingest'],
      access: {
        kind: 'roles',
        roles: ['approver', 'authority', 'auditor'],
        scope: 'approvers: own region and department',
      },
      params: ReceiptParamsSchema,
      responses: { 200: { description: 'Receipts, oldest first', schema: ReceiptsSchema } },
      async handle({ params, principal }) {
        const receipts = await s.receipts.findByRecordId(params.recordId);
        if (receipts.length === 0)
          throw new HttpProblem('not-found', `no receipt for ${params.recordId} yet`);
        const first = receipts[0]!;
        if (
          principal?.role === 'approver' &&
          (first.region !== principal.region || first.dept !== principal.dept)
        ) {
          throw new HttpProblem(
            'forbidden-region',
            `receipts of ${first.region}/${first.dept} are not readable with a ${principal.region}/${principal.dept ?? '-'} token`,
          );
        }
        return { recordId: params.recordId, receipts: receipts.map((r) => r.receipt) };
      },
    }),
  ];
}
