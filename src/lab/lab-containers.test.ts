import { describe, expect, it } from '@jest/globals';
import type Docker from 'dockerode';
import { isStaleEndpointFailure, orphanedNetworks, outputSince } from './lab-containers.js';

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

describe('a lab:down that the engine’s stale endpoint stopped', () => {
  // compose's output from a 30-client lab:down on Engine 20.10 (2026-12-07), every container already removed.
  const SAID =
    'carol-1  Removed\n Network chatlab-bench-start  Error\nfailed to remove network chatlab-bench-start: Error ' +
    'response from daemon: error while removing network: network chatlab-bench-start id 6f0a16dc13df has active endpoints';

  it('is the lab down all the same when no container is left, and a failure when one is', () => {
    expect(isStaleEndpointFailure(SAID, 0)).toBe(true);
    expect(isStaleEndpointFailure(SAID, 1)).toBe(false);
    expect(isStaleEndpointFailure('Error response from daemon: container is marked for removal', 0)).toBe(
      false,
    );
  });

  it('names the networks of the project that no container uses, not those one still does', async () => {
    const inspected: Record<string, { Name: string; Containers: Record<string, unknown> | null }> = {
      n1: { Name: 'lab-a', Containers: {} },
      n2: { Name: 'lab-b', Containers: { abc: { Name: 'lab-b-server-1' } } },
      n3: { Name: 'lab-c', Containers: null },
    };
    const asked: unknown[] = [];
    const docker = {
      listNetworks: (options: unknown) => {
        asked.push(options);
        return Promise.resolve(Object.keys(inspected).map((Id) => ({ Id, Name: inspected[Id]?.Name })));
      },
      getNetwork: (id: string) => ({ inspect: () => Promise.resolve(inspected[id]) }),
    } as unknown as Docker;
    expect(await orphanedNetworks(docker, 'lab')).toEqual(['lab-a', 'lab-c']);
    expect(asked).toEqual([{ filters: { label: ['com.docker.compose.project=lab'] } }]);
  });
});
