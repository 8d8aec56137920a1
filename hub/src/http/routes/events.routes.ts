/** GET /events: Server-Sent Events of new blocks, receipts and recognitions. */
import { LedgerEventSchema } from '@approval-ledger/protocol/api';
import { type FeedEvent } from '../../services/event-feed';
import { type ApiServices } from '../api-services';
import { RESPONDED, route, type RouteSpec } from '../route';

const HEARTBEAT_MS = 15_000;

export function eventRoutes(s: ApiServices): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/events',
      operationId: 'events',
      summary: 'Live events (text/event-stream): `block`, `receipt`, `recognition`',
      description:
        'Each event is `event: <type>`, `id: <n>`, `data: <JSON>`: a block summary once it is committed and ' +
        'indexed, every receipt published on `ledger.receipt.*`, every notice on `ledger.recognition.*`. A comment ' +
        'line is sent every 15 s to keep the connection open.',
      tags: ['chain'],
      access: { kind: 'roles', roles: ['auditor', 'authority'] },
      responses: {
        200: {
          description: 'The event stream; each event’s `type` is its SSE `event` name and `data` its JSON',
          contentType: 'text/event-stream',
          schema: LedgerEventSchema,
        },
      },
      handle({ req, res }) {
        res.status(200).set({
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-cache, no-transform',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
        });
        res.flushHeaders();
        res.write(': approval-ledger events\n\n');
        const send = (event: FeedEvent): void => {
          res.write(`event: ${event.type}\nid: ${event.id}\ndata: ${JSON.stringify(event.data)}\n\n`);
        };
        const unsubscribe = s.feed.subscribe(send);
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        req.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
        });
        return Promise.resolve(RESPONDED);
      },
    }),
  ];
}
