/**
 * Server-sent events from a fetch body, per the WHATWG event-stream rules that matter to LLM servers:
 * lines end in LF, CRLF or CR (a CRLF split across two network chunks is one line end, not two); an event
 * is its `data:` lines joined by "\n", dispatched at a blank line; lines starting with ":" are comments
 * (keep-alives); one space after the colon is dropped. Bytes are decoded as a stream, so a character split
 * between chunks survives. A last event not followed by a blank line is still delivered: some proxies cut
 * the final blank line, and the caller decides whether the stream was complete.
 */

export type SseEvent = { event: string; data: string };

export class SseParser {
  #rest = '';
  #data: string[] = [];
  #event = '';

  push(text: string): SseEvent[] {
    this.#rest += text;
    const events: SseEvent[] = [];
    const ends = /\r\n|\r|\n/g;
    let start = 0;
    for (let end = ends.exec(this.#rest); end; end = ends.exec(this.#rest)) {
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk to tell.
      if (end[0] === '\r' && end.index === this.#rest.length - 1) break;
      this.#line(this.#rest.slice(start, end.index), events);
      start = end.index + end[0].length;
    }
    this.#rest = this.#rest.slice(start);
    return events;
  }

  /** The stream ended: whatever is left is a last line, then a last event. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.#rest !== '') this.#line(this.#rest.replace(/\r$/, ''), events);
    this.#rest = '';
    this.#line('', events);
    return events;
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.#data.length > 0) events.push({ event: this.#event || 'message', data: this.#data.join('\n') });
      this.#data = [];
      this.#event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
  }
}

/** Every event of a body, in order. Stopping early (break, throw) cancels the body to free the connection. */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      yield* parser.push(decoder.decode(next.value, { stream: true }));
    }
    done = true;
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
