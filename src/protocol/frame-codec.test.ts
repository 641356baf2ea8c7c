import { describe, expect, it } from '@jest/globals';
import type { Decoded, Frame } from './frame.js';
import { FrameDecoder } from './frame-decoder.js';
import { encodeData, encodeEvent, encodeReply, encodeRequest, writeDataFrame } from './frame-encoder.js';

/** Hex fixtures: the exact bytes on the wire, the frame they decode to, and how to encode it again. */
interface Fixture {
  name: string;
  hex: string;
  frame: Frame;
  encode: () => Buffer;
}

const fixtures: Fixture[] = [
  {
    name: 'tagged request',
    // "7 SAY general hi | a:b\n"
    hex: '37205341592067656e6572616c206869207c20613a620a',
    frame: { kind: 'request', tag: 7, verb: 'SAY', args: 'general hi | a:b' },
    encode: () => encodeRequest(7, 'SAY', 'general hi | a:b'),
  },
  {
    name: 'untagged request typed in nc',
    // "LOGIN alice s3cret\n"
    hex: '4c4f47494e20616c69636520733363726574' + '0a',
    frame: { kind: 'request', tag: null, verb: 'LOGIN', args: 'alice s3cret' },
    encode: () => encodeRequest(null, 'LOGIN', 'alice s3cret'),
  },
  {
    name: 'reply with body',
    // '12 200 OK {"id":1}\n'
    hex: '3132203230302' + '04f4b207b226964223a317d0a',
    frame: { kind: 'reply', tag: 12, code: 200, reason: 'OK', body: { id: 1 } },
    encode: () => encodeReply(12, 200, { id: 1 }),
  },
  {
    name: 'untagged reply without body',
    // "- 404 Not Found\n"
    hex: '2d20343034204e6f7420466f756e640a',
    frame: { kind: 'reply', tag: null, code: 404, reason: 'Not Found', body: {} },
    encode: () => encodeReply(null, 404),
  },
  {
    name: 'event with multi-byte UTF-8',
    // '* MSG {"text":"olá ✓"}\n'
    hex: '2a204d5347207b2274657874223a226f6cc3a120e29c93227d0a',
    frame: { kind: 'event', event: 'MSG', body: { text: 'olá ✓' } },
    encode: () => encodeEvent('MSG', { text: 'olá ✓' }),
  },
  {
    name: 'data frame whose bytes contain LF and the word DATA',
    // "DATA 3 0 6\n" + 0a 44 41 54 41 00
    hex: '444154412033203020360a' + '0a4441544100',
    frame: { kind: 'data', transfer: 3, offset: 0, data: Buffer.from('0a4441544100', 'hex') },
    encode: () => encodeData(3, 0, Buffer.from('0a4441544100', 'hex')),
  },
];

const strip = (items: Decoded[]): unknown[] => items.map(({ start: _s, end: _e, ...frame }) => frame);

