import { describe, expect, it } from '@jest/globals';
import type { FrameDecoderOptions } from '../../src/protocol/index.js';
import { encodeData, encodeRequest, LIMITS } from '../../src/protocol/index.js';
import type { Decoding } from '../support/fuzz/decode-check.js';
import {
  checkDecoding,
  compareDecodings,
  decode,
  describe as show,
  sameFrame,
  withinTime,
} from '../support/fuzz/decode-check.js';
import type { FuzzCase } from '../support/fuzz/fuzz-case.js';
import { hostileCase, randomCuts, split, validCase } from '../support/fuzz/fuzz-case.js';
import { caseFailure, FuzzFailure, fuzzSettings } from '../support/fuzz/fuzz-config.js';
import { caseSeed, Rng } from '../support/fuzz/rng.js';

// Fuzzing src/protocol/frame-decoder.ts (issue 7): seeded random, mutated and truncated streams. The decoder
// must never throw or hang, must report bad input with the documented problem codes (docs/PROTOCOL.md §1,
// §5), must give each item the offsets of its bytes, and must decode the same whatever the segmentation.

const FILE = 'test/fuzz/frame-decoder.fuzz.test.ts';
const settings = fuzzSettings(2500);
/** Cases run under one watchdog; hang detection only: a case normally takes well under a millisecond. */
const BATCH = 100;
const BATCH_TIME_LIMIT_MS = 10_000;

/** The server's limits, or small ones so that the limits are crossed often. */
function limitsFor(rng: Rng): Required<Pick<FrameDecoderOptions, 'maxLine' | 'maxData'>> {
  return rng.chance(0.5)
    ? { maxLine: LIMITS.requestLine, maxData: LIMITS.dataChunk }
    : { maxLine: rng.range(8, 300), maxData: rng.range(1, 2048) };
}

interface Run {
  fuzzCase: FuzzCase;
  check: () => string | null;
}

/**
 * Runs every case under a watchdog, a batch at a time: an exception, a broken promise or a hang becomes a
 * failure that names the case, with its bytes.
 */
function runCases(makeCase: (index: number) => Run): void {
  for (let from = 0; from < settings.cases; from += BATCH) {
    let current: FuzzCase | undefined;
    try {
      withinTime(BATCH_TIME_LIMIT_MS, () => {
        for (let i = from; i < Math.min(settings.cases, from + BATCH); i++) {
          const run = makeCase(i);
          current = run.fuzzCase;
          const problem = run.check();
          if (problem !== null) throw caseFailure(run.fuzzCase, FILE, problem);
        }
      });
    } catch (error) {
      if (error instanceof FuzzFailure || !current) throw error;
      const what = error instanceof Error ? (error.stack ?? error.message) : String(error);
      throw caseFailure(current, FILE, what);
    }
  }
}

/** Whole, then split at random points: both decodings keep the decoder's promises and agree. */
function checkSegmentations(fuzzCase: FuzzCase, options: FrameDecoderOptions, rng: Rng): string | null {
  const whole = decode([fuzzCase.bytes], options);
  const wrong = checkDecoding(fuzzCase.bytes, whole, options);
  if (wrong) return `decoded in one segment: ${wrong}`;
  for (let round = 0; round < 2; round++) {
    const cuts = randomCuts(rng, fuzzCase.bytes.length);
    const parts = decode(split(fuzzCase.bytes, cuts), options);
    const broken = checkDecoding(fuzzCase.bytes, parts, options) ?? compareDecodings(whole, parts, true);
    if (broken) return `split at [${cuts.join(', ')}]: ${broken}`;
  }
  return reencode(whole, options);
}

/** Requests and data frames read from any input encode again to bytes that decode to the same frame. */
function reencode(decoding: Decoding, options: FrameDecoderOptions): string | null {
  for (const item of decoding.items) {
    let bytes: Buffer;
    if (item.kind === 'request' && !/[\r\n]/.test(item.args))
      bytes = encodeRequest(item.tag, item.verb, item.args);
    else if (item.kind === 'data') bytes = encodeData(item.transfer, item.offset, item.data);
    else continue;
    const again = decode([bytes], options).items;
    const [first] = again;
    if (again.length !== 1 || !first || first.kind === 'problem' || !sameFrame(first, item)) {
      return `${show(item)} encodes to ${JSON.stringify(bytes.toString('latin1').slice(0, 80))}, which decodes to ${again.map(show).join(', ')}`;
    }
  }
  return null;
}

describe(`frame decoder fuzz (seed ${settings.seed}, ${settings.cases} cases per test)`, () => {
  it('survives random, mutated and truncated streams, whole and split: documented problems, exact offsets', () => {
    const seen = new Map<string, number>();
    runCases((i) => {
      const seed = caseSeed(settings.seed, i);
      const rng = new Rng(seed ^ 0x5bd1e995);
      const limits = limitsFor(rng);
      const fuzzCase = hostileCase(seed, {
        lineLimit: limits.maxLine,
        maxPayload: rng.chance(0.5) ? limits.maxData : limits.maxData * 2,
      });
      const check = (): string | null => {
        for (const item of decode([fuzzCase.bytes], limits).items) {
          const key = item.kind === 'problem' ? `${item.code}${item.fatal ? ' fatal' : ''}` : item.kind;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
        return checkSegmentations(fuzzCase, limits, rng);
      };
      return { fuzzCase, check };
    });
    // The cases reach every outcome the decoder has, or the generator has gone blind somewhere.
    expect([...seen.keys()].sort()).toEqual(
      expect.arrayContaining([
        'BAD_ENCODING',
        'BAD_FRAME',
        'BAD_FRAME fatal',
        'FRAME_TOO_LARGE',
        'FRAME_TOO_LARGE fatal',
        'data',
        'event',
        'reply',
        'request',
      ]),
    );
  });

  it('round-trips valid frames of every kind through encode and decode, in one segment and split', () => {
    runCases((i) => {
      const seed = caseSeed(settings.seed, i);
      const fuzzCase = validCase(seed, { lineLimit: LIMITS.serverLine });
      const rng = new Rng(seed ^ 0x5bd1e995);
      const check = (): string | null => {
        const cuts = randomCuts(rng, fuzzCase.bytes.length);
        for (const segments of [[fuzzCase.bytes], split(fuzzCase.bytes, cuts)]) {
          const { items, pendingBytes } = decode(segments, {});
          let offset = 0;
          for (const [k, generated] of fuzzCase.frames.entries()) {
            const item = items[k];
            const end = offset + generated.bytes.length;
            if (!item || item.kind === 'problem' || !sameFrame(item, generated.frame)) {
              return `frame ${k} (${show(generated.frame)}) decoded as ${item ? show(item) : 'nothing'} (${segments.length} segments)`;
            }
            if (item.start !== offset || item.end !== end)
              return `frame ${k} at ${show(item)}, not [${offset}, ${end})`;
            offset = end;
          }
          if (items.length !== fuzzCase.frames.length || pendingBytes !== 0) {
            return `${items.length} items and ${pendingBytes} bytes pending for ${fuzzCase.frames.length} frames`;
          }
        }
        return null;
      };
      return { fuzzCase, check };
    });
  });
});
