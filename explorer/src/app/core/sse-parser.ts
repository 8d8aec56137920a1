/** One Server-Sent Event as dispatched (WHATWG HTML, "Parsing an event stream"). */
export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/**
 * An incremental parser of a `text/event-stream`: feed it text as it arrives, in chunks of any size, and it
 * returns the events completed so far. Used instead of `EventSource`, which cannot send a bearer token.
 */
export class SseParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #id: string | undefined;
  /** The reconnection delay the server asked for (`retry:`), in milliseconds. */
  retryMs: number | undefined;

  feed(chunk: string): ServerSentEvent[] {
    this.#buffer += chunk;
    const events: ServerSentEvent[] = [];
    let match: RegExpExecArray | null;
    const lineEnd = /\r\n|\r(?!$)|\n/g;
    let start = 0;
    while ((match = lineEnd.exec(this.#buffer)) !== null) {
      const event = this.#line(this.#buffer.slice(start, match.index));
      if (event) events.push(event);
      start = match.index + match[0].length;
    }
    this.#buffer = this.#buffer.slice(start);
    return events;
  }

  #line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    this.#field(field, value);
    return undefined;
  }

  #field(field: string, value: string): void {
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  #dispatch(): ServerSentEvent | undefined {
    const hasData = this.#data.length > 0;
    const event: ServerSentEvent = {
      event: this.#event || 'message',
      data: this.#data.join('\n'),
      ...(this.#id === undefined ? {} : { id: this.#id }),
    };
    this.#event = '';
    this.#data = [];
    return hasData ? event : undefined;
  }
}
