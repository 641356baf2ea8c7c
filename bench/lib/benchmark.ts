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
  /**
   * The figures this benchmark gives the headline table, by goal id (`lib/headlines.ts`: GOALS); a goal it
   * did not measure (a quick run's missing size) is left out.
   */
  readonly headlines?: Readonly<Record<string, number>>;
}

export interface Benchmark {
  readonly name: string;
  readonly summary: string;
  run(context: BenchContext): Promise<BenchOutcome>;
}
