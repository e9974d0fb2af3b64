import { describe, expect, it } from 'vitest';
import { SseParser, readEvents, type SseEvent } from './sse.ts';

/** What a streaming server sends: a keep-alive comment, a role chunk, text, a two-line event, the end. */
const STREAM = [
  ': keep-alive',
  '',
  'data: {"a":1}',
  '',
  'event: note',
  'data:no space',
  'data:  two spaces',
  '',
  'id: 7',
  'retry: 100',
  'data: [DONE]',
  '',
  '',
].join('\n');

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"a":1}' },
  { event: 'note', data: 'no space\n two spaces' },
  { event: 'message', data: '[DONE]' },
];

function parseIn(pieces: string[]): SseEvent[] {
  const parser = new SseParser();
  return [...pieces.flatMap((p) => parser.push(p)), ...parser.end()];
}

describe('SseParser', () => {
  it('gives the same events wherever the stream is split, with LF, CRLF or CR line ends', () => {
    for (const ending of ['\n', '\r\n', '\r']) {
      const text = STREAM.replaceAll('\n', ending);
      for (let at = 0; at <= text.length; at += 1) {
        expect(parseIn([text.slice(0, at), text.slice(at)]), `${JSON.stringify(ending)} at ${at}`).toEqual(EXPECTED);
      }
      expect(parseIn([...text])).toEqual(EXPECTED); // one character at a time
    }
  });

  it('treats a CRLF split between chunks as one line end, not an empty line that ends the event', () => {
    expect(parseIn(['data: a\r', '\ndata: b\r\n\r\n'])).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('delivers a last event that has no blank line after it, and none for a stream of comments', () => {
    expect(parseIn(['data: last'])).toEqual([{ event: 'message', data: 'last' }]);
    expect(parseIn([': ping\n\n: ping\n'])).toEqual([]);
  });
});

describe('readEvents', () => {
  it('decodes a character whose bytes arrive in different chunks', async () => {
    const bytes = new TextEncoder().encode('data: π → ok\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    for await (const event of readEvents(body)) events.push(event);
    expect(events).toEqual([{ event: 'message', data: 'π → ok' }]);
  });

  it('cancels the body when the reader stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: x\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of readEvents(body)) {
      expect(event.data).toBe('x');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
