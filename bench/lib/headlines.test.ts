import { describe, expect, it } from '@jest/globals';
import { type BenchStatus, GOALS, type Goal, headlineTable, meets } from './headlines.js';

const GOAL_SET: readonly Goal[] = [
  { id: 'a.ratio', benchmark: 'a', what: 'A over its peer', unit: 'x', digits: 2, atMost: 2 },
  { id: 'a.other', benchmark: 'a', what: 'A, another size', unit: 'x', digits: 2, atMost: 2 },
  { id: 'b.share', benchmark: 'b', what: 'B share', unit: 'x', digits: 3, atLeast: 0.8 },
  { id: 'c.seconds', benchmark: 'c', what: 'C time', unit: 's', digits: 1, atMost: 10 },
  { id: 'd.memory', benchmark: 'd', what: 'D memory', unit: 'MiB', digits: 0, atMost: 256 },
];

const row = (table: string[][], what: string): string[] | undefined => table.find((r) => r[0] === what);

describe('headlineTable', () => {
  const statuses = new Map<string, BenchStatus>([
    ['a', { state: 'ran', headlines: { 'a.ratio': 2.5 } }],
    ['b', { state: 'ran', headlines: { 'b.share': 0.812 } }],
    ['c', { state: 'failed', error: 'Docker is not running\n    at prepareDocker (bench-lab.ts:1:1)' }],
  ]);
  const table = headlineTable(statuses, GOAL_SET);

  it('has a header and one row per goal, in the goals order', () => {
    expect(table[0]).toEqual(['goal', 'figure', 'target', 'verdict']);
    expect(table.slice(1).map((r) => r[0])).toEqual(GOAL_SET.map((g) => g.what));
  });

  it('gives the figure, the target and whether it was met, both ways', () => {
    expect(row(table, 'A over its peer')).toEqual(['A over its peer', '2.5', '<= 2', 'NOT met']);
    expect(row(table, 'B share')).toEqual(['B share', '0.812', '>= 0.8', 'met']);
  });

  it('shows as many more digits as it takes to tell a figure from its target', () => {
    const close = headlineTable(
      new Map<string, BenchStatus>([
        ['a', { state: 'ran', headlines: { 'a.ratio': 2.00004694, 'a.other': 2 } }],
      ]),
      GOAL_SET,
    );
    expect(row(close, 'A over its peer')).toEqual(['A over its peer', '2.00005', '<= 2', 'NOT met']);
    expect(row(close, 'A, another size')).toEqual(['A, another size', '2', '<= 2', 'met']);
  });

  it('says a failed benchmark failed, with the first line of its error, and shows no number', () => {
    expect(row(table, 'C time')).toEqual(['C time', 'c: failed', '<= 10 s', 'failed: Docker is not running']);
  });

  it('says a benchmark that was not run was not run', () => {
    expect(row(table, 'D memory')).toEqual(['D memory', 'd: not run', '<= 256 MiB', 'not run']);
  });

  it('says a goal its benchmark did not measure (or measured as NaN) was not measured', () => {
    expect(row(table, 'A, another size')?.slice(1)).toEqual(['not measured', '<= 2', 'not measured']);
    const nan = headlineTable(
      new Map<string, BenchStatus>([['a', { state: 'ran', headlines: { 'a.ratio': Number.NaN } }]]),
      GOAL_SET,
    );
    expect(row(nan, 'A over its peer')?.[3]).toBe('not measured');
  });

  it('cuts a long error message', () => {
    const long = headlineTable(
      new Map<string, BenchStatus>([['c', { state: 'failed', error: 'x'.repeat(200) }]]),
      GOAL_SET,
    );
    expect(row(long, 'C time')?.[3]).toBe(`failed: ${'x'.repeat(57)}...`);
  });
});

describe('meets', () => {
  const [atMost, , atLeast] = GOAL_SET as [Goal, Goal, Goal];
  it('is inclusive at the bound and false for NaN', () => {
    expect(meets(atMost, 2)).toBe(true);
    expect(meets(atMost, 2.01)).toBe(false);
    expect(meets(atLeast, 0.8)).toBe(true);
    expect(meets(atLeast, 0.79)).toBe(false);
    expect(meets(atLeast, Number.NaN)).toBe(false);
  });
});

describe('GOALS', () => {
  it('has unique ids, and each goal at most one bound', () => {
    expect(new Set(GOALS.map((g) => g.id)).size).toBe(GOALS.length);
    for (const goal of GOALS)
      expect([goal.atMost, goal.atLeast].filter((b) => b !== undefined).length).toBeLessThanOrEqual(1);
  });

  it("holds issue 14's targets", () => {
    const target = (id: string) => {
      const goal = GOALS.find((g) => g.id === id);
      return [goal?.atMost ?? null, goal?.atLeast ?? null];
    };
    expect(target('fanout.cpuPerDelivery.10')).toEqual([1, null]); // <= ngircd's
    expect(target('fanout.maxHeld.1000')).toEqual([null, 300_000]);
    expect(target('fanout.rssMiB')).toEqual([60, null]);
    expect(target('idle.kibPerConnection')).toEqual([3, null]);
    expect(target('transfer.storeAndForward')).toEqual([null, 0.8]);
    expect(target('analysis.time')).toEqual([0.2, null]); // 5x faster than tshark
    expect(target('analysis.answersSize')).toEqual([0.1, null]);
    expect(target('labstart.3')).toEqual([2.5, null]);
    expect(target('labstart.30')).toEqual([6, null]);
  });

  it('reports a figure without a target as measured', () => {
    const free: Goal = { id: 'g.s', benchmark: 'g', what: 'G', unit: 's', digits: 1 };
    const table = headlineTable(new Map([['g', { state: 'ran', headlines: { 'g.s': 2.25 } }]]), [free]);
    expect(table[1]).toEqual(['G', '2.3 s', '-', 'measured']);
  });
});
