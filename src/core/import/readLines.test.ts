import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, readLines, type RawLine } from './readLines.ts';

/** A byte stream cut into chunks of `size` bytes (1: every boundary a chunk boundary). */
function streamOf(bytes: Uint8Array, size = 7): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

async function lines(bytes: Uint8Array, size?: number): Promise<RawLine[]> {
  const out: RawLine[] = [];
  for await (const line of readLines(streamOf(bytes, size))) out.push(line);
  return out;
}

describe('readLines', () => {
  it('numbers lines from 1, skips blank ones, reads a last line without a newline', async () => {
    for (const size of [1, 3, 1024])
      expect(await lines(utf8('a\n\n  \nb\nc'), size)).toEqual([
        { line: 1, text: 'a' },
        { line: 4, text: 'b' },
        { line: 5, text: 'c' },
      ]);
  });

  it('drops CR of CRLF and a BOM at the start of the file only', async () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const bytes = new Uint8Array([...bom, ...utf8('{"a":1}\r\n'), ...bom, ...utf8('x\r\n')]);
    expect(await lines(bytes, 2)).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '\ufeffx' },
    ]);
  });

  it('decodes characters cut by a chunk boundary', async () => {
    expect(await lines(utf8('é€😀\nñ'), 1)).toEqual([
      { line: 1, text: 'é€😀' },
      { line: 2, text: 'ñ' },
    ]);
  });

  it('reports invalid UTF-8 with its line and byte, and reads on', async () => {
    const bytes = new Uint8Array([...utf8('ok\nab'), 0xc3, 0x28, ...utf8('\n'), 0xff, ...utf8('\nfine')]);
    expect(await lines(bytes)).toEqual([
      { line: 1, text: 'ok' },
      { line: 2, problem: 'not valid UTF-8 (at byte 4 of the line)' },
      { line: 3, problem: 'not valid UTF-8 (at byte 1 of the line)' },
      { line: 4, text: 'fine' },
    ]);
  });

  it('reports a line over 1 MiB without keeping it', async () => {
    const long = 'x'.repeat(MAX_LINE_BYTES + 1);
    const exact = 'y'.repeat(MAX_LINE_BYTES);
    const out = await lines(utf8(`a\n${long}\n${exact}\nb`), 64 * 1024);
    expect(out.map((l) => ('text' in l ? l.text.length : l.problem))).toEqual([
      1,
      `longer than 1 MiB (${MAX_LINE_BYTES + 1} bytes)`,
      MAX_LINE_BYTES,
      1,
    ]);
  });

  it('lets go of the stream when the reader stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(utf8('line\n')),
      cancel: () => void (cancelled = true),
    });
    for await (const line of readLines(stream)) if (line.line === 3) break;
    expect(cancelled).toBe(true);
  });
});
