/** GET /certificates/{number}?at=: status now or at a past time, and history. */
import {
  CertificateParamsSchema,
  CertificateQuerySchema,
  CertificateStatusViewSchema,
} from '@approval-ledger/protocol/api';
import { type ApiServices } from '../api-services';
import { route, type RouteSpec } from '../route';

export function certificateRoutes(s: ApiServices): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/certificates/:number',
      operationId: 'getCertificate',
      summary: 'Certificate status (now, or at a past time with `at`) and history',
      description:
        'Answered by the chaincode from the certificate key’s history: the validity window, the revocation ' +
        '(effective from its `revokedAt`), and which version the ledger held at that time.',
      tags: ['certificates'],
      access: { kind: 'roles', roles: ['authority', 'auditor'] },
      params: CertificateParamsSchema,
      query: CertificateQuerySchema,
      responses: { 200: { description: 'Status and history', schema: CertificateStatusViewSchema } },
      async handle({ params, query, req }) {
        const view = await s.certificates.status(
          params.number,
          query.at ? new Date(Date.parse(query.at)) : new Date(),
        );
        if (view.dataClass === 'sensitive') {
          await s.auth.audit(req, 'record.read', `certificate:${params.number}`, 'success', {});
        }
        return view;
      },
    }),
  ];
}
