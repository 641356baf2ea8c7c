import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { ChatMessage, Direction, Problem } from './answers.js';
import { ReportError } from './report-error.js';

/**
 * A student's description of their protocol (`--protocol <file>`, the lab file's `app.protocol`): what a
 * client may send and what the server may send, one pattern a line. A pattern is the message as written,
 * with `<word>` for one word and `<rest...>` for the rest of the message:
 *
 *     client: ['/nick <name>', '/msg <name> <text...>', '/list', '/quit', '<text...>']
 *     server: ['Welcome to <text...>', 'OK <text...>', 'ERROR <text...>', 'ONLINE <names...>']
 */
export interface ProtocolDescription {
  readonly file: string;
  readonly client: readonly Pattern[];
  readonly server: readonly Pattern[];
}

export interface Pattern {
  readonly source: string;
  readonly regex: RegExp;
}

export async function readProtocolDescription(file: string): Promise<ProtocolDescription> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw bad(file, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw bad(file, `is not YAML (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad(file, 'is not a mapping with "client:" and "server:" lists');
  }
  const record = value as Record<string, unknown>;
  return {
    file,
    client: patterns(record.client, 'client', file),
    server: patterns(record.server, 'server', file),
  };
}

function patterns(value: unknown, key: string, file: string): Pattern[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw bad(file, `"${key}:" must be a list of patterns such as '/nick <name>' or 'OK <text...>'`);
  }
  return (value as string[]).map((source) => ({ source, regex: compile(source) }));
}

/** `<word>` is one run of non-spaces, `<rest...>` anything (at least one character); the rest is literal. */
export function compile(pattern: string): RegExp {
  const parts = pattern.split(/(<[^<>\s]+>)/).map((part) => {
    if (/^<[^<>\s]+\.\.\.>$/.test(part)) return '[\\s\\S]+';
    if (/^<[^<>\s]+>$/.test(part)) return '\\S+';
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${parts.join('')}$`);
}

/** Every message of the chat that matches no pattern of its direction: a NOT_IN_PROTOCOL problem. */
export function checkAgainstDescription(
  messages: readonly ChatMessage[],
  description: ProtocolDescription,
  textOf: (message: ChatMessage) => string,
): Problem[] {
  const problems: Problem[] = [];
  for (const message of messages) {
    const list = message.direction === 'client-to-server' ? description.client : description.server;
    const text = textOf(message).replace(/\r?\n$/, '');
    if (list.some((p) => p.regex.test(text))) continue;
    problems.push({
      frame: message.frame,
      stream: message.stream,
      direction: message.direction,
      code: 'NOT_IN_PROTOCOL',
      message: message.id,
      text: `${side(message.direction)} sent "${message.summary}", which matches none of its patterns in ${description.file}`,
      detail: { text: message.summary, file: description.file },
      answer: null,
    });
  }
  return problems;
}

function side(direction: Direction): string {
  return direction === 'client-to-server' ? 'the client' : 'the server';
}

function bad(file: string, reason: string): ReportError {
  return new ReportError(
    'REPORT_BAD_PROTOCOL',
    `the protocol description ${file} ${reason}; see report/README.md ("Your protocol's description").`,
    { file },
  );
}
