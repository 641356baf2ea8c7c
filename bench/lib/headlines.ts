import { fmt } from './stats.js';

/**
 * The goals of issue 14, one a row of the table `npm run bench` prints after every benchmark ran: each names
 * the benchmark that measures it and the figure it reports under `id` (BenchOutcome.headlines). The targets
 * are the issue's own words; a figure with no target (grading a class, issue 12) is shown as measured.
 */
export interface Goal {
  readonly id: string;
  readonly benchmark: string;
  readonly what: string;
  /** Written after the figure: 'x' for a ratio, or a unit. */
  readonly unit: 'x' | 's' | 'MiB' | 'KiB' | '/s';
  readonly digits: number;
  /** Met when the figure is at most this... */
  readonly atMost?: number;
  /** ...or at least this (neither: no target, the figure is only reported). */
  readonly atLeast?: number;
}

/** What became of one benchmark in this run; a benchmark absent from the map was not run. */
export type BenchStatus =
  | { readonly state: 'ran'; readonly headlines: Readonly<Record<string, number>> }
  | { readonly state: 'failed'; readonly error: string };

const FANOUT_SIZES = [10, 100, 1000] as const;

export const GOALS: readonly Goal[] = [
  ...FANOUT_SIZES.map((n): Goal => ({
    id: `fanout.cpuPerDelivery.${n}`,
    benchmark: 'fanout',
    what: `fan-out N=${n}: server CPU per delivery, chatlab/ngircd`,
    unit: 'x',
    digits: 2,
    atMost: 1,
  })),
  ...FANOUT_SIZES.map((n): Goal => ({
    id: `fanout.floorCpuPerDelivery.${n}`,
    benchmark: 'fanout',
    what: `fan-out N=${n}: the floor (a minimal Node relay)/ngircd, CPU per delivery`,
    unit: 'x',
    digits: 2,
  })),
  ...([100, 1000] as const).map((n): Goal => ({
    id: `fanout.maxHeld.${n}`,
    benchmark: 'fanout',
    what: `fan-out N=${n}: chatlab's max held deliveries/s`,
    unit: '/s',
    digits: 0,
    atLeast: 300_000,
  })),
  {
    id: 'fanout.rssMiB',
    benchmark: 'fanout',
    what: "fan-out, largest N: chatlab server's RSS under load",
    unit: 'MiB',
    digits: 0,
    atMost: 60,
  },
  {
    id: 'idle.kibPerConnection',
    benchmark: 'idle',
    what: "idle: chatlab server's memory per logged-in connection (slope)",
    unit: 'KiB',
    digits: 1,
    atMost: 3,
  },
  {
    id: 'transfer.storeAndForward',
    benchmark: 'transfer',
    what: 'transfer 100 MiB end to end / store-and-forward limit of the raw legs',
    unit: 'x',
    digits: 3,
    atLeast: 0.8,
  },
  {
    id: 'transfer.floor',
    benchmark: 'transfer',
    what: 'transfer: the floor (raw TCP reading, hashing, storing)/store-and-forward limit',
    unit: 'x',
    digits: 3,
  },
  {
    id: 'analysis.time',
    benchmark: 'analysis',
    what: 'analysis: writeReport time / tshark with chatlab.lua',
    unit: 'x',
    digits: 2,
    atMost: 0.2,
  },
  {
    id: 'analysis.memory',
    benchmark: 'analysis',
    what: 'analysis: writeReport peak RSS / tshark with chatlab.lua',
    unit: 'x',
    digits: 2,
    atMost: 1,
  },
  {
    id: 'analysis.answersSize',
    benchmark: 'analysis',
    what: 'analysis: answers.json size / capture size',
    unit: 'x',
    digits: 4,
    atMost: 0.1,
  },
  {
    id: 'labstart.3',
    benchmark: 'labstart',
    what: 'lab:up with images built, 3 clients',
    unit: 's',
    digits: 2,
    atMost: 2.5,
  },
  {
    id: 'labstart.30',
    benchmark: 'labstart',
    what: 'lab:up with images built, 30 clients',
    unit: 's',
    digits: 2,
    atMost: 6,
  },
  {
    id: 'grading.seconds',
    benchmark: 'grading',
    what: 'grading 100 submissions: seconds (gradeClass)',
    unit: 's',
    digits: 2,
  },
  {
    id: 'grading.peakRss',
    benchmark: 'grading',
    what: 'grading 100 submissions: peak RSS',
    unit: 'MiB',
    digits: 0,
  },
];

const goalText = (goal: Goal): string => {
  if (goal.atMost === undefined && goal.atLeast === undefined) return '-';
  const bound = goal.atMost === undefined ? `>= ${goal.atLeast ?? '?'}` : `<= ${goal.atMost}`;
  return goal.unit === 'x' ? bound : `${bound} ${goal.unit}`;
};

/** Whether a figure meets its goal. */
export function meets(goal: Goal, value: number): boolean {
  if (goal.atMost !== undefined && !(value <= goal.atMost)) return false;
  if (goal.atLeast !== undefined && !(value >= goal.atLeast)) return false;
  return true;
}

/**
 * The headline table: a row per goal with the figure, the goal and whether it was met. A goal whose
 * benchmark was not run, failed, or did not measure it (a quick run leaves out sizes) says so instead of a
 * figure.
 */
export function headlineTable(
  statuses: ReadonlyMap<string, BenchStatus>,
  goals: readonly Goal[] = GOALS,
): string[][] {
  const rows = [['goal', 'figure', 'target', 'verdict']];
  for (const goal of goals) {
    const status = statuses.get(goal.benchmark);
    const target = goalText(goal);
    if (status === undefined) {
      rows.push([goal.what, `${goal.benchmark}: not run`, target, 'not run']);
      continue;
    }
    if (status.state === 'failed') {
      const why = status.error.split('\n')[0] ?? '';
      rows.push([
        goal.what,
        `${goal.benchmark}: failed`,
        target,
        `failed: ${why.length > 60 ? `${why.slice(0, 57)}...` : why}`,
      ]);
      continue;
    }
    const value = status.headlines[goal.id];
    if (value === undefined || !Number.isFinite(value)) {
      rows.push([goal.what, 'not measured', target, 'not measured']);
      continue;
    }
    const figure = `${figureText(goal, value)}${goal.unit === 'x' ? '' : ` ${goal.unit}`}`;
    const verdict = target === '-' ? 'measured' : meets(goal, value) ? 'met' : 'NOT met';
    rows.push([goal.what, figure, target, verdict]);
  }
  return rows;
}

/**
 * The figure with the goal's digits, or with as many more (up to 4) as it takes to tell it from the target:
 * 0.20005 against "<= 0.2" shows 0.20005, not a "0.2" beside "NOT met".
 */
function figureText(goal: Goal, value: number): string {
  const limit = goal.atMost ?? goal.atLeast;
  let digits = goal.digits;
  while (
    limit !== undefined &&
    value !== limit &&
    digits < goal.digits + 4 &&
    Number(value.toFixed(digits)) === limit
  )
    digits += 1;
  return fmt(value, digits);
}
