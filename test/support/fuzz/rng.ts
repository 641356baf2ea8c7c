// Module-level: in a test runner's VM context every global lookup (`Math`) is slow, and `next` is hot.
const imul = Math.imul;
const floor = Math.floor;

/**
 * A tiny seeded PRNG (mulberry32): the same seed gives the same cases on every machine, so a failing case is
 * replayed from its seed alone. Not for anything secret.
 */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A 32-bit unsigned integer. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next() / 0x1_0000_0000;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return floor(this.float() * n);
  }

  /** An integer in [lo, hi], both included. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let x = this.float() * total;
    for (const [w, value] of choices) {
      x -= w;
      if (x < 0) return value;
    }
    return this.pick(choices)[1];
  }

  /** A length that is usually small and sometimes large: many bugs sit at 0, 1 and the limits. */
  size(max: number): number {
    return this.weighted([
      [6, this.range(0, Math.min(8, max))],
      [3, this.range(0, Math.min(64, max))],
      [1, this.range(0, max)],
    ]);
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 4) {
      const word = this.next();
      for (let k = 0; k < 4 && i + k < n; k++) out[i + k] = (word >>> (8 * k)) & 0xff;
    }
    return out;
  }

  /** An independent generator for a sub-case, so adding draws to one case does not shift the others. */
  fork(): Rng {
    return new Rng(this.next());
  }
}

/** The seed of case `index` of a run: case 0 uses the run's seed itself, so any case replays as a 1-case run. */
export function caseSeed(runSeed: number, index: number): number {
  return (runSeed + imul(index, 0x9e3779b9)) >>> 0;
}
