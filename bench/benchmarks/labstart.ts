import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectEngine, LAB_IMAGES, removeProject } from '../../src/lab/index.js';
import type { Benchmark, BenchContext, BenchOutcome } from '../lib/benchmark.js';
import { prepareDocker } from '../lib/bench-lab.js';
import { engineFloor, type FloorStart } from '../lib/engine-floor.js';
import { waitForQuietCpu } from '../lib/proc-stats.js';
import { run } from '../lib/command.js';
import { ROOT_DIR } from '../lib/paths.js';
import { fmt, median } from '../lib/stats.js';

const PROJECT = 'chatlab-bench-start';
const SUBNET = '10.77.51.0/24';
const FLOOR_PREFIX = 'chatlab-bench-floor';
const FLOOR_SUBNET = '10.77.54.0/24';

interface Start {
  /** How long the machine took to be quiet before this start (the last lab's teardown, in the kernel). */
  settledMs: number;
  clients: number;
  hosts: number;
  upSeconds: number;
  /** lab:up's own step timings ("<step>: done in X s"), when it printed them. */
  steps: Record<string, number>;
  downSeconds: number;
}

/** "  Waiting for ...: done in 2.0 s" lines of a lab command's output -> { step: seconds }. */
export function stepTimes(output: string): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const match of output.matchAll(/^\s+(.+): done in ([\d.]+) s$/gm)) {
    const [, label = '', seconds = ''] = match;
    steps[label.replace(/ \(.*\)$/, '')] = Number(seconds);
  }
  return steps;
}

