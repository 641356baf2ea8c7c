import type { ScriptProcess } from '../../src/lab/index.js';
import type { ClientOutput } from './fault-tools.js';

/** Sends one line (a slash command, or text for the current room) and waits for the output line that completes it. */
export function command(client: ScriptProcess, line: string): Promise<ClientOutput> {
  return client.command(line, { what: `the outcome of "${line}"` });
}

/** Resolves with the first output line (already printed or still to come) that `matches`. */
export function waitFor(
  client: ScriptProcess,
  what: string,
  matches: (output: ClientOutput) => boolean,
  timeoutMs = 10_000,
): Promise<ClientOutput> {
  return client.next(matches, { what, timeoutMs });
}

/** Sends a command that must succeed (a 2xx reply). */
export async function ok(client: ScriptProcess, line: string): Promise<ClientOutput> {
  const reply = await command(client, line);
  const code = typeof reply.code === 'number' ? reply.code : 0;
  if (code < 200 || code > 299) throw new Error(`${client.name}: "${line}" failed: ${JSON.stringify(reply)}`);
  return reply;
}

/** Registers and logs in, as a person would on first use. */
export async function signIn(client: ScriptProcess, name: string): Promise<void> {
  await ok(client, `/register ${name} ${name}@example.org s3cret-${name}`);
  await ok(client, `/login ${name} s3cret-${name}`);
}
