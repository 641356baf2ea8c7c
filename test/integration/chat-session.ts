import type { ClientOutput, ScriptedClient } from '../../src/lab/index.js';

const isReply = (output: ClientOutput): boolean => output.type === 'reply';

/** Sends one slash command and waits for the reply it earns (the next reply after those seen so far). */
export async function command(client: ScriptedClient, line: string): Promise<ClientOutput> {
  const before = client.received.filter(isReply).length;
  client.send(line);
  return client.waitFor(
    `the reply to "${line}"`,
    (output) => isReply(output) && client.received.filter(isReply).indexOf(output) >= before,
  );
}

/** Registers (or, if the account exists, just logs in) and joins a room, as a person would. */
export async function signInAndJoin(client: ScriptedClient, name: string, room: string): Promise<void> {
  await command(client, `/register ${name} ${name}@example.org s3cret-${name}`);
  await command(client, `/login ${name} s3cret-${name}`);
  const joined = await command(client, `/join ${room}`);
  if (joined.code !== 200) throw new Error(`${name} could not join ${room}: ${JSON.stringify(joined)}`);
}
