/** The mutual-recognition board: request, signed decision, list. */
import { assertAccess } from '../../auth';
import {
  RecognitionBoardQuerySchema,
  RecognitionBoardSchema,
  RecognitionDecisionBodySchema,
  RecognitionResultSchema,
  RecognitionParamsSchema,
  RecognitionRequestBodySchema,
} from '@approval-ledger/protocol/api';
import { type ApiServices } from '../api-services';
import { HttpProblem } from '../problem';
import { route, type RouteSpec } from '../route';

export function recognitionRoutes(s: ApiServices): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/recognitions',
      operationId: 'requestRecognition',
      summary: 'Ask to recognise another region’s certificate or milestone (authority of the target region)',
      tags: ['recognition'],
      access: { kind: 'roles', roles: ['authority'], scope: 'the token’s region is the target region' },
      body: RecognitionRequestBodySchema,
      successStatus: 201,
      responses: { 201: { description: 'Requested (on the ledger)', schema: RecognitionResultSchema } },
      async handle({ body, principal, req }) {
        assertAccess(principal!, 'POST /recognitions', [{ region: body.targetRegion }]);
        const outcome = await s.recognitions.request(body, principal!.subject);
        await s.auth.audit(req, 'recognition.request', `recognition:${body.id}`, 'success', {
          txId: outcome.txId,
        });
        return outcome;
      },
    }),
    route({
      method: 'post',
      path: '/recognitions/:id/decision',
      operationId: 'decideRecognition',
      summary: 'Recognise or reject, with an EIP-712 signature of a registered official of the target region',
      tags: ['recognition'],
      access: { kind: 'roles', roles: ['authority'], scope: 'the token’s region is the target region' },
      params: RecognitionParamsSchema,
      body: RecognitionDecisionBodySchema,
      responses: { 200: { description: 'Decided (on the ledger)', schema: RecognitionResultSchema } },
      async handle({ params, body, principal, req }) {
        if (body.recognitionId !== params.id) {
          throw HttpProblem.validation('body', [
            {
              path: 'recognitionId',
              rule: 'recognition.id',
              message: `is ${body.recognitionId}, the path names ${params.id}`,
            },
          ]);
        }
        const regions = s.recognitions.regionsOf(params.id);
        if (!regions) throw new HttpProblem('not-found', `recognition ${params.id} does not exist`);
        assertAccess(principal!, 'POST /recognitions/:id/decision', [{ region: regions.target }]);
        const outcome = await s.recognitions.decide(body, principal!.region, regions.source);
        await s.auth.audit(req, 'recognition.decide', `recognition:${params.id}`, 'success', {
          txId: outcome.txId,
          outcome: body.outcome,
        });
        return outcome;
      },
    }),
    route({
      method: 'get',
      path: '/recognitions',
      operationId: 'listRecognitions',
      summary: 'The mutual-recognition board, by source region, target region and status',
      tags: ['recognition'],
      access: { kind: 'roles', roles: ['authority', 'auditor'] },
      query: RecognitionBoardQuerySchema,
      responses: { 200: { description: 'Recognitions', schema: RecognitionBoardSchema } },
      handle({ query }) {
        return Promise.resolve({ recognitions: s.recognitions.board(query) });
      },
    }),
  ];
}
