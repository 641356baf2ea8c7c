import type {
  CommandSpec,
  Frame,
  OptionValue,
  RequestFrame,
  StatusCode,
} from '../../../src/protocol/index.js';
import { createHash } from 'node:crypto';
import {
  COMMANDS,
  encodeData,
  encodeEvent,
  encodeReply,
  encodeRequest,
  STATUS,
} from '../../../src/protocol/index.js';
import type { Vocabulary } from './argument-builder.js';
import { ArgumentBuilder } from './argument-builder.js';
import { HEX_CHARS, mixCase, randomText, randomWord } from './random-text.js';
import type { Rng } from './rng.js';

/** A generated frame: its bytes on the wire and the frame the decoder must read back from them. */
export interface Generated {
  frame: Frame;
  bytes: Buffer;
}

/** A generated request, with what `parseArguments` must make of its arguments (docs/PROTOCOL.md §4). */
export interface GeneratedRequest extends Generated {
  frame: RequestFrame;
  spec: CommandSpec;
  /** The error code the arguments must be refused with, or null when they are valid. */
  refusal: string | null;
  /** For valid arguments: each parameter's value as parsed (ints as numbers, choices lower-cased). */
  values: Map<string, string | number>;
  options: Map<string, OptionValue>;
}

/** An upload the server has accepted (`100 Continue`) and not yet completed. */
export interface OpenTransfer {
  transfer: number;
  size: number;
  received: number;
  /** Its UPLOAD gave `-` for the SHA-256: a DIGEST line ends it. */
  digestFollows?: boolean;
}

export interface GeneratorOptions {
  /** Names on the server under test, so that requests reach past "no such room" and "no such user". */
  names?: Vocabulary;
  /** Relative weight of each verb (default 1); the server fuzz makes scrypt-bound verbs rarer. */
  verbWeight?: (verb: string) => number;
  /** Largest data payload generated (default 65536, the protocol's chunk). */
  maxPayload?: number;
  /** Transfer numbers of data frames are drawn from 1 to this (default: any). */
  maxTransfer?: number;
  /** Uploads open on the server: most data frames go to one of them, many with the bytes it expects. */
  transfers?: readonly OpenTransfer[];
}

const EVENTS = ['HELLO', 'MSG', 'DM', 'JOIN', 'LEAVE', 'OWNER', 'DELETED', 'FILE', 'NOTIFY', 'BYE'];
const KEYS = ['id', 'code', 'text', 'room', 'from', 'message'];

/** Generators of valid frames of every kind (docs/PROTOCOL.md §1), and of requests with bad arguments. */
export class FrameGenerator {
  private readonly verbs: readonly (readonly [number, CommandSpec])[];

  constructor(
    private readonly rng: Rng,
    private readonly options: GeneratorOptions = {},
  ) {
    const weight = options.verbWeight ?? (() => 1);
    this.verbs = [...COMMANDS.values()].map((spec) => [weight(spec.verb), spec] as const);
  }

  /** Any valid frame: mostly requests, as a client sends them; lines end in LF or, as `nc -C` sends, CR LF. */
  frame(): Generated {
    const generated = this.rng.weighted<() => Generated>([
      [5, () => this.request(0)],
      [1, () => this.requestWithCR()],
      [2, () => this.data()],
      [1, () => this.reply()],
      [1, () => this.event()],
    ])();
    if (generated.frame.kind === 'data' || !this.rng.chance(0.2)) return generated;
    const { bytes } = generated;
    return { ...generated, bytes: Buffer.concat([bytes.subarray(0, -1), Buffer.from('\r\n')]) };
  }

  /**
   * A request with a CR inside its arguments: only a CR right before the LF is dropped (docs/PROTOCOL.md),
   * any other is text. The encoder refuses CR, so the line is written by hand.
   */
  requestWithCR(): Generated {
    const { frame } = this.request(0);
    let at = this.rng.int(frame.args.length + 1);
    const before = frame.args.charCodeAt(at - 1);
    if (before >= 0xd800 && before <= 0xdbff) at++; // not between the two halves of a surrogate pair
    const args = `${frame.args.slice(0, at)}\r${frame.args.slice(at)}x`;
    const line = `${frame.tag === null ? '' : `${frame.tag} `}${frame.verb} ${args}\n`;
    return { frame: { ...frame, args }, bytes: Buffer.from(line) };
  }

  /** A request for a verb of COMMANDS, in any case; its arguments are faulty with probability `badArgs`. */
  request(badArgs = 0.3): GeneratedRequest {
    const { rng } = this;
    const spec = rng.weighted(this.verbs);
    const tag = rng.chance(0.3) ? null : rng.chance(0.8) ? rng.range(0, 999) : rng.range(0, 999_999_999);
    const verb = rng.chance(0.2) ? mixCase(rng, spec.verb) : spec.verb;
    const built = new ArgumentBuilder(rng, this.options.names ?? {}, rng.chance(badArgs)).build(spec);
    return {
      frame: { kind: 'request', tag, verb: spec.verb, args: built.args },
      bytes: encodeRequest(tag, verb, built.args),
      spec,
      ...built,
    };
  }

