/**
 * A latency histogram with buckets 1 % wide (log scale) from 1 µs to about 10 minutes: recording is O(1),
 * two histograms merge by adding counts (one per load process), and a percentile is within 1 % of the
 * exact value. Values are milliseconds.
 */
export class LatencyHistogram {
  static readonly GROWTH = 1.01;
  static readonly BUCKETS = 2100;
  readonly counts: Uint32Array;
  count = 0;
  max = 0;
  sum = 0;

  constructor(counts?: Uint32Array) {
    this.counts = counts ?? new Uint32Array(LatencyHistogram.BUCKETS);
  }

  static bucketOf(ms: number): number {
    const us = ms * 1000;
    if (!(us > 1)) return 0;
    const index = Math.ceil(Math.log(us) / Math.log(LatencyHistogram.GROWTH));
    return Math.min(LatencyHistogram.BUCKETS - 1, index);
  }

  /** The upper bound of a bucket, in ms. */
  static upperBound(bucket: number): number {
    return LatencyHistogram.GROWTH ** bucket / 1000;
  }

  record(ms: number): void {
    const bucket = LatencyHistogram.bucketOf(ms);
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  merge(other: LatencyHistogram): this {
    for (let i = 0; i < this.counts.length; i++)
      this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** The p-th percentile (0..100) in ms, as the upper bound of its bucket (never above the maximum). */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const wanted = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= wanted) return Math.min(LatencyHistogram.upperBound(i), this.max);
    }
    return this.max;
  }

  get mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }

  /** Sparse form for JSON lines between processes: [bucket, count] pairs. */
  toJSON(): { buckets: [number, number][]; count: number; max: number; sum: number } {
    const buckets: [number, number][] = [];
    this.counts.forEach((c, i) => {
      if (c > 0) buckets.push([i, c]);
    });
    return { buckets, count: this.count, max: this.max, sum: this.sum };
  }

  static fromJSON(json: ReturnType<LatencyHistogram['toJSON']>): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const [i, c] of json.buckets) histogram.counts[i] = c;
    histogram.count = json.count;
    histogram.max = json.max;
    histogram.sum = json.sum;
    return histogram;
  }
}
