import type { Generated, GeneratorOptions } from './frame-generator.js';
import { FrameGenerator } from './frame-generator.js';
import { FrameMutator } from './frame-mutator.js';
import { Rng } from './rng.js';

/** One case of a fuzz run: the bytes to send, and what their parts are (printed when the case fails). */
export interface FuzzCase {
  seed: number;
  bytes: Buffer;
  parts: string[];
}

export interface CaseOptions extends GeneratorOptions {
  /** The longest line the decoder under test accepts, LF included. */
  lineLimit: number;
  /** Parts per case, at most (default 12). */
  maxParts?: number;
  /** Probability that a part is hostile rather than a valid frame (default 0.5). */
  hostility?: number;
  /** Weight of the parts that make a server close the connection (bad or lying data headers), default 1. */
  fatalWeight?: number;
}

/** Valid frames only, each with the frame it must decode to: for the encode/decode round trip. */
export function validCase(seed: number, options: CaseOptions): FuzzCase & { frames: Generated[] } {
  const rng = new Rng(seed);
  const gen = new FrameGenerator(rng, options);
  const frames = Array.from({ length: rng.range(1, options.maxParts ?? 12) }, () => gen.frame());
  return {
    seed,
    bytes: Buffer.concat(frames.map((f) => f.bytes)),
    parts: frames.map((f) => f.frame.kind),
    frames,
  };
}

/** Valid frames, requests with bad arguments, and hostile bytes of every sort, mixed. */
export function hostileCase(seed: number, options: CaseOptions): FuzzCase {
  const rng = new Rng(seed);
  const gen = new FrameGenerator(rng, options);
  const mutator = new FrameMutator(rng, options.lineLimit);
  const parts: string[] = [];
  const chunks: Buffer[] = [];
  const count = rng.range(1, options.maxParts ?? 12);
  for (let i = 0; i < count; i++) {
    if (!rng.chance(options.hostility ?? 0.5)) {
      const frame = rng.weighted<() => Generated>([
        [6, () => gen.request()],
        [3, () => gen.frame()],
        [options.transfers?.length ? 4 : 0, () => gen.data()],
        [options.transfers?.length ? 2 : 0, () => gen.digest()],
      ])();
      parts.push(frame.frame.kind === 'request' ? `request ${frame.frame.verb}` : frame.frame.kind);
      chunks.push(frame.bytes);
      continue;
    }
    const hostile = rng.weighted<() => { bytes: Buffer; how: string }>([
      [8, () => mutator.mutate(gen.frame().bytes)],
      [2, () => mutator.mutate(mutator.mutate(gen.request().bytes).bytes)],
      [2 * (options.fatalWeight ?? 1), () => mutator.lyingData()],
      [2 * (options.fatalWeight ?? 1), () => mutator.badDataHeader()],
      [1, () => mutator.enormousLine()],
      [2, () => mutator.randomBytes()],
      [2, () => mutator.oddLine()],
    ])();
    parts.push(hostile.how);
    chunks.push(hostile.bytes);
  }
  return { seed, bytes: Buffer.concat(chunks), parts };
}

/** Cut points that split `length` bytes into segments, as TCP may deliver them. */
export function randomCuts(rng: Rng, length: number): number[] {
  if (length < 2) return [];
  const style = rng.int(3);
  if (style === 0) return [rng.range(1, length - 1)];
  const count = style === 1 ? rng.range(1, Math.min(length - 1, 20)) : Math.min(length - 1, 200);
  const cuts = new Set<number>();
  while (cuts.size < count) cuts.add(rng.range(1, length - 1));
  return [...cuts].sort((a, b) => a - b);
}

/** Splits bytes at the cut points. */
export function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  return out;
}
