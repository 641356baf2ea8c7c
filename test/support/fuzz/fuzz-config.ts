import type { FuzzCase } from './fuzz-case.js';

/**
 * How many cases a fuzz run makes and from which seed: fixed by default so that every run tests the same
 * cases, set from the environment for a longer run or to replay one case (test/fuzz/README.md).
 *
 * - `CHATLAB_FUZZ_SEED`: a number (decimal or 0x hex), or `random`.
 * - `CHATLAB_FUZZ_CASES`: how many cases each fuzz test makes.
 */
export interface FuzzSettings {
  seed: number;
  cases: number;
  /** True when the cases were set from the environment (a long run): timeouts grow with them. */
  custom: boolean;
}

const DEFAULT_SEED = 0x20261121;

export function fuzzSettings(defaultCases: number): FuzzSettings {
  const seedText = process.env.CHATLAB_FUZZ_SEED?.trim() ?? '';
  const casesText = process.env.CHATLAB_FUZZ_CASES?.trim() ?? '';
  let seed = DEFAULT_SEED;
  if (seedText === 'random') seed = Math.floor(Math.random() * 0x1_0000_0000);
  else if (seedText !== '') seed = parseNumber('CHATLAB_FUZZ_SEED', seedText) >>> 0;
  const cases = casesText === '' ? defaultCases : parseNumber('CHATLAB_FUZZ_CASES', casesText);
  if (cases < 1) throw new RangeError(`CHATLAB_FUZZ_CASES must be at least 1, not ${casesText}`);
  return { seed, cases, custom: casesText !== '' };
}

function parseNumber(name: string, text: string): number {
  const value = /^0x[0-9a-f]+$/i.test(text)
    ? Number.parseInt(text, 16)
    : /^\d+$/.test(text)
      ? Number(text)
      : NaN;
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number, not "${text}"`);
  return value;
}

/** The command that replays one case alone. */
export function replayCommand(seed: number, testFile: string): string {
  return (
    `CHATLAB_FUZZ_SEED=${seed} CHATLAB_FUZZ_CASES=1 ` +
    `node --experimental-vm-modules node_modules/jest/bin/jest.js --selectProjects unit -- ${testFile}`
  );
}

/** A failing case: its message has everything needed to replay it. */
export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
}

/** What a failing case prints: what went wrong, its seed, its parts, its bytes in hex, and how to replay it. */
export function caseFailure(fuzzCase: FuzzCase, testFile: string, problem: string): FuzzFailure {
  return new FuzzFailure(
    [
      `fuzz case failed: ${problem}`,
      `seed: ${fuzzCase.seed} (0x${fuzzCase.seed.toString(16)})`,
      `parts: ${fuzzCase.parts.join(' | ')}`,
      `bytes (${fuzzCase.bytes.length}, hex): ${fuzzCase.bytes.toString('hex')}`,
      `replay: ${replayCommand(fuzzCase.seed, testFile)}`,
    ].join('\n'),
  );
}
