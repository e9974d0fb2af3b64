import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSource, looksBinary, sha256Hex } from './decode.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeSource', () => {
  it('decodes UTF-8 text, non-ASCII included', () => {
    expect(decodeSource(utf8('name = "café ☕"\n'))).toEqual({ ok: true, text: 'name = "café ☕"\n' });
  });

  it('strips one leading BOM but keeps a second one as text', () => {
    const bom = [0xef, 0xbb, 0xbf];
    expect(decodeSource(new Uint8Array([...bom, ...utf8('x = 1\n')]))).toEqual({ ok: true, text: 'x = 1\n' });
    expect(decodeSource(new Uint8Array([...bom, ...bom, 0x78]))).toEqual({ ok: true, text: '\uFEFFx' });
  });

  it('calls a file binary when a NUL sits in the first 8000 bytes, not after', () => {
    const early = new Uint8Array(8000).fill(0x61);
    early[7999] = 0;
    expect(decodeSource(early)).toMatchObject({ ok: false, reason: 'binary' });
    const late = new Uint8Array(8001).fill(0x61);
    late[8000] = 0;
    expect(looksBinary(late)).toBe(false);
    expect(decodeSource(late)).toMatchObject({ ok: true });
  });

  it('rejects invalid UTF-8 and names the line of the first bad byte', () => {
    const latin1 = new Uint8Array([...utf8('x = 1\n# caf'), 0xe9, ...utf8('\ny = 2\n')]);
    expect(decodeSource(latin1)).toEqual({ ok: false, reason: 'not_utf8', detail: 'invalid UTF-8 on line 2' });
  });

  it('rejects UTF-16 (it is full of NULs) as binary', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x78, 0x00, 0x3d, 0x00]);
    expect(decodeSource(utf16)).toMatchObject({ ok: false, reason: 'binary' });
  });
});

describe('sha256Hex', () => {
  it("matches Node's crypto, also for a view into a larger buffer", async () => {
    const whole = utf8('prefix|def f():\n    return 1\n|suffix');
    const view = whole.subarray(7, whole.length - 7);
    const expected = createHash('sha256').update(view).digest('hex');
    expect(await sha256Hex(view)).toBe(expected);
    expect(await sha256Hex(new Uint8Array())).toBe(createHash('sha256').digest('hex'));
  });
});