async function labCommand(
  script: 'up' | 'down',
  clients: number,
  captures: string,
): Promise<{ seconds: number; output: string }> {
  const env = {
    ...process.env,
    CHATLAB_PROJECT: PROJECT,
    CHATLAB_SUBNET: SUBNET,
    CHATLAB_CLIENTS: String(clients),
    CHATLAB_HOST_PORT: 'none',
    CHATLAB_CAPTURES: captures,
  };
  // What `npm run lab:up` runs (npm's own start aside): the bootstrap's freshness check, then the bundle.
  const started = performance.now();
  const result = await run(process.execPath, [join(ROOT_DIR, 'scripts', 'run.mjs'), 'lab', script], {
    env,
    cwd: ROOT_DIR,
    timeoutMs: 600_000,
    allowFailure: true,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.exitCode !== 0)
    throw new Error(
      `lab:${script} with ${clients} clients failed (${result.exitCode}): ${(result.stderr || result.stdout).slice(-800)}`,
    );
  return { seconds, output: result.stdout };
}

/**
 * Waits, untimed, for the kernel to finish tearing the last lab down (it releases the network namespaces, veths
 * and cgroups of 62 containers for seconds after `down` returns): a start timed meanwhile would pay for it.
 */
async function settle(context: BenchContext, what: string): Promise<number> {
  const settled = await waitForQuietCpu();
  if (!settled.quiet)
    context.log(
      `labstart: the machine was still ${fmt(100 * settled.busy, 0)} % busy after ${fmt(settled.waitedMs / 1000, 0)} s; timing ${what} anyway`,
    );
  return settled.waitedMs;
}

async function once(context: BenchContext, clients: number): Promise<Start> {
  const captures = mkdtempSync(join(tmpdir(), `${PROJECT}-`));
  try {
    const settledMs = await settle(context, `lab:up with ${clients} clients`);
    const up = await labCommand('up', clients, captures).catch(async (error: unknown) => {
      await removeProject(await connectEngine(), PROJECT).catch(() => undefined);
      throw error;
    });
    const down = await labCommand('down', clients, captures);
    const start: Start = {
      settledMs,
      clients,
      hosts: clients + 1,
      upSeconds: up.seconds,
      steps: stepTimes(up.output),
      downSeconds: down.seconds,
    };
    context.log(
      `labstart: ${clients} clients: lab:up ${fmt(up.seconds, 1)} s, lab:down ${fmt(down.seconds, 1)} s`,
    );
    return start;
  } finally {
    rmSync(captures, { recursive: true, force: true });
  }
}

export const labstart: Benchmark = {
  name: 'labstart',
  summary: '`npm run lab:up` with the images built, for 3, 10 and 30 clients: time in all and per host',
  async run(context): Promise<BenchOutcome> {
    await prepareDocker(context.log);
    await removeProject(await connectEngine(), PROJECT);
    const sizes = context.quick ? [3, 10] : [3, 10, 30];
    const repeats = context.quick ? 1 : 2;
    const docker = await connectEngine();
    const starts: Start[] = [];
    const floors: (FloorStart & { clients: number; sidecars: boolean; settledMs: number })[] = [];
    // A, B, C, A, B, C: lab:up, then the engine's floor for the same containers, then for the hosts alone,
    // for each size and repeat.
    for (let rep = 0; rep < repeats; rep++)
      for (const clients of sizes) {
        starts.push(await once(context, clients));
        for (const sidecars of [true, false]) {
          const settledMs = await settle(context, 'the engine floor');
          const floor = await engineFloor(docker, {
            prefix: FLOOR_PREFIX,
            subnet: FLOOR_SUBNET,
            hostImage: LAB_IMAGES.client,
            captureImage: LAB_IMAGES.capture,
            hosts: clients + 1,
            sidecars,
          });
          floors.push({ ...floor, clients, sidecars, settledMs });
          context.log(
            `labstart: ${clients} clients: engine floor${sidecars ? '' : ', hosts alone,'} ${fmt(floor.upSeconds, 1)} s`,
          );
        }
      }
    const floorSeconds = (clients: number, sidecars = true): number =>
      median(floors.filter((f) => f.clients === clients && f.sidecars === sidecars).map((f) => f.upSeconds));
    const upSeconds = (clients: number): number =>
      median(starts.filter((s) => s.clients === clients).map((s) => s.upSeconds));
    const rows = sizes.map((clients) => {
      const mine = starts.filter((s) => s.clients === clients);
      const up = upSeconds(clients);
      const wait = median(
        mine.map(
          (s) => s.steps['Waiting for the server to answer and every sniffer to capture'] ?? Number.NaN,
        ),
      );
      const compose = median(
        mine.map((s) => Object.entries(s.steps).find(([k]) => k.startsWith('Starting'))?.[1] ?? Number.NaN),
      );
      return [
        String(clients),
        String(clients + 1),
        String(2 * (clients + 1)),
        fmt(up, 1),
        fmt(compose, 1),
        fmt(wait, 1),
        fmt((up / (clients + 1)) * 1000, 0),
        fmt(median(mine.map((s) => s.downSeconds)), 1),
        fmt(floorSeconds(clients), 1),
        fmt(up / floorSeconds(clients), 2),
        fmt(floorSeconds(clients, false), 1),
      ];
    });
    return {
      table: [
        [
          'clients',
          'hosts',
          'containers',
          'lab:up s',
          'compose up s',
          'ready wait s',
          'ms/host',
          'lab:down s',
          'engine floor s',
          'lab:up / floor',
          'hosts alone s',
        ],
        ...rows,
      ],
      notes: [
        `lab:up as a person runs it (node scripts/run.mjs lab up, as npm does: bootstrap check, then the bundle: Docker check, image check, compose up, waits for the server's health check and every sniffer), images already built; medians of ${repeats}.`,
        "compose up / ready wait: lab:up's own step timings; ms/host: lab:up time / hosts (each host is a container and its tcpdump sidecar).",
        `Lab: project ${PROJECT}, subnet ${SUBNET}, no published port; lab:down after each start.`,
        'Before each start (lab:up and the floors alike), untimed: a wait until the CPUs are under 10 % busy for 0.5 s (at most 30 s), as a lab is started on a machine at rest; the kernel releases the network namespaces, veths and cgroups of the last lab for seconds after its down returned.',
        `engine floor: the same containers (images, network, addresses, init, a sidecar in each host's network namespace) created and started through the Engine API with everything in parallel, every program a sleep (no compose, no health check, no readiness wait), interleaved with lab:up; lab:up / floor is what chatlab and compose add to what this engine needs to start that many containers.`,
        "hosts alone: the engine's floor for the hosts without their sidecars, interleaved too: what a lab with one capture container for all its hosts (instead of a sidecar each) would still need before compose and readiness.",
      ],
      data: { project: PROJECT, subnet: SUBNET, starts, floors },
      headlines: Object.fromEntries(
        sizes.filter((n) => n === 3 || n === 30).map((n) => [`labstart.${n}`, upSeconds(n)]),
      ),
    };
  },
};
