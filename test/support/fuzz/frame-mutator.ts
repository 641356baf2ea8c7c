import type { Rng } from './rng.js';

/** Bytes made hostile, and a word saying how (printed with a failing case). */
export interface Mutated {
  bytes: Buffer;
  how: string;
}

/** Sequences no UTF-8 decoder may accept: lone continuation and lead bytes, overlong forms, surrogates. */
const INVALID_UTF8 = [
  [0x80],
  [0xbf],
  [0xc3],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff],
];
const LINE_BREAKS = ['\n', '\r', '\r\n', '\n\n', '\r\r\n', '\n\r'];
/** Numbers that have broken parsers: past 9 and 15 digits, 2^32, 2^53 + 1, zero-padded, signed. */
const HUGE_NUMBERS = [
  '9999999999',
  '4294967296',
  '9007199254740993',
  '1'.repeat(16),
  '9'.repeat(40),
  '0'.repeat(20),
  '000000001',
  '-1',
  '1e9',
  '0x10',
];
const BAD_DATA_HEADERS = [
  'DATA',
  'DATA ',
  'DATA 1',
  'DATA 1 0',
  'DATA 1 0 0',
  'DATA x 0 5',
  'DATA -1 0 5',
  'DATA 1 0 65537',
  'DATA 1 0 999999999',
  'DATA 1 0 1234567890',
  'DATA 1 0 5 6',
  'DATA  1 0 5',
  'DATA 1 0 5 ',
  'DATA 1 0 +5',
  'DATA 1 9999999999999999 5',
];
/** Lines that look almost like frames. */
const ODD_LINES = [
  '*',
  '* ',
  '* MSG',
  '* MSG []',
  '* msg {}',
  '* BYE {"code":"x"}',
  '-',
  '- 200 OK',
  '1 200 OK {',
  '1 999 Weird',
  '0',
  '1234567890 PING',
  'data 1 0 1',
  'Data 1 0 1',
  'GET / HTTP/1.1',
  '\t',
  '\u00a0PING',
  '\ufeffPING',
  'PING\u0000',
  'P I N G',
  '\u2028',
  '12',
  '12 ',
  '12 34',
];

/** Turns bytes into the mistakes and attacks a classroom sends (issue 7): every way a frame can be wrong. */
export class FrameMutator {
  constructor(
    private readonly rng: Rng,
    /** The longest line the decoder under test accepts, LF included: enormous lines are sized around it. */
    private readonly lineLimit: number,
  ) {}

  /** One random mutation of `bytes`. */
  mutate(bytes: Buffer): Mutated {
    const { rng } = this;
    const at = (): number => rng.int(bytes.length + 1);
    const insert = (piece: Buffer, how: string): Mutated => {
      const i = at();
      return { bytes: Buffer.concat([bytes.subarray(0, i), piece, bytes.subarray(i)]), how };
    };
    switch (rng.int(9)) {
      case 0: {
        const out = Buffer.from(bytes);
        const flips = rng.range(1, 4);
        for (let i = 0; i < flips && out.length > 0; i++) {
          const j = rng.int(out.length);
          out[j] = (out[j] ?? 0) ^ (1 << rng.int(8));
        }
        return { bytes: out, how: 'bit flips' };
      }
      case 1:
        return insert(rng.bytes(rng.range(1, 16)), 'inserted bytes');
      case 2: {
        const i = at();
        const j = Math.min(bytes.length, i + rng.range(1, 16));
        return { bytes: Buffer.concat([bytes.subarray(0, i), bytes.subarray(j)]), how: 'deleted bytes' };
      }
      case 3:
        return { bytes: bytes.subarray(0, rng.int(bytes.length)), how: 'truncated' };
      case 4:
        return insert(Buffer.from(rng.pick(LINE_BREAKS)), 'CR/LF injected');
      case 5:
        return insert(Buffer.from(rng.pick(INVALID_UTF8)), 'invalid UTF-8');
      case 6:
        return { bytes: this.hugeNumber(bytes), how: 'huge number' };
      case 7: {
        const i = at();
        const j = Math.min(bytes.length, i + rng.range(1, 64));
        return insert(bytes.subarray(i, j), 'duplicated slice');
      }
      default: {
        const cut = bytes.lastIndexOf(0x0a);
        const body = cut < 0 ? bytes : bytes.subarray(0, cut);
        return { bytes: Buffer.concat([body, Buffer.from('\r\r\n')]), how: 'CR before CR LF' };
      }
    }
  }

  /** A data header whose length says more or fewer bytes than follow it. */
  lyingData(): Mutated {
    const { rng } = this;
    const length = rng.range(1, 600);
    const sent = rng.chance(0.5) ? rng.range(0, length - 1) : rng.range(length + 1, length + 600);
    const header = `DATA ${rng.range(0, 30)} ${rng.range(0, 1000)} ${length}\n`;
    return {
      bytes: Buffer.concat([Buffer.from(header), rng.bytes(sent)]),
      how: `DATA says ${length}, ${sent} sent`,
    };
  }

  badDataHeader(): Mutated {
    const line = this.rng.pick(BAD_DATA_HEADERS);
    return { bytes: Buffer.from(`${line}\n`), how: `bad data header ${JSON.stringify(line)}` };
  }

  /** A line sized around the limit (one byte under, at, over) or far past it, sometimes of multi-byte characters. */
  enormousLine(): Mutated {
    const { rng } = this;
    const limit = this.lineLimit;
    const length = rng.pick([limit - 2, limit - 1, limit, limit + 1, limit * 2, rng.range(limit, limit * 9)]);
    const filler = rng.pick(['x', 'é', '✓', '😀', ' ']);
    const head = rng.pick(['SAY r ', '1 TELL u ', 'NAME ', '* MSG {"t":"', '']);
    const repeat = Math.ceil(Math.max(0, length - head.length) / Buffer.byteLength(filler));
    const bytes = Buffer.from(head + filler.repeat(repeat)).subarray(0, Math.max(0, length - 1));
    const end = rng.chance(0.8) ? '\n' : '';
    return {
      bytes: Buffer.concat([bytes, Buffer.from(end)]),
      how: `line of ${bytes.length + end.length} bytes`,
    };
  }

  /** Random bytes, sometimes cut into lines. */
  randomBytes(): Mutated {
    const bytes = this.rng.bytes(this.rng.size(512));
    if (this.rng.chance(0.5)) for (let i = 0; i < bytes.length; i += this.rng.range(1, 40)) bytes[i] = 0x0a;
    return { bytes, how: `${bytes.length} random bytes` };
  }

  oddLine(): Mutated {
    const line = this.rng.pick(ODD_LINES);
    return {
      bytes: Buffer.from(`${line}${this.rng.pick(LINE_BREAKS)}`),
      how: `odd line ${JSON.stringify(line)}`,
    };
  }

  private hugeNumber(bytes: Buffer): Buffer {
    const text = bytes.toString('latin1');
    const runs = [...text.matchAll(/\d+/g)];
    const huge = this.rng.pick(HUGE_NUMBERS);
    if (runs.length === 0) return Buffer.concat([Buffer.from(`${huge} `), bytes]);
    const run = this.rng.pick(runs);
    const start = run.index;
    return Buffer.concat([
      bytes.subarray(0, start),
      Buffer.from(huge),
      bytes.subarray(start + run[0].length),
    ]);
  }
}