  reply(): Generated {
    const { rng } = this;
    const tag = rng.chance(0.3) ? null : rng.range(0, 999_999_999);
    const code = Number(rng.pick(Object.keys(STATUS))) as StatusCode;
    const body = rng.chance(0.3) ? undefined : this.object(2);
    const frame: Frame = { kind: 'reply', tag, code, reason: STATUS[code], body: body ?? {} };
    return { frame, bytes: encodeReply(tag, code, body) };
  }

  event(): Generated {
    const { rng } = this;
    const event = rng.chance(0.8)
      ? rng.pick(EVENTS)
      : `X${randomWord(rng, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_', 20)}`;
    const body = this.object(3);
    return { frame: { kind: 'event', event, body }, bytes: encodeEvent(event, body) };
  }

  data(): Generated {
    const { rng } = this;
    const max = this.options.maxPayload ?? 65536;
    const open = this.options.transfers ?? [];
    // An upload that said `-` and has all its bytes waits for its DIGEST: one more byte would end it, so rarely.
    const filling = open.filter((t) => t.digestFollows !== true || t.received < t.size);
    if (open.length > 0 && rng.chance(0.7))
      return this.nextBytes(rng.pick(filling.length > 0 && rng.chance(0.9) ? filling : open), max);
    const length = rng.chance(0.05) ? max : Math.max(1, rng.size(max));
    const data = rng.bytes(length);
    const { maxTransfer } = this.options;
    const transfer = rng.range(maxTransfer ? 1 : 0, maxTransfer ?? 999_999_999);
    const offset = rng.weighted([
      [3, 0],
      [3, rng.range(0, 65536 * 4)],
      [1, rng.range(0, 999_999_999_999_999)],
    ]);
    return { frame: { kind: 'data', transfer, offset, data }, bytes: encodeData(transfer, offset, data) };
  }

  /**
   * A DIGEST for an open upload (docs/PROTOCOL.md §4 "Files"), mostly one whose UPLOAD said `-` and whose bytes
   * are all in: mostly the SHA-256 of as many zero bytes as its size (what the fuzz sends), sometimes another,
   * or not a digest at all.
   */
  digest(): Generated {
    const { rng } = this;
    const open = this.options.transfers ?? [];
    const followed = open.filter((t) => t.digestFollows === true);
    const full = followed.filter((t) => t.received === t.size);
    const upload = rng.pick(
      full.length > 0 && rng.chance(0.7) ? full : followed.length > 0 && rng.chance(0.9) ? followed : open,
    );
    const sha256 = rng.weighted<() => string>([
      [
        7,
        () =>
          createHash('sha256')
            .update(Buffer.alloc(Math.min(upload.size, 1 << 20)))
            .digest('hex'),
      ],
      [1, () => randomWord(rng, HEX_CHARS, 64).padEnd(64, '0')],
      [1, () => rng.pick(['-', 'abc', 'g'.repeat(64), `${'0'.repeat(64)}0`])],
    ])();
    const tag = rng.chance(0.5) ? null : rng.range(0, 999);
    const args = `${upload.transfer} ${rng.chance(0.2) ? sha256.toUpperCase() : sha256}`;
    return {
      frame: { kind: 'request', tag, verb: 'DIGEST', args },
      bytes: encodeRequest(tag, 'DIGEST', args),
    };
  }

  /**
   * Bytes for an open upload: mostly the next ones, zeros as the argument builder's hashes expect (so that
   * uploads complete and are stored), sometimes out of place, past the end or of other content.
   */
  private nextBytes(open: OpenTransfer, max: number): Generated {
    const { rng } = this;
    const remaining = open.size - open.received;
    const offset = rng.chance(0.85) ? open.received : rng.range(0, open.size + 2);
    const length = rng.chance(0.5) ? remaining : rng.range(1, remaining + 2);
    const data = Buffer.alloc(Math.max(1, Math.min(length, max)));
    if (rng.chance(0.1)) data[rng.int(data.length)] = 1;
    return {
      frame: { kind: 'data', transfer: open.transfer, offset, data },
      bytes: encodeData(open.transfer, offset, data),
    };
  }

  /** A JSON object of random depth; its values survive JSON exactly (no floats, no `__proto__` keys). */
  object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = this.rng.size(6);
    for (let i = 0; i < keys; i++) {
      const key = this.rng.chance(0.5) ? this.rng.pick(KEYS) : randomText(this.rng, 12);
      out[key] = this.json(depth - 1);
    }
    return out;
  }

  private json(depth: number): unknown {
    const { rng } = this;
    if (depth <= 0 || rng.chance(0.6)) {
      return rng.pick<() => unknown>([
        () => rng.range(-1e9, 1e9),
        () => rng.range(0, Number.MAX_SAFE_INTEGER),
        () => randomText(rng, 40),
        () => rng.chance(0.5),
        () => null,
      ])();
    }
    return rng.chance(0.5)
      ? Array.from({ length: rng.size(5) }, () => this.json(depth - 1))
      : this.object(depth - 1);
  }
}
