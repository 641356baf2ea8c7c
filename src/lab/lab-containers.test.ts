import { describe, expect, it } from '@jest/globals';
import { outputSince } from './lab-containers.js';

describe('outputSince: where a container run’s output begins', () => {
  it('takes all of it from a container never stopped, even lines logged before the engine’s StartedAt', () => {
    // Seen on a 30-client lab: the sniffer's first line logged 53 ms before StartedAt, across a second.
    const state = { StartedAt: '2026-12-07T04:08:49.006141875Z', FinishedAt: '0001-01-01T00:00:00Z' };
    expect(outputSince(state)).toBeUndefined();
  });

  it('starts after the previous run of a container started again, before this run’s first line', () => {
    const state = { StartedAt: '2026-12-07T04:08:49.006Z', FinishedAt: '2026-12-07T04:08:40.250Z' };
    const since = outputSince(state);
    expect(since).toBe(Date.parse('2026-12-07T04:08:40.250Z') / 1000);
    const firstLineOfThisRun = Date.parse('2026-12-07T04:08:48.953Z') / 1000;
    const lastLineOfTheRunBefore = Date.parse('2026-12-07T04:08:40.100Z') / 1000;
    expect(since).toBeLessThan(firstLineOfThisRun);
    expect(since).toBeGreaterThan(lastLineOfTheRunBefore);
  });

  it('takes all of it when the engine says nothing usable', () => {
    expect(outputSince({})).toBeUndefined();
    expect(outputSince({ StartedAt: 'soon', FinishedAt: 'later' })).toBeUndefined();
    // Stopped, not started again: its finish is after its start, so its one run is all there is.
    expect(
      outputSince({ StartedAt: '2026-12-07T04:08:49.006Z', FinishedAt: '2026-12-07T04:09:10.000Z' }),
    ).toBeUndefined();
  });
});
