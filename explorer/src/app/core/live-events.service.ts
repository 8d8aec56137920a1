import { Injectable, inject, signal } from '@angular/core';
import { Observable, share } from 'rxjs';
import { apiUrl } from './api-client';
import { type LedgerEvent, type LedgerEventName } from '@approval-ledger/protocol/api';
import { AuthService } from './auth.service';
import { SseParser, type ServerSentEvent } from './sse-parser';

const EVENT_NAMES: readonly string[] = ['block', 'receipt', 'recognition'] satisfies LedgerEventName[];
const DEFAULT_RETRY_MS = 3000;

/** A typed ledger event from a raw SSE event, or undefined for names or data the explorer does not know. */
export function toLedgerEvent(raw: ServerSentEvent): LedgerEvent | undefined {
  if (!EVENT_NAMES.includes(raw.event)) return undefined;
  try {
    return { type: raw.event, data: JSON.parse(raw.data) as unknown } as LedgerEvent;
  } catch {
    return undefined;
  }
}

/**
 * The hub's live events (`GET /api/v1/events`), read with `fetch` so the bearer token goes in a header.
 * One connection is shared by all subscribers, opened on the first and closed after the last; it reconnects
 * after a drop, resuming from the last event id.
 */
@Injectable({ providedIn: 'root' })
export class LiveEventsService {
  readonly #auth = inject(AuthService);
  readonly connected = signal(false);
  readonly events: Observable<LedgerEvent> = new Observable<LedgerEvent>((subscriber) => {
    const abort = new AbortController();
    void this.#run(abort.signal, (event) => subscriber.next(event));
    return () => {
      abort.abort();
      this.connected.set(false);
    };
  }).pipe(share());

  async #run(signal: AbortSignal, emit: (event: LedgerEvent) => void): Promise<void> {
    let lastEventId: string | undefined;
    while (!signal.aborted) {
      const parser = new SseParser();
      try {
        lastEventId = await this.#readStream(signal, parser, lastEventId, emit);
      } catch {
        // dropped or refused: wait and reconnect
      }
      this.connected.set(false);
      await delay(parser.retryMs ?? DEFAULT_RETRY_MS, signal);
    }
  }

  async #readStream(
    signal: AbortSignal,
    parser: SseParser,
    lastEventId: string | undefined,
    emit: (event: LedgerEvent) => void,
  ): Promise<string | undefined> {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    const token = this.#auth.token();
    if (token) headers['Authorization'] = `Bearer ${token}`;
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const response = await fetch(apiUrl('events'), { headers, signal, cache: 'no-store' });
    if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
    this.connected.set(true);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return lastEventId;
      for (const raw of parser.feed(value)) {
        lastEventId = raw.id ?? lastEventId;
        const event = toLedgerEvent(raw);
        if (event) emit(event);
      }
    }
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
