import { ScenarioError } from './scenario-error.js';

/** Who talks in the basic scenario and what they say (a student's variant changes all of it). */
export interface BasicCast {
  /** Three clients: the first creates the room and sends the direct message (and the file) to the second. */
  readonly clients: readonly [string, string, string];
  readonly room: string;
  /** What each client says in the room, in client order. */
  readonly messages: readonly [string, string, string];
  readonly direct: string;
  readonly reply: string;
  /** A file the first client sends the second, who downloads it; none by default. */
  readonly file: { readonly name: string; readonly content: string } | null;
}

/** The variable `chatlab demo --variant` sets: the cast as JSON. */
export const BASIC_CAST_VARIABLE = 'CHATLAB_BASIC_CAST';

/** The classic assignment's cast, as the basic scenario has always run it. */
export const DEFAULT_CAST: BasicCast = {
  clients: ['alice', 'bob', 'carol'],
  room: 'general',
  messages: [
    'hello everyone, welcome to #general',
    'hi alice! glad to be here',
    'same here | and a | or a : inside a message is just text',
  ],
  direct: 'psst, this one is only for you',
  reply: 'got it, thanks',
  file: null,
};

/** The cast in `CHATLAB_BASIC_CAST`, or the default one when it is unset. */
export function basicCast(env: NodeJS.ProcessEnv = process.env): BasicCast {
  const text = env[BASIC_CAST_VARIABLE]?.trim();
  if (text === undefined || text === '') return DEFAULT_CAST;
  let value: Partial<BasicCast>;
  try {
    value = JSON.parse(text) as Partial<BasicCast>;
  } catch {
    throw new ScenarioError(
      'SCENARIO_BAD_CAST',
      `${BASIC_CAST_VARIABLE} is not JSON: unset it, or use chatlab demo --variant <variant.json>.`,
    );
  }
  const strings = (list: unknown): list is [string, string, string] =>
    Array.isArray(list) && list.length === 3 && list.every((x) => typeof x === 'string' && x !== '');
  if (
    !strings(value.clients) ||
    !strings(value.messages) ||
    typeof value.room !== 'string' ||
    typeof value.direct !== 'string' ||
    typeof value.reply !== 'string'
  ) {
    throw new ScenarioError(
      'SCENARIO_BAD_CAST',
      `${BASIC_CAST_VARIABLE} needs clients and messages (three each), room, direct and reply: unset it, or use chatlab demo --variant <variant.json>.`,
    );
  }
  return { ...DEFAULT_CAST, ...value, file: value.file ?? null };
}
