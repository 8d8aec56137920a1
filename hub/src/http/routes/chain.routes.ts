/** The chain for auditors: block pages, one block, one transaction. */
import {
  BlockPageSchema,
  BlockParamsSchema,
  BlockJsonSchema,
  BlocksQuerySchema,
  TransactionParamsSchema,
  TransactionJsonSchema,
} from '@approval-ledger/protocol/api';
import { type ApiServices } from '../api-services';
import { route, type RouteSpec } from '../route';

export function chainRoutes(s: ApiServices): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/blocks',
      operationId: 'listBlocks',
      summary: 'Blocks, newest first (`before` pages back)',
      tags: ['chain'],
      access: { kind: 'roles', roles: ['auditor'] },
      query: BlocksQuerySchema,
      responses: { 200: { description: 'A page of block summaries', schema: BlockPageSchema } },
      async handle({ query }) {
        return { height: await s.chain.height(), blocks: s.chain.blocks(query.before, query.limit) };
      },
    }),
    route({
      method: 'get',
      path: '/blocks/:number',
      operationId: 'getBlock',
      summary: 'One block: header, orderer signature, transactions with endorsements',
      tags: ['chain'],
      access: { kind: 'roles', roles: ['auditor'] },
      params: BlockParamsSchema,
      responses: { 200: { description: 'The block', schema: BlockJsonSchema } },
      handle({ params }) {
        return s.chain.block(params.number);
      },
    }),
    route({
      method: 'get',
      path: '/transactions/:txId',
      operationId: 'getTransaction',
      summary: 'One transaction: creator, arguments, endorsements, event, the records it anchored',
      tags: ['chain'],
      access: { kind: 'roles', roles: ['auditor'] },
      params: TransactionParamsSchema,
      responses: { 200: { description: 'The transaction', schema: TransactionJsonSchema } },
      handle({ params }) {
        return s.chain.transaction(params.txId);
      },
    }),
  ];
}
