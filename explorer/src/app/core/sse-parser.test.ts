import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('dispatches an event at the blank line that ends it', () => {
    const parser = new SseParser();
    expect(parser.feed('event: block\ndata: {"number":3}\n')).toEqual([]);
    expect(parser.feed('\n')).toEqual([{ event: 'block', data: '{"number":3}' }]);
  });

  it('reassembles events split across chunks anywhere, CRLF included', () => {
    const parser = new SseParser();
    const text = 'id: 7\r\nevent: receipt\r\ndata: {"a":\r\ndata: 1}\r\n\r\n: keep-alive\r\n\r\n';
    const events = [...text].flatMap((ch) => parser.feed(ch));
    expect(events).toEqual([{ event: 'receipt', data: '{"a":\n1}', id: '7' }]);
  });

  it('names unnamed events "message", ignores comments and reads retry', () => {
    const parser = new SseParser();
    expect(parser.feed(': hello\nretry: 1500\ndata:x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
    expect(parser.retryMs).toBe(1500);
  });

  it('drops an event without data', () => {
    expect(new SseParser().feed('event: block\n\n')).toEqual([]);
  });
});
