// One load-generator process: reads LoadCommand JSON lines on stdin, answers LoadReply JSON lines on
// stdout. Run on this machine (node) or inside a lab container (docker exec -i), bundled by bench/lib/bundle.ts.
import { createInterface } from 'node:readline';
import { chatlabAdapter } from './chatlab-adapter.js';
import { ircAdapter } from './irc-adapter.js';
import { clock, LoadConnection } from './load-connection.js';
import type { ConnectReport, LoadCommand, LoadReply } from './load-messages.js';
import { LoadRunner } from './load-run.js';
import type { ProtocolAdapter } from './protocol.js';

let runner: LoadRunner | undefined;

function send(reply: LoadReply): void {
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

async function connectAll(command: Extract<LoadCommand, { op: 'connect' }>): Promise<ConnectReport> {
  const adapter: ProtocolAdapter = command.adapter === 'irc' ? ircAdapter : chatlabAdapter;
  runner ??= new LoadRunner(adapter, []);
  const current = runner;
  const started = clock();
  const errors: string[] = [];
  let opened = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < command.count) {
      const index = command.first + next++;
      const user = { name: `${command.prefix}${index}`, password: command.password };
      for (let attempt = 1; ; attempt++) {
        try {
          const conn = await LoadConnection.open(
            command,
            adapter,
            user,
            { room: command.room, register: command.register ?? false },
            command.timeoutMs,
          );
          current.connections.push(conn);
          current.attach(conn);
          opened++;
          break;
        } catch (error) {
          if (attempt < 3) {
            await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
            continue;
          }
          if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, command.concurrency) }, worker));
  return { opened, failed: command.count - opened, errorSamples: errors, elapsedMs: clock() - started };
}

async function handle(command: LoadCommand): Promise<LoadReply> {
  switch (command.op) {
    case 'connect':
      return { op: 'connect', ok: true, report: await connectAll(command) };
    case 'run':
      if (runner === undefined) return { op: 'run', ok: false, error: 'run before connect' };
      return { op: 'run', ok: true, report: await runner.run(command.plan) };
    case 'status': {
      const conns = runner?.connections ?? [];
      const closed = conns.filter((c) => c.closed).length;
      return { op: 'status', ok: true, report: { open: conns.length - closed, closed } };
    }
    case 'close':
      for (const conn of runner?.connections ?? []) conn.destroy();
      return { op: 'close', ok: true };
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
let queue = Promise.resolve();
lines.on('line', (line) => {
  if (line.trim() === '') return;
  queue = queue.then(async () => {
    let command: LoadCommand | undefined;
    try {
      command = JSON.parse(line) as LoadCommand;
      send(await handle(command));
    } catch (error) {
      send({
        op: command?.op ?? '?',
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
});
lines.on('close', () => {
  void queue.then(() => {
    for (const conn of runner?.connections ?? []) conn.destroy();
    process.exit(0);
  });
});
