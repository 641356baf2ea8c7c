import { Command, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { runScriptClient } from '../client/script/script-client.js';
import { parseServerAddress } from '../client/connection/server-address.js';
import { runTerminalClient } from '../client/terminal/terminal-client.js';
import type { Transport } from '../client/connection/client-types.js';
import { DEFAULT_PORT } from '../protocol/index.js';

interface ClientFlags {
  server: { host: string; port: number };
  transport: Transport;
  script?: boolean;
  user?: string;
  password?: string;
  color: boolean;
  downloads: string;
  reconnect: number;
  heartbeat: number;
  replyTimeout: number;
}

const seconds = (value: string): number => {
  if (!/^\d{1,5}$/.test(value)) throw new InvalidArgumentError('give a number of seconds, 0 to 99999');
  return Number(value);
};

const timeout = (value: string): number => {
  if (!/^\d{1,3}(\.\d{1,3})?$/.test(value) || Number(value) <= 0)
    throw new InvalidArgumentError('give a number of seconds over 0, such as 5 or 1.5');
  return Number(value);
};

const attempts = (value: string): number => {
  if (!/^\d{1,4}$/.test(value)) throw new InvalidArgumentError('give a number of attempts, 0 to 9999');
  return Number(value);
};

const address = (value: string): { host: string; port: number } => {
  try {
    return parseServerAddress(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
};

/** `chatlab client`: the interactive chat client, or with --script the one scenario scripts drive. */
export function clientCommand(): Command {
  return new Command('client')
    .description('chat on a chatlab server: interactive on a terminal, or driven by a script (--script)')
    .addOption(
      new Option('-s, --server <host:port>', 'the server to connect to')
        .env('CHATLAB_SERVER')
        .default(parseServerAddress(`127.0.0.1:${DEFAULT_PORT}`), `127.0.0.1:${DEFAULT_PORT}`)
        .argParser(address),
    )
    .addOption(
      new Option('--transport <transport>', 'CHATLAB/1 over TCP, or over UDP (docs/PROTOCOL.md §10)')
        .env('CHATLAB_TRANSPORT')
        .choices(['tcp', 'udp'])
        .default('tcp'),
    )
    .option('--script', 'read commands from stdin, one a line; print one JSON object a line')
    .option('-u, --user <name>', 'log in as this user at once (needs --password)')
    .addOption(new Option('-p, --password <password>', 'password for --user').env('CHATLAB_PASSWORD'))
    .option('--no-color', 'no colours, even on a terminal (NO_COLOR is honoured too)')
    .option('--downloads <folder>', 'where /get saves files', './downloads')
    .addOption(
      new Option('--reconnect <attempts>', 'attempts to reconnect after a lost connection (0: never)')
        .default(30)
        .argParser(attempts),
    )
    .addOption(
      new Option('--heartbeat <seconds>', 'PING a server that has been silent this long (0: never)')
        .default(20)
        .argParser(seconds),
    )
    .addOption(
      new Option('--reply-timeout <seconds>', 'over UDP: how long to wait for a reply before calling it lost')
        .default(5)
        .argParser(timeout),
    )
    .addHelpText(
      'after',
      `
Type /help in the client for its commands: /register, /login, /create, /join, /msg, /send, /get, ...
Plain text goes to the current room, shown in the prompt as user@room.

With --script, each line of stdin is one command, run in order; stdout gets one JSON object a line:
  {"type":"reply","tag":3,"code":200,"reason":"OK","body":{...},"verb":"JOIN","command":"/join","line":2}
  {"type":"event","event":"MSG","data":{"room":"lab","from":"bob","text":"hi",...}}
  {"type":"local","command":"/send","ok":true,"message":"...","line":3,...}
  {"type":"error","command":"/frob","message":"unknown command /frob; ...","line":4}
Every non-blank input line n is completed by exactly one output line with "line":n: the final reply to
its request, or a local or error line. /wait <EVENT> [key=value ...] waits for an event. At the end of
stdin the client sends QUIT and exits 0 (1 if the connection failed, or was lost for good).

A lost connection (server restarted, network cut) is reconnected on its own, with waits of 0.5, 1, 2, 4,
then 5 s between attempts: the client logs in again, goes back to its room and shows what it missed.
With --script this prints {"type":"connection","state":"lost"|"reconnected"|"closed","message":...}.

With --transport udp (or CHATLAB_TRANSPORT=udp) every frame is one datagram to the server's UDP port
(a server started with --udp). Nothing lost is sent again: a request without a reply within 5 s (--reply-timeout) fails
saying the request or its reply may have been lost, and a file with a lost datagram is refused.

Examples:
  $ chatlab client
  $ chatlab client --server 10.77.0.10:3300 --user alice --password s3cret
  $ chatlab client --server 10.77.0.10:3300 --transport udp
  $ printf '/login alice s3cret\\n/join lab\\nhello from a script\\n' | chatlab client --script
  $ docker exec -i client1 node /app/chatlab.mjs client --script --server 10.77.0.10:3300`,
    )
    .action(async (flags: ClientFlags) => {
      if (flags.user !== undefined && flags.password === undefined) {
        throw new InvalidArgumentError('--user needs --password (or CHATLAB_PASSWORD)');
      }
      const common = {
        connect: { ...flags.server, transport: flags.transport, replyTimeoutMs: flags.replyTimeout * 1000 },
        input: process.stdin,
        output: process.stdout,
        user: flags.user,
        password: flags.password,
        downloadDir: resolve(flags.downloads),
        reconnect: { attempts: flags.reconnect, heartbeatMs: flags.heartbeat * 1000 },
      };
      process.exitCode = flags.script
        ? await runScriptClient(common)
        : await runTerminalClient({ ...common, color: flags.color && process.env.NO_COLOR === undefined });
    });
}
