/** GET /certificates/{number}?at=: status now or at a past time, and history. */
import {
  CertificateParamsSchema,
  CertificateQuerySchema,
  CertificateStatusViewSchema,
} from '@approval-ledger/protocol/api';
import { type ApiServices } from '../api-services';
import { route, type RouteSpec } from '../route';
import { readableEntry } from '../sensitive-records';

export function certificateRoutes(s: ApiServices): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/certificates/:number',
      operationId: 'getCertificate',
      summary: 'Certificate status (now, or at a past time with `at`) and history',
      description:
        'Answered by the chaincode from the certificate key’s history: the validity window, the revocation ' +
        '(effective from its `revokedAt`), and which version the ledger held at that time. A sensitive ' +
        'certificate of another region than the token’s comes without its full off-chain record (`withheld` ' +
        'says why) unless a recognition request or decision about it concerns that region.',
      tags: ['certificates'],
      access: { kind: 'roles', roles: ['authority', 'auditor'] },
      params: CertificateParamsSchema,
      query: CertificateQuerySchema,
      responses: { 200: { description: 'Status and history', schema: CertificateStatusViewSchema } },
      async handle({ params, query, req, principal }) {
        const found = await s.certificates.status(
          params.number,
          query.at ? new Date(Date.parse(query.at)) : new Date(),
        );
        const view = readableEntry(
          principal!,
          found,
          { kind: 'certificate', id: params.number, region: found.certificate.region },
          found.recognitions,
        );
        if (view.dataClass === 'sensitive' && 'record' in view) {
          await s.auth.audit(req, 'record.read', `certificate:${params.number}`, 'success', {});
        }
        return view;
      },
    }),
  ];
}