describe('frame codec fixtures', () => {
  for (const fixture of fixtures) {
    const bytes = Buffer.from(fixture.hex, 'hex');

    it(`${fixture.name}: parses`, () => {
      const out = new FrameDecoder().push(bytes);
      expect(strip(out)).toEqual([fixture.frame]);
      expect(out[0]?.start).toBe(0);
      expect(out[0]?.end).toBe(bytes.length);
    });

    it(`${fixture.name}: encodes to the same bytes`, () => {
      expect(fixture.encode().toString('hex')).toBe(fixture.hex);
    });

    it(`${fixture.name}: decodes the same when split at every offset`, () => {
      for (let cut = 1; cut < bytes.length; cut++) {
        const decoder = new FrameDecoder();
        const out = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
        expect(strip(out)).toEqual([fixture.frame]);
      }
    });
  }

  it('decodes all fixtures concatenated in one segment, byte by byte, and at every pair of cuts', () => {
    const all = Buffer.concat(fixtures.map((f) => Buffer.from(f.hex, 'hex')));
    const expected = fixtures.map((f) => f.frame);
    expect(strip(new FrameDecoder().push(all))).toEqual(expected);

    const byteByByte = new FrameDecoder();
    const out: Decoded[] = [];
    for (const byte of all) out.push(...byteByByte.push(Buffer.of(byte)));
    expect(strip(out)).toEqual(expected);

    for (let a = 1; a < all.length; a += 7) {
      for (let b = a + 1; b < all.length; b += 5) {
        const decoder = new FrameDecoder();
        const parts = [all.subarray(0, a), all.subarray(a, b), all.subarray(b)].flatMap((c) =>
          decoder.push(c),
        );
        expect(strip(parts)).toEqual(expected);
      }
    }
  });

  it('writes a data frame as its header and its bytes, corked together, the bytes not copied', () => {
    const calls: (string | Buffer)[] = [];
    const sink = {
      cork: () => void calls.push('cork'),
      uncork: () => void calls.push('uncork'),
      write: (bytes: Buffer): boolean => {
        calls.push(bytes);
        return false;
      },
    };
    const payload = Buffer.from('ab\nDATA 1 2 3\ncd');
    expect(writeDataFrame(sink, 4, 131072, payload)).toBe(false);
    expect(calls.map((c) => (typeof c === 'string' ? c : 'bytes'))).toEqual([
      'cork',
      'bytes',
      'bytes',
      'uncork',
    ]);
    expect(calls[2]).toBe(payload);
    const written = Buffer.concat(calls.filter((c): c is Buffer => Buffer.isBuffer(c)));
    expect(written).toEqual(encodeData(4, 131072, payload));
    const [frame] = new FrameDecoder().push(written);
    expect(frame).toMatchObject({ kind: 'data', transfer: 4, offset: 131072, data: payload });
  });

  it('round-trips random binary data frames of every size up to a chunk', () => {
    const decoder = new FrameDecoder();
    for (const size of [1, 2, 255, 4096, 65535, 65536]) {
      const payload = Buffer.alloc(size, size % 251);
      const [frame] = decoder.push(encodeData(9, size, payload));
      expect(frame).toMatchObject({ kind: 'data', transfer: 9, offset: size });
      expect(frame?.kind === 'data' && frame.data.equals(payload)).toBe(true);
    }
  });
});

describe('frame decoder dataBuffer', () => {
  it('joins a data frame split across pushes in the buffer given for its transfer; one in a single push is a view', () => {
    const given: [number, number][] = [];
    const target = Buffer.alloc(10);
    const decoder = new FrameDecoder({
      dataBuffer: (transfer, length) => {
        given.push([transfer, length]);
        return target;
      },
    });
    const whole = encodeData(3, 0, Buffer.from('0123456789'));
    const [first] = decoder.push(whole);
    expect(first).toMatchObject({ kind: 'data', transfer: 3, offset: 0 });
    expect(first?.kind === 'data' && first.data.buffer === whole.buffer).toBe(true);
    expect(given).toEqual([]);
    const split = encodeData(4, 10, Buffer.from('abcdefghij'));
    expect(decoder.push(split.subarray(0, 15))).toEqual([]);
    const [second] = decoder.push(split.subarray(15));
    expect(second).toMatchObject({ kind: 'data', transfer: 4, offset: 10 });
    expect(second?.kind === 'data' && second.data).toBe(target);
    expect(target.toString()).toBe('abcdefghij');
    expect(given).toEqual([[4, 10]]);
  });
});

