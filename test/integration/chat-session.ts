import type { ClientOutput, ScriptedClient } from '../../src/lab/index.js';

/** The protocol verb each slash command sends (src/client/slash-commands.ts); replies carry it back. */
const VERBS: Record<string, string> = {
  register: 'REGISTER',
  login: 'LOGIN',
  create: 'CREATE',
  join: 'JOIN',
  msg: 'TELL',
};

/** Sends one slash command and waits for its reply, told apart from the others by its verb. */
export async function command(client: ScriptedClient, line: string): Promise<ClientOutput> {
  const verb = VERBS[line.slice(1).split(' ')[0] ?? ''] ?? '';
  const replies = (): ClientOutput[] => client.received.filter((o) => o.type === 'reply' && o.verb === verb);
  const before = replies().length;
  client.send(line);
  return client.waitFor(`the ${verb} reply to "${line}"`, (o) => replies().indexOf(o) >= before);
}

/** Sends a command that must succeed (a 2xx reply). */
export async function ok(client: ScriptedClient, line: string): Promise<ClientOutput> {
  const reply = await command(client, line);
  const code = typeof reply.code === 'number' ? reply.code : 0;
  if (code < 200 || code > 299) throw new Error(`${client.host}: "${line}" failed: ${JSON.stringify(reply)}`);
  return reply;
}

/** Registers and logs in, as a person would on first use. */
export async function signIn(client: ScriptedClient, name: string): Promise<void> {
  await ok(client, `/register ${name} ${name}@example.org s3cret-${name}`);
  await ok(client, `/login ${name} s3cret-${name}`);
}
