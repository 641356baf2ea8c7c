import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Node's flags for chatlab's server, in one place: the lab's server command and image, the benchmarks, and
 * `chatlab server` started by hand (it starts itself again with them, `relaunchArgs`). bench/README.md, "Server
 * memory", has the measurements.
 *
 * - `--max-semi-space-size=1`: a young generation of 1 MiB semi-spaces instead of up to 16 MiB, which holds
 *   memory per connection down without costing CPU per delivery.
 * - `--liftoff-only`: the wasm SQLite store runs on V8's baseline compiler only. Its optimizing compiler
 *   (TurboFan) compiles SQLite's hottest functions on background threads, and the glibc arenas of those threads
 *   keep 30-40 MiB after the compilations; SQLite's CPU per committed insert is the same either way (its time
 *   is in the JavaScript glue and the system calls).
 * - `--heap-growing-percent=20`: after a full collection V8 lets the old generation grow to 1.2 times what
 *   survived, not 1.5 to 4 times: about 1 KiB less per idle connection, the same CPU per delivery.
 */
export const SERVER_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=1',
  '--liftoff-only',
  '--heap-growing-percent=20',
];

/** The server's own bundle, beside chatlab's in dist/ (src/cli/server-main.ts). */
export const SERVER_BUNDLE = 'chatlab-server.mjs';

/**
 * The script a server started again runs: the server's own bundle when `script` is the bundled chatlab and the
 * server's is beside it (it loads none of the rest of the CLI), else `script` itself (`src/cli/main.ts` under tsx).
 */
export function serverScript(script: string, exists: (path: string) => boolean = existsSync): string {
  if (basename(script) !== 'chatlab.mjs') return script;
  const server = join(dirname(script), SERVER_BUNDLE);
  return exists(server) ? server : script;
}

/**
 * Set in a server's environment, it runs as started: `chatlab server` sets it for the server it starts again
 * with SERVER_NODE_FLAGS, and the benchmarks for a server they start with flags of their own.
 */
export const SERVER_AS_STARTED = 'CHATLAB_SERVER_AS_STARTED';

/**
 * The node arguments to run `chatlab server` again with SERVER_NODE_FLAGS (the flags, this process's own node
 * options, the script (`serverScript`) and its arguments), or null when it runs with them already (given on the command line or in
 * NODE_OPTIONS) or SERVER_AS_STARTED is set. Node options given by hand come after ours, so they win.
 */
export function relaunchArgs(
  execArgv: readonly string[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  script: (path: string) => string = serverScript,
): string[] | null {
  if (env[SERVER_AS_STARTED] !== undefined) return null;
  const given = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (SERVER_NODE_FLAGS.every((flag) => given.includes(flag))) return null;
  const [, path = '', ...args] = argv;
  return [...SERVER_NODE_FLAGS, ...execArgv, script(path), ...args];
}

/**
 * Runs this node again with `args` and exits as it exits; never returns. The server runs in its own process
 * group, so Ctrl-C reaches it once, through this process (SIGINT, SIGTERM and SIGHUP are passed on); it shares
 * stdout and stderr, and stops by itself if this process dies (`stopWithParent`).
 */
export function relaunch(args: readonly string[]): Promise<never> {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [SERVER_AS_STARTED]: '1' },
    detached: true,
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      child.kill(signal);
    });
  }
  return new Promise<never>(() => {
    child.once('error', (error) => {
      process.stderr.write(`chatlab server: could not start node again with its flags: ${error.message}\n`);
      process.exit(1);
    });
    child.once('exit', (code, signal) => {
      process.exit(code ?? (signal === null ? 1 : 128 + signalNumber(signal)));
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal as string] ?? 1;
}

/**
 * In a server started by `relaunch`: calls `stop` when the process that started it is gone (its IPC channel
 * closes), so a `chatlab server` killed without a chance to pass the signal on leaves no server behind. The
 * channel does not keep the process alive.
 */
export function stopWithParent(stop: () => void): void {
  if (!process.channel) return;
  process.channel.unref();
  process.once('disconnect', stop);
}
