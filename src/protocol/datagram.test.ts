import { describe, expect, it } from '@jest/globals';
import { DatagramDecoder, FrameCutter } from './datagram.js';
import { encodeData, encodeReply } from './frame-encoder.js';

const text = (frames: Buffer[]): string[] => frames.map((f) => f.toString('latin1'));

describe('FrameCutter (docs/PROTOCOL.md §10: one frame a datagram)', () => {
  it('cuts whole frames however the bytes were written, a DATA header with its payload', () => {
    const cutter = new FrameCutter();
    const stream = Buffer.concat([
      encodeReply(1, 200, { ok: true }),
      encodeData(3, 0, Buffer.from('ab\ncd')),
      Buffer.from('\n* MSG {"text":"hi"}\n'),
    ]);
    const frames: Buffer[] = [];
    // One byte a write: every frame still comes out whole, the blank line as nothing.
    for (const byte of stream) frames.push(...cutter.push(Buffer.from([byte])));
    expect(text(frames)).toEqual(['1 200 OK {"ok":true}\n', 'DATA 3 0 5\nab\ncd', '* MSG {"text":"hi"}\n']);
    // All at once: the same frames.
    expect(text(new FrameCutter().push(stream))).toEqual(text(frames));
  });
});

describe('DatagramDecoder', () => {
  it('decodes each datagram alone: whole frames, several in one datagram', () => {
    const decoder = new DatagramDecoder();
    const items = decoder.push(Buffer.from('1 PING\n2 HELP\n'));
    expect(items.map((i) => i.kind)).toEqual(['request', 'request']);
    expect(decoder.push(encodeData(1, 0, Buffer.from('xyz')))).toMatchObject([
      { kind: 'data', transfer: 1, offset: 0 },
    ]);
  });

  it('refuses a datagram that ends inside a line, with its tag, and never glues it to the next', () => {
    const decoder = new DatagramDecoder();
    expect(decoder.push(Buffer.from('1 PING\n7 SAY lab hel'))).toMatchObject([
      { kind: 'request', tag: 1, verb: 'PING' },
      { kind: 'problem', code: 'BAD_FRAME', fatal: false, tag: '7' },
    ]);
    // The rest of the line, sent again alone, is a line of its own (a request LO), not the end of SAY.
    expect(decoder.push(Buffer.from('lo\n'))).toMatchObject([{ kind: 'request', tag: null, verb: 'LO' }]);
    expect(decoder.push(Buffer.from('8 PING\n'))).toMatchObject([{ kind: 'request', tag: 8 }]);
  });

  it('refuses a DATA frame cut short, and a bad DATA header does not stop the next datagram', () => {
    const decoder = new DatagramDecoder();
    const [cut] = decoder.push(Buffer.from('DATA 4 1200 1200\nonly this'));
    expect(cut).toMatchObject({ kind: 'problem', code: 'BAD_FRAME', fatal: false });
    expect(cut?.kind === 'problem' && cut.message).toMatch(
      /ends inside DATA 4 1200 1200 \(9 of its 1200 bytes\)/,
    );
    expect(decoder.push(Buffer.from('DATA x\n'))).toMatchObject([{ kind: 'problem', fatal: false }]);
    expect(decoder.push(Buffer.from('9 PING\n'))).toMatchObject([{ kind: 'request', tag: 9 }]);
  });
});
