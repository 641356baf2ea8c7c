import { Command, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { DEFAULT_PORT, PROTOCOL_NAME } from '../protocol/index.js';
import { DEFAULT_LIMITS, startServer } from '../server/index.js';
import { relaunch, relaunchArgs, stopWithParent } from '../server/node-flags.js';
import { SERVER_APP, VERSION } from '../version.js';

function atLeastOne(value: string): number {
  const n = positiveInt(value);
  if (n < 1) throw new InvalidArgumentError('expected 1 or more');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

interface ServerFlags {
  host: string;
  port: number;
  data: string;
  maxFile: number;
  maxConnections: number;
  maxPerAddress: number;
  registrationsPerHour: number;
  rate: number;
  log: boolean;
  udp?: boolean;
}

/** `chatlab server`: runs the chat server in the foreground until Ctrl-C or SIGTERM. */
export function serverCommand(): Command {
  return new Command('server')
    .description('run the chat server')
    .addOption(new Option('--host <address>', 'address to listen on').default('0.0.0.0'))
    .addOption(
      new Option('-p, --port <port>', 'TCP port (and UDP port with --udp)')
        .default(DEFAULT_PORT)
        .argParser(positiveInt),
    )
    .addOption(
      new Option('-d, --data <folder>', 'where accounts, rooms, history and files are kept').default(
        './chatlab-data',
      ),
    )
    .addOption(
      new Option('--max-file <bytes>', 'largest file accepted')
        .default(DEFAULT_LIMITS.maxFileSize)
        .argParser(positiveInt),
    )
    .addOption(
      new Option('--max-connections <n>', 'connections held at once')
        .default(DEFAULT_LIMITS.maxConnections)
        .argParser(positiveInt),
    )
    .addOption(
      new Option('--max-per-address <n>', 'connections held at once from one IP address')
        .default(DEFAULT_LIMITS.maxConnectionsPerAddress)
        .argParser(atLeastOne),
    )
    .addOption(
      new Option('--registrations-per-hour <n>', 'accounts one IP address may create in an hour')
        .default(DEFAULT_LIMITS.registrationsPerAddress)
        .argParser(positiveInt),
    )
    .addOption(
      new Option('--rate <requests>', 'requests a second each connection may send (twice that in a burst)')
        .default(DEFAULT_LIMITS.requestsPerSecond)
        .argParser(atLeastOne),
    )
    .option('--udp', 'also serve CHATLAB/1 over UDP on the same address and port (docs/PROTOCOL.md §10)')
    .option('--no-log', 'do not print the request log')
    .addHelpText(
      'after',
      `
The server prints one log line per request: time, client address, user, request type and result
(never message text or passwords). Its port also answers HTTP: open http://<host>:<port>/ for a status page.

With --udp the same port number answers CHATLAB/1 over UDP too, one frame a datagram: each client address
and port is a session, greeted at its first datagram and ended by QUIT, by BYE, or after 120 s without a
datagram. DATA frames carry at most 1200 bytes there, so each datagram fits one Ethernet frame; nothing
lost is sent again. The status page stays TCP only.

Examples:
  $ chatlab server
  $ chatlab server --port 4000 --data /tmp/chat
  $ chatlab server --udp`,
    )
    .action(async (flags: ServerFlags) => {
      // Started by hand without the server's node flags: run again with them (src/server/node-flags.ts).
      const again = relaunchArgs(process.execArgv, process.argv, process.env);
      if (again !== null) await relaunch(again);
      const dataDir = resolve(flags.data);
      const server = await startServer({
        host: flags.host,
        port: flags.port,
        dataDir,
        udp: flags.udp === true,
        log: flags.log ? (line) => process.stdout.write(`${line}\n`) : undefined,
        limits: {
          maxFileSize: flags.maxFile,
          maxConnections: flags.maxConnections,
          maxConnectionsPerAddress: flags.maxPerAddress,
          registrationsPerAddress: flags.registrationsPerHour,
          registrationWindowMs: 3_600_000,
          requestsPerSecond: flags.rate,
          requestBurst: flags.rate * 2,
        },
      }).catch((error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE')
          fail(`port ${flags.port} on ${flags.host} is in use; stop what uses it or pass --port`);
        if (code === 'EACCES') fail(`no permission to listen on port ${flags.port}; use a port above 1023`);
        if (code === 'EADDRNOTAVAIL')
          fail(`${flags.host} is not an address of this machine; try --host 0.0.0.0`);
        throw error;
      });
      const over = flags.udp === true ? ' over TCP and UDP' : '';
      process.stdout.write(
        `${SERVER_APP} ${VERSION} listening on ${flags.host}:${server.port} (protocol ${PROTOCOL_NAME}${over}, data ${dataDir})\n`,
      );
      const stop = (): void => {
        process.stdout.write(`${SERVER_APP} stopping\n`);
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      stopWithParent(stop);
    });
}

function fail(message: string): never {
  process.stderr.write(`chatlab server: ${message}\n`);
  process.exit(1);
}
