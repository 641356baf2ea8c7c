/** What every benchmark gets from the runner. */
export interface BenchContext {
  /** Shorter steps, fewer sizes and repeats: a smoke run of a few minutes in all. */
  readonly quick: boolean;
  /** Progress for the person watching (stderr). */
  readonly log: (message: string) => void;
}

/** A benchmark's outcome: a table for the terminal and everything measured for bench/results/<name>.json. */
export interface BenchOutcome {
  /** Rows of the printed table; the first row is the header. */
  readonly table: string[][];
  /** Notes printed under the table (what limited a figure, what was approximated). */
  readonly notes: string[];
  readonly data: unknown;
}

export interface Benchmark {
  readonly name: string;
  readonly summary: string;
  run(context: BenchContext): Promise<BenchOutcome>;
}
