import { describe, expect, it } from '@jest/globals';
import { GOALS } from '../lib/headlines.js';
import type { StepSummary } from './fanout-plan.js';
import { headlinesFor, tableFor, type ServerFigures, type SizeFigures } from './fanout.js';

/** A reference step with the figures the ratios read. */
function step(server: string, cpuUs: number, rssMiB = 10): StepSummary {
  return {
    server,
    serverCpuUsPerDelivery: cpuUs,
    serverCores: cpuUs / 100,
    serverRssBytes: rssMiB * 1048576,
    p50: 1,
    p99: 2,
    deliveriesPerSecond: 5000,
    ratePerConnection: 1,
  } as StepSummary;
}

function server(label: string, cpuUs: number[], maxHeld?: number): ServerFigures {
  return {
    label,
    connectSeconds: 1,
    reference: cpuUs.map((us) => step(label, us)),
    ladder: [],
    maxHeld: maxHeld === undefined ? undefined : { ...step(label, 1), deliveriesPerSecond: maxHeld },
    maxIsCap: false,
    peakRssBytes: Number.NaN,
  };
}

const sizes: SizeFigures[] = [
  {
    connections: 10,
    servers: [
      server('chatlab', [40, 50, 60], 9000),
      server('ngircd', [10, 10, 9], 1e6),
      server('node-floor', [20, 30, 25]),
    ],
  },
  { connections: 100, servers: [server('chatlab', [12], 50_000), server('ngircd', [8], 1e6)] },
];

describe('fanout: the floor next to chatlab', () => {
  it('gives chatlab/ngircd and node-floor/ngircd (medians) as headlines, each where it was measured', () => {
    const headlines = headlinesFor(sizes);
    expect(headlines['fanout.cpuPerDelivery.10']).toBeCloseTo(5);
    expect(headlines['fanout.floorCpuPerDelivery.10']).toBeCloseTo(2.5);
    expect(headlines['fanout.cpuPerDelivery.100']).toBeCloseTo(1.5);
    expect(headlines['fanout.floorCpuPerDelivery.100']).toBeUndefined();
    expect(headlines['fanout.maxHeld.100']).toBe(50_000);
    for (const id of Object.keys(headlines).filter((k) => k.includes('CpuPerDelivery')))
      expect(GOALS.some((g) => g.id === id)).toBe(true);
  });

  it('has the floor goals as measured rows, with no target', () => {
    const floor = GOALS.filter((g) => g.id.startsWith('fanout.floorCpuPerDelivery.'));
    expect(floor.map((g) => g.id)).toEqual([10, 100, 1000].map((n) => `fanout.floorCpuPerDelivery.${n}`));
    for (const g of floor) expect([g.atMost, g.atLeast]).toEqual([undefined, undefined]);
  });

  it('prints the three ratios under each N, max held only for chatlab/ngircd', () => {
    const rows = tableFor(sizes).filter((r) => r[0] === '10' && r[1]?.includes('/'));
    expect(rows.map((r) => [r[1], r[7]])).toEqual([
      ['chatlab/ngircd', '5'],
      ['node-floor/ngircd', '2.5'],
      ['chatlab/node-floor', '2'],
    ]);
    expect(rows.map((r) => r[9])).toEqual(['0.009', '', '']);
    expect(tableFor(sizes).find((r) => r[1] === 'node-floor')?.[9]).toBe('n/a');
  });
});