describe('frame decoder refusals', () => {
  it('accepts CRLF line ends (nc -C, telnet) and ignores blank lines', () => {
    const out = new FrameDecoder().push(Buffer.from('\r\n\nPING\r\n'));
    expect(strip(out)).toEqual([{ kind: 'request', tag: null, verb: 'PING', args: '' }]);
  });

  it('reports a line over the limit once, skips it, and decodes the next line', () => {
    const decoder = new FrameDecoder({ maxLine: 16 });
    const long = Buffer.from(`SAY room ${'x'.repeat(40)}`);
    const out = [
      ...decoder.push(long.subarray(0, 20)),
      ...decoder.push(long.subarray(20)),
      ...decoder.push(Buffer.from('\nPING\n')),
    ];
    expect(strip(out)).toEqual([
      { kind: 'problem', code: 'FRAME_TOO_LARGE', message: 'line longer than 16 bytes', fatal: false },
      { kind: 'request', tag: null, verb: 'PING', args: '' },
    ]);
  });

  it("with oversizedAt 'lf', reports an oversized line where its LF arrives, covering the whole line", () => {
    const decoder = new FrameDecoder({ maxLine: 16, oversizedAt: 'lf' });
    const long = Buffer.from(`SAY room ${'x'.repeat(40)}`);
    expect(decoder.push(long.subarray(0, 20))).toEqual([]);
    expect(decoder.push(long.subarray(20))).toEqual([]); // past the limit, but no LF yet
    const out = decoder.push(Buffer.from('\nPING\n'));
    expect(out[0]).toMatchObject({
      kind: 'problem',
      code: 'FRAME_TOO_LARGE',
      start: 0,
      end: long.length + 1,
    });
    expect(strip(out)[1]).toEqual({ kind: 'request', tag: null, verb: 'PING', args: '' });
  });

  it("with oversizedAt 'lf', gives up waiting for the LF after maxSkip bytes", () => {
    const decoder = new FrameDecoder({ maxLine: 16, oversizedAt: 'lf', maxSkip: 64 });
    expect(decoder.push(Buffer.alloc(40, 0x78))).toEqual([]);
    const out = decoder.push(Buffer.alloc(40, 0x78));
    expect(out).toMatchObject([{ kind: 'problem', code: 'FRAME_TOO_LARGE', start: 0, end: 80 }]);
    expect(decoder.push(Buffer.from('tail\nPING\n')).map((d) => d.kind)).toEqual(['request']);
  });

  it('refuses invalid UTF-8 without losing the following frames', () => {
    const out = new FrameDecoder().push(
      Buffer.concat([Buffer.from('SAY r '), Buffer.of(0xc3, 0x28), Buffer.from('\nPING\n')]),
    );
    expect(out.map((d) => (d.kind === 'problem' ? d.code : d.kind))).toEqual(['BAD_ENCODING', 'request']);
  });

  it('keeps a multi-byte character split across two pushes whole', () => {
    const bytes = Buffer.from('SAY r ✓\n');
    const decoder = new FrameDecoder();
    const cut = bytes.indexOf(0x9c); // inside the 3-byte ✓
    const out = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
    expect(strip(out)).toEqual([{ kind: 'request', tag: null, verb: 'SAY', args: 'r ✓' }]);
  });

  it('stops at a data frame that announces more than the maximum', () => {
    const decoder = new FrameDecoder();
    const out = decoder.push(Buffer.from('DATA 1 0 999999\nPING\n'));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'problem', code: 'FRAME_TOO_LARGE', fatal: true });
    expect(decoder.isStopped).toBe(true);
    expect(decoder.push(Buffer.from('PING\n'))).toEqual([]);
  });

  it('calls a line that is not a frame a bad frame', () => {
    const out = new FrameDecoder().push(Buffer.from('12 LOGIN\n!!\n* MSG not-json\n'));
    expect(out.map((d) => (d.kind === 'problem' ? d.code : d.kind))).toEqual([
      'request',
      'BAD_FRAME',
      'BAD_FRAME',
    ]);
  });

  it('gives every frame its stream offsets', () => {
    const out = new FrameDecoder().push(Buffer.from('PING\nDATA 1 0 2\nab3 QUIT\n'));
    expect(out.map((d) => [d.kind, d.start, d.end])).toEqual([
      ['request', 0, 5],
      ['data', 5, 18],
      ['request', 18, 25],
    ]);
  });
});
