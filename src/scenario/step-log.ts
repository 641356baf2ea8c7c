import type { StepFailure, StepRecord } from '../report/index.js';
import { ScenarioError } from './scenario-error.js';

/** What a step's body returns: its value for the script and one line saying how it went. */
export interface StepOutcome<T> {
  value: T;
  result: string;
}

const MAX_ACTION = 96;

/** Shortens long actions (a 9000-byte raw line) for the log, saying how long they were. */
export function shortAction(action: string): string {
  if (action.length <= MAX_ACTION) return action;
  return `${action.slice(0, MAX_ACTION - 24)}... (${Buffer.byteLength(action)} bytes)`;
}

/**
 * Numbers, prints and records the steps of a run: `[ 3] alice  /join general  -> 200 OK`. The first step
 * that fails is kept as the run's failure, with what it expected.
 */
export class StepLog {
  readonly steps: StepRecord[] = [];
  failure: StepFailure | undefined;
  #actorWidth = 6;

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  /** Pads actors to the longest host name, so the actions line up. */
  withActorWidth(width: number): this {
    this.#actorWidth = Math.max(this.#actorWidth, width + 1);
    return this;
  }

  /** The number the next step will get. */
  get next(): number {
    return this.steps.length + 1;
  }

  /** Says something between steps (not numbered, not recorded). */
  note(text: string): void {
    this.write(`     ${text}`);
  }

  /** Runs one step; a failure is printed, recorded (the first one as the run's failure) and rethrown. */
  async run<T>(
    actor: string,
    action: string,
    expected: string,
    body: () => Promise<StepOutcome<T>>,
  ): Promise<T> {
    const record: StepRecord = {
      n: this.next,
      actor,
      action: shortAction(action),
      ok: false,
      at: new Date().toISOString(),
      result: '',
      ms: 0,
    };
    this.steps.push(record);
    const started = performance.now();
    try {
      const { value, result } = await body();
      record.ok = true;
      record.result = result;
      return value;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      record.result = `FAILED: ${message}`;
      this.failure ??= {
        step: record.n,
        expected: error instanceof ScenarioError && error.expected !== '' ? error.expected : expected,
        message,
      };
      throw error;
    } finally {
      record.ms = Math.round(performance.now() - started);
      this.write(this.#format(record));
    }
  }

  #format(record: StepRecord): string {
    const n = String(record.n).padStart(2, ' ');
    return `[${n}] ${record.actor.padEnd(this.#actorWidth)} ${record.action}  -> ${record.result}`;
  }
}
