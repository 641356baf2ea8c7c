import { LabError } from './lab-error.js';

export type Write = (line: string) => void;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Prints what a lab command is doing, times each step, and sums up what it did at the end. */
export class Progress {
  readonly #started = performance.now();
  readonly #did: string[] = [];

  constructor(readonly write: Write = (line) => process.stdout.write(`${line}\n`)) {}

  info(line: string): void {
    this.write(line);
  }

  /** Records something the command changed, for the closing summary. */
  did(what: string): void {
    this.#did.push(what);
  }

  /** Runs one named step, printing its start and how long it took. */
  async step<T>(label: string, action: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.write(`> ${label} ...`);
    const result = await action();
    this.write(`  ${label}: done in ${seconds(performance.now() - started)}`);
    return result;
  }

  /** Polls `check` until it is true, printing a heartbeat; a timeout says what it waited for and how long. */
  async waitFor(
    what: string,
    check: () => Promise<boolean>,
    timeoutMs: number,
    intervalMs = 500,
  ): Promise<void> {
    const started = performance.now();
    let lastBeat = started;
    for (;;) {
      if (await check()) return;
      const now = performance.now();
      if (now - started > timeoutMs) {
        throw new LabError('LAB_TIMEOUT', `Timed out after ${seconds(timeoutMs)} waiting for ${what}.`);
      }
      if (now - lastBeat > 5000) {
        this.write(`  still waiting for ${what} (${seconds(now - started)})`);
        lastBeat = now;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  elapsed(): string {
    return seconds(performance.now() - this.#started);
  }

  /** One closing line: what was done and the total time. */
  summary(command: string): string {
    const what = this.#did.length === 0 ? 'nothing needed doing' : this.#did.join('; ');
    return `${command} finished in ${this.elapsed()}: ${what}.`;
  }
}
