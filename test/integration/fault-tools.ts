// Tools of the fault tests: docker commands on the lab's containers, and a scripted client whose every
// command is numbered so its outcome is found by its line (src/client/script/script-client.ts).
import { execa } from 'execa';
import type { ScriptLine } from '../../src/client/index.js';
import { LAB_IMAGES, type ScriptProcess } from '../../src/lab/index.js';

/** One line the scriptable client printed (a ScriptLine), read field by field. */
export type ClientOutput = Record<string, unknown>;

/** `docker <args>`; its stdout, or an error with the command, its exit code and stderr. */
export async function docker(...args: string[]): Promise<string> {
  const result = await execa('docker', args, { reject: false, timeout: 120_000 });
  if (result.exitCode !== 0) {
    throw new Error(`docker ${args.join(' ')} exited with ${String(result.exitCode)}: ${result.stderr}`);
  }
  return result.stdout;
}

/** A shell script in a container. */
export function sh(container: string, script: string): Promise<string> {
  return docker('exec', container, 'sh', '-c', script);
}

/**
 * Limits what a container sends to `rate` (tc token bucket on its eth0), so a transfer lasts long enough to
 * be cut in the middle; `null` lifts the limit. tc runs in a throwaway container in the same network
 * namespace with NET_ADMIN: the lab's containers have no such capability, and a privileged exec may be refused.
 */
export async function throttle(container: string, rate: string | null): Promise<void> {
  // Its one interface: eth0, or eth1 once it was disconnected from the network and connected again.
  const dev = '$(ls /sys/class/net | grep -vx lo | head -n 1)';
  const tc =
    rate === null
      ? `tc qdisc del dev ${dev} root`
      : `tc qdisc replace dev ${dev} root tbf rate ${rate} burst 32kb latency 200ms`;
  const netns = ['--network', `container:${container}`, '--cap-add', 'NET_ADMIN'];
  await docker('run', '--rm', ...netns, LAB_IMAGES.client, 'sh', '-c', tc);
}

/** Polls `check` every 100 ms until it holds; fails after `timeoutMs` saying what it waited for. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const succeeded = (o: ClientOutput): boolean =>
  o.type === 'local' ? o.ok === true : typeof o.code === 'number' && o.code >= 200 && o.code < 300;

/** One person's chat client in a lab container (`chatlab client --script`), one numbered command at a time. */
export class Chat {
  constructor(readonly client: ScriptProcess) {}

  get name(): string {
    return this.client.name;
  }

  /** Every line the client printed, in order. */
  get received(): readonly ClientOutput[] {
    return this.client.lines;
  }

  /** Where the output is now: `since()` then `next(..., mark)` finds only what comes after. */
  since(): number {
    return this.client.lines.length;
  }

  /** Types a line and resolves with the output line that completes it (reply, local or error). */
  run(line: string, timeoutMs = 60_000): Promise<ClientOutput> {
    return this.client.command(line, { timeoutMs, what: `the outcome of "${line}"` });
  }

  /** As `run`, for a command that must succeed. */
  async ok(line: string, timeoutMs?: number): Promise<ClientOutput> {
    const outcome = await this.run(line, timeoutMs);
    if (!succeeded(outcome)) throw new Error(`${this.name}: "${line}" failed: ${JSON.stringify(outcome)}`);
    return outcome;
  }

  /** The first output line after `mark` that `matches`, waiting for it. */
  next(
    what: string,
    matches: (o: ClientOutput) => boolean,
    mark: number,
    timeoutMs = 60_000,
  ): Promise<ClientOutput> {
    const { lines } = this.client;
    const after = (o: ScriptLine): boolean => lines.indexOf(o) >= mark && matches(o);
    return this.client.next(after, { timeoutMs, what });
  }

  /** The next `{"type":"connection","state":<state>}` line after `mark`. */
  connection(state: string, mark: number, timeoutMs = 60_000): Promise<ClientOutput> {
    const what = `${this.name}'s connection to be ${state}`;
    return this.next(what, (o) => o.type === 'connection' && o.state === state, mark, timeoutMs);
  }

  /** The next `* <event>` after `mark` whose data matches. */
  async event(event: string, match: (data: Record<string, unknown>) => boolean, mark: number) {
    const line = await this.next(
      `* ${event} on ${this.name}`,
      (o) => o.type === 'event' && o.event === event && match((o.data ?? {}) as Record<string, unknown>),
      mark,
    );
    return (line.data ?? {}) as Record<string, unknown>;
  }
}
