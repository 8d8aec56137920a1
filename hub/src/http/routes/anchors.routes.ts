/**
 * Public anchors of the log's checkpoints on an EVM chain, public like the checkpoints they anchor: each the
 * anchor reference (chain id, contract, tx, block, log index, checkpoint) a verifier checks against any RPC of
 * that chain. Served by the hub's anchorer (`anchor/anchorer.ts`).
 */
import { AnchorPageSchema, AnchorRecordSchema, AnchorsQuerySchema } from '@approval-ledger/protocol/api';
import { type ApiServices, type PublicAnchors } from '../api-services';
import { HttpProblem } from '../problem';
import { route, type RouteSpec } from '../route';

function anchorsOf(s: ApiServices): PublicAnchors {
  if (!s.anchors) {
    throw new HttpProblem(
      'not-ready',
      'this hub anchors nothing (LEDGER_ANCHOR=off, LEDGER_ANCHOR_RPC unset, or the chain could not be reached)',
    );
  }
  return s.anchors;
}

export function anchorRoutes(s: ApiServices): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/anchors',
      operationId: 'listAnchors',
      summary: 'Anchors of checkpoints on the EVM chain, newest first (`before` a tree size pages back)',
      tags: ['checkpoints'],
      access: { kind: 'public', rateLimited: true },
      query: AnchorsQuerySchema,
      responses: { 200: { description: 'A page of anchors', schema: AnchorPageSchema } },
      handle({ query }) {
        return Promise.resolve(anchorsOf(s).page(query.limit, query.before));
      },
    }),
    route({
      method: 'get',
      path: '/anchors/latest',
      operationId: 'getLatestAnchor',
      summary: 'The latest anchor of a checkpoint on the EVM chain',
      tags: ['checkpoints'],
      access: { kind: 'public', rateLimited: true },
      responses: { 200: { description: 'The anchor', schema: AnchorRecordSchema } },
      handle() {
        const latest = anchorsOf(s).latest();
        if (!latest) throw new HttpProblem('not-found', 'no checkpoint is anchored yet');
        return Promise.resolve(latest);
      },
    }),
  ];
}
