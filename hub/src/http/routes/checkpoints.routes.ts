/**
 * The ledger's transparency log, public like verification (its content is block hashes only): the latest
 * cosigned checkpoint (a C2SP signed note, text/plain), inclusion and consistency proofs, and the log's
 * status (origin, key, witnesses). Served by the hub's checkpointer (`tlog/checkpointer.ts`).
 */
import {
  ConsistencyProofJsonSchema,
  ConsistencyQuerySchema,
  InclusionProofJsonSchema,
  InclusionQuerySchema,
  StatusAnswerSchema,
  StatusParamsSchema,
  StatusQuerySchema,
  TlogStatusSchema,
} from '@approval-ledger/protocol/api';
import { z } from 'zod';
import { type ApiServices, type TransparencyLog } from '../api-services';
import { HttpProblem } from '../problem';
import { RESPONDED, route, type RouteSpec } from '../route';

function logOf(s: ApiServices): TransparencyLog {
  if (!s.tlog)
    throw new HttpProblem('not-ready', 'this hub runs no transparency log (LEDGER_TLOG=off, or it stopped)');
  return s.tlog;
}

/** A size or block outside the log is a 404 naming it. */
async function inRange<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RangeError) throw new HttpProblem('not-found', error.message);
    throw error;
  }
}

export function checkpointRoutes(s: ApiServices): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/checkpoints/latest',
      operationId: 'getLatestCheckpoint',
      summary: 'The latest checkpoint: C2SP tlog-checkpoint signed note with the witnesses’ cosignatures',
      tags: ['checkpoints'],
      access: { kind: 'public', rateLimited: true },
      responses: {
        200: {
          description: 'The signed note',
          contentType: 'text/plain; charset=utf-8',
          schema: z.string().describe('origin, tree size, base64 root; a blank line; the signature lines'),
        },
      },
      handle({ res }) {
        const latest = logOf(s).latest();
        if (!latest) throw new HttpProblem('not-found', 'no checkpoint is published yet');
        res.type('text/plain; charset=utf-8').send(latest.cosigned);
        return Promise.resolve(RESPONDED);
      },
    }),
    route({
      method: 'get',
      path: '/checkpoints/inclusion',
      operationId: 'getInclusionProof',
      summary:
        'RFC 6962 inclusion proof of a block in the tree of a given size (default: the latest checkpoint)',
      tags: ['checkpoints'],
      access: { kind: 'public', rateLimited: true },
      query: InclusionQuerySchema,
      responses: { 200: { description: 'The audit path', schema: InclusionProofJsonSchema } },
      handle({ query }) {
        return inRange(() => logOf(s).inclusion(query.block, query.size));
      },
    }),
    route({
      method: 'get',
      path: '/checkpoints/consistency',
      operationId: 'getConsistencyProof',
      summary: 'RFC 6962 consistency proof between two tree sizes (default to: the latest checkpoint)',
      tags: ['checkpoints'],
      access: { kind: 'public', rateLimited: true },
      query: ConsistencyQuerySchema,
      responses: { 200: { description: 'The consistency proof', schema: ConsistencyProofJsonSchema } },
      handle({ query }) {
        return inRange(() => logOf(s).consistency(query.from, query.to));
      },
    }),
    route({
      method: 'get',
      path: '/checkpoints/status',
      operationId: 'getTlogStatus',
      summary: 'The log’s origin and key, its tree size, the latest checkpoint and its witnesses',
      tags: ['checkpoints'],
      access: { kind: 'public', rateLimited: true },
      responses: { 200: { description: 'The status', schema: TlogStatusSchema } },
      handle() {
        return Promise.resolve(logOf(s).status());
      },
    }),
    route({
      method: 'get',
      path: '/status/:kind/:id',
      operationId: 'getStatusProof',
      summary:
        'Status proof of a certificate, milestone or recognition at a checkpoint (default: the latest): ' +
        'membership (revoked by tx X at block B) or non-membership (neighbour leaves) in the status tree ' +
        'the checkpoint commits to in its `status` line',
      tags: ['checkpoints'],
      access: { kind: 'public', rateLimited: true },
      params: StatusParamsSchema,
      query: StatusQuerySchema,
      responses: { 200: { description: 'The proof and the commitment', schema: StatusAnswerSchema } },
      handle({ params, query }) {
        return inRange(() =>
          logOf(s).statusProof(params.kind, params.id, query.checkpoint, query.recordVersion),
        );
      },
    }),
  ];
}
