import type { ScriptLine } from '../client/script/script-client.js';
import { ScenarioError } from './scenario-error.js';
import type { StepOutcome } from './step-log.js';

/** What a scenario expects of one typed line. */
export interface DoOptions {
  /** The status code (`409`) or error code (`'NAME_TAKEN'`) it must be refused with; default: success. */
  expect?: number | string;
  /** Strings the reply's JSON must contain, e.g. the names `/users` must list. */
  shows?: readonly string[];
  /** How long to wait for the outcome (default 10 s, 120 s for /send and /get). */
  timeoutMs?: number;
  /**
   * Over a lossy UDP link: a request or its reply may be lost, and nothing sends it again. The client's
   * "no reply" (docs/PROTOCOL.md §10) is then an expected outcome too, recorded as lost.
   */
  mayBeLost?: boolean;
}

/** Whether an outcome is the client giving up on a reply that never came (a datagram the link lost). */
export function isLostOutcome(outcome: Outcome): boolean {
  return !outcome.ok && outcome.code === null && /\blost\b/i.test(outcome.text);
}

/** How a typed line ended: the server's final reply, or a local command's result. */
export interface Outcome {
  /** The status code (for a local command that failed on a refusal, the refusal's code); null otherwise. */
  code: number | null;
  /** The error code of a refusal (`NAME_TAKEN`), if any. */
  error: string | null;
  ok: boolean;
  /** `200 OK`, `409 Conflict NAME_TAKEN`, or a local command's message. */
  text: string;
  /** The reply's JSON, or a local command's data (`file`, `path`). */
  body: Record<string, unknown>;
  line: ScriptLine;
}

/** Reads the script client's completing line (src/client/script/script-client.ts `ScriptLine`). */
export function readOutcome(line: ScriptLine): Outcome {
  if (line.type === 'reply') {
    const error = typeof line.body.code === 'string' ? line.body.code : null;
    const text = `${line.code} ${line.reason}${error === null ? '' : ` ${error}`}`;
    return { code: line.code, error, ok: line.code >= 200 && line.code < 300, text, body: line.body, line };
  }
  if (line.type === 'local') {
    const { ok, message } = line;
    const body = Object.fromEntries(
      Object.entries(line).filter(([key]) => !['type', 'command', 'ok', 'message', 'line'].includes(key)),
    );
    // A refused upload or download reads "413 FILE_TOO_LARGE: ..." (src/client/commands/command-runner.ts).
    const refusal = /^(\d{3}) ([A-Z_]+):/.exec(message);
    const code = refusal?.[1] === undefined ? null : Number(refusal[1]);
    return { code, error: refusal?.[2] ?? null, ok, text: message, body, line };
  }
  if (line.type === 'error')
    return { code: null, error: null, ok: false, text: line.message, body: {}, line };
  return { code: null, error: null, ok: false, text: `unexpected ${JSON.stringify(line)}`, body: {}, line };
}

/** Checks an outcome against the options; the step's result line, or a ScenarioError saying what differed. */
export function checkOutcome(
  actor: string,
  typed: string,
  outcome: Outcome,
  options: DoOptions,
  expected: string,
): StepOutcome<Outcome> {
  const { expect } = options;
  const matched =
    expect === undefined
      ? outcome.ok
      : typeof expect === 'number'
        ? outcome.code === expect
        : outcome.error === expect;
  const message = typeof outcome.body.message === 'string' ? `: ${outcome.body.message}` : '';
  if (!matched && options.mayBeLost === true && isLostOutcome(outcome)) {
    return { value: outcome, result: `no reply: lost on the link (${outcome.text})` };
  }
  if (!matched) {
    throw new ScenarioError(
      'SCENARIO_UNEXPECTED_REPLY',
      `${actor}: "${typed.slice(0, 60)}" got ${outcome.text}${message}, not ${expected}`,
      expected,
    );
  }
  const json = JSON.stringify(outcome.body);
  const missing = (options.shows ?? []).filter((text) => !json.includes(text));
  if (missing.length > 0) {
    throw new ScenarioError(
      'SCENARIO_UNEXPECTED_REPLY',
      `${actor}: the reply to "${typed.slice(0, 60)}" does not show ${missing.join(', ')}: ${json.slice(0, 300)}`,
      `a reply showing ${(options.shows ?? []).join(', ')}`,
    );
  }
  const shown = options.shows === undefined ? '' : `, shows ${options.shows.join(', ')}`;
  return { value: outcome, result: `${outcome.text}${expect === undefined ? '' : ' (as expected)'}${shown}` };
}
