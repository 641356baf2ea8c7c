import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../src/server/node-flags.js';
import { SERVER_AS_STARTED } from '../../src/server/node-flags.js';
import { Store } from '../../src/server/store.js';
import type { RunningProcess } from '../../src/util/process.js';
import { start } from './command.js';
import { ROOT_DIR } from './paths.js';

/** A chat server running as a child process of the benchmark, on 127.0.0.1. */
export interface BenchServer {
  readonly kind: 'chatlab' | 'irc';
  readonly label: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export const BENCH_PASSWORD = 'bench-password';

/**
 * A scrypt hash in the server's own format (src/server/passwords.ts: `scrypt$N$r$p$salt$hash`) with N=2:
 * the server reads the cost from the stored hash, so seeded accounts log in in microseconds and a
 * benchmark of 20,000 logins measures connections, not 20,000 x 50 ms of deliberate key stretching.
 */
export function cheapPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 2, r: 1, p: 1 });
  return ['scrypt', 2, 1, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Creates users `<prefix>0..count-1` and the rooms (owned by the first user) in a fresh data folder. */
export function seedChatlab(dataDir: string, prefix: string, count: number, rooms: readonly string[]): void {
  const store = new Store(dataDir);
  try {
    const hash = cheapPasswordHash(BENCH_PASSWORD);
    store.transaction(() => {
      for (let i = 0; i < count; i++) store.addUser(`${prefix}${i}`, `${prefix}${i}@bench.test`, hash, null);
    });
    const owner = store.userByName(`${prefix}0`);
    if (owner !== null) for (const room of rooms) store.addRoom(room, owner.id, null, null, false);
  } finally {
    store.close();
  }
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
export async function waitForPort(
  port: number,
  child: RunningProcess,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.hasExited)
      throw new Error(`${what} exited (${child.exitCode ?? 'a signal'}) before listening on ${port}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what} to listen on 127.0.0.1:${port}`);
}

function started(
  kind: BenchServer['kind'],
  label: string,
  port: number,
  child: RunningProcess,
  cleanup: () => void,
): BenchServer {
  if (child.pid === undefined) throw new Error(`${label} did not start`);
  return {
    kind,
    label,
    port,
    pid: child.pid,
    stop: async () => {
      await child.stop();
      cleanup();
    },
  };
}

export interface ChatlabServerOptions {
  port: number;
  users: number;
  prefix: string;
  rooms: readonly string[];
  maxConnections: number;
  /** Where the data folder goes: tmpfs (/dev/shm, like the lab's /data) or the disk (default tmpdir). */
  dataRoot?: string;
  /** Options for node itself, before the program (e.g. `--cpu-prof`; default `serverNodeArgs()`). */
  nodeArgs?: readonly string[];
  /** The bundle to run (default this checkout's dist/chatlab-server.mjs, the server alone, as the lab runs it). */
  program?: string;
  /** Requests a second each connection may send (`--rate`; default the server's own, 20). */
  ratePerConnection?: number;
}

/**
 * Node's flags for the server: the lab's (`SERVER_NODE_FLAGS`, a small young generation), or
 * `CHATLAB_BENCH_NODE_ARGS` when set (space-separated; empty for none), to compare both in one session.
 */
export function serverNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  const given = env.CHATLAB_BENCH_NODE_ARGS;
  return given === undefined ? [...SERVER_NODE_FLAGS] : given.split(' ').filter(Boolean);
}

/** `node dist/chatlab.mjs server` on 127.0.0.1 with a fresh, seeded data folder and no request log. */
export async function startChatlab(options: ChatlabServerOptions): Promise<BenchServer> {
  const data = mkdtempSync(join(options.dataRoot ?? tmpdir(), 'chatlab-bench-'));
  seedChatlab(data, options.prefix, options.users, options.rooms);
  const args = [
    ...(options.nodeArgs ?? serverNodeArgs()),
    options.program ?? join(ROOT_DIR, 'dist', 'chatlab-server.mjs'),
    'server',
    '--host',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--data',
    data,
    '--no-log',
    '--max-connections',
    String(options.maxConnections),
    // Every benchmark client comes from 127.0.0.1.
    '--max-per-address',
    String(options.maxConnections),
    ...(options.ratePerConnection === undefined ? [] : ['--rate', String(options.ratePerConnection)]),
  ];
  // Run as started, with the flags given here: `chatlab server` would otherwise start itself again with the lab's
  // flags, in a process other than the one measured.
  const child = start(process.execPath, args, {
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'inherit',
    env: { [SERVER_AS_STARTED]: '1' },
  });
  await waitForPort(options.port, child, 'the chatlab server');
  return started('chatlab', 'chatlab', options.port, child, () => {
    rmSync(data, { recursive: true, force: true });
  });
}

/** The ngircd configuration: flood protection off, no per-IP or channel limits, no DNS or ident lookups. */
export function ngircdConfig(port: number, dir: string): string {
  return [
    '[Global]',
    '\tName = bench.irc',
    '\tInfo = chatlab benchmark peer',
    '\tListen = 127.0.0.1',
    `\tPorts = ${port}`,
    '\tMotdPhrase = bench',
    '\tAdminInfo1 = chatlab bench',
    '\tAdminEMail = bench@bench.test',
    '[Limits]',
    '\tMaxConnections = 0', // unlimited
    '\tMaxConnectionsIP = 0', // every load connection comes from 127.0.0.1
    '\tMaxJoins = 0',
    '\tMaxNickLength = 16',
    '\tMaxPenaltyTime = 0', // no penalty (throttling) time: commands are processed as they arrive
    '\tPingTimeout = 600',
    '\tPongTimeout = 600',
    '[Options]',
    '\tDNS = no',
    '\tIdent = no',
    '\tPAM = no',
    `\tIncludeDir = ${dir}/conf.d`, // not /etc/ngircd/ngircd.conf.d
    '',
  ].join('\n');
}

/** ngircd (Debian's package) in the foreground on 127.0.0.1 with `ngircdConfig`. */
export async function startNgircd(port: number): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'chatlab-bench-ngircd-'));
  const conf = join(dir, 'ngircd.conf');
  writeFileSync(conf, ngircdConfig(port, dir));
  const child = start('ngircd', ['--nodaemon', '--config', conf], {
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'ignore',
  });
  await waitForPort(port, child, 'ngircd');
  return started('irc', 'ngircd', port, child, () => {
    rmSync(dir, { recursive: true, force: true });
  });
}

/**
 * The floor (floor/irc-relay.ts, bundled): a minimal IRC relay on Node, no storage, driven as ngircd is. Run
 * with the server's node flags (`serverNodeArgs`), as chatlab is.
 */
export async function startFloorRelay(
  port: number,
  bundle: string,
  relayArgs: readonly string[] = [],
): Promise<BenchServer> {
  const child = start(process.execPath, [...serverNodeArgs(), bundle, String(port), ...relayArgs], {
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'inherit',
  });
  await waitForPort(port, child, 'the floor relay');
  return started('irc', 'node-floor', port, child, () => undefined);
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}
