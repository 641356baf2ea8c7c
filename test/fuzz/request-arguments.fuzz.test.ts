import { describe, expect, it } from '@jest/globals';
import { ChatError, COMMANDS, parseArguments } from '../../src/protocol/index.js';
import type { GeneratedRequest } from '../support/fuzz/frame-generator.js';
import { FrameGenerator } from '../support/fuzz/frame-generator.js';
import type { FuzzCase } from '../support/fuzz/fuzz-case.js';
import { caseFailure, fuzzSettings } from '../support/fuzz/fuzz-config.js';
import { caseSeed, Rng } from '../support/fuzz/rng.js';

// Fuzzing the request grammar (docs/PROTOCOL.md §1 "Arguments", §4; src/protocol/commands.ts): requests for
// every verb with valid arguments, and with exactly one fault whose error code the generator knows.

const FILE = 'test/fuzz/request-arguments.fuzz.test.ts';
const settings = fuzzSettings(2500);

/** What is wrong with how `parseArguments` took the request, or null. */
function check(request: GeneratedRequest): string | null {
  const { spec, frame, refusal } = request;
  let parsed: ReturnType<typeof parseArguments>;
  try {
    parsed = parseArguments(spec, frame.args);
  } catch (error) {
    if (!(error instanceof ChatError)) return `threw ${String(error)}`;
    if (refusal === null) return `valid arguments refused: ${error.status} ${error.code} ${error.message}`;
    if (error.status !== 400 || error.code !== refusal) {
      return `refused with ${error.status} ${error.code} (${error.message}), expected 400 ${refusal}`;
    }
    return null;
  }
  if (refusal !== null) return `accepted, expected 400 ${refusal}`;
  for (const [name, value] of request.values) {
    const got = typeof value === 'number' ? parsed.int(name) : parsed.string(name);
    if (got !== value) return `<${name}> parsed as ${JSON.stringify(got)}, sent ${JSON.stringify(value)}`;
  }
  const options = JSON.stringify([...parsed.options].sort());
  const sent = JSON.stringify([...request.options].sort());
  return options === sent ? null : `options parsed as ${options}, sent ${sent}`;
}

describe(`request arguments fuzz (seed ${settings.seed}, ${settings.cases} cases)`, () => {
  it('accepts every valid argument list with its values, and refuses each fault with its code', () => {
    const verbs = new Set<string>();
    const refusals = new Set<string>();
    for (let i = 0; i < settings.cases; i++) {
      const seed = caseSeed(settings.seed, i);
      const request = new FrameGenerator(new Rng(seed)).request(0.5);
      verbs.add(request.spec.verb);
      refusals.add(request.refusal ?? 'valid');
      const problem = check(request);
      if (problem !== null) {
        const fuzzCase: FuzzCase = { seed, bytes: request.bytes, parts: [`request ${request.spec.verb}`] };
        throw caseFailure(fuzzCase, FILE, `${JSON.stringify(request.bytes.toString())}: ${problem}`);
      }
    }
    expect([...verbs].sort()).toEqual([...COMMANDS.keys()].sort());
    expect([...refusals].sort()).toEqual(['BAD_ARGUMENTS', 'BAD_HASH', 'BAD_NAME', 'BAD_OPTION', 'valid']);
  });

  // Found by this fuzz test; kept as named cases so that they stay covered whatever the seed.
  it.each([
    ['CREATE', 'r invite-only ', 'accepted'],
    ['CREATE', 'r  capacity=3   password=x  ', 'accepted'],
    ['REGISTER', 'bob bob@example.org secret1 postal=1000 ', 'accepted'],
    ['CREATE', 'r constructor=1', 'BAD_OPTION'],
    ['REGISTER', 'bob bob@example.org secret1 __proto__=x', 'BAD_OPTION'],
    ['CREATE', 'r hasOwnProperty=1', 'BAD_OPTION'],
  ])('%s %j: %s', (verb, args, code) => {
    const spec = COMMANDS.get(verb);
    if (!spec) throw new Error(`no verb ${verb}`);
    if (code === 'accepted') expect(() => parseArguments(spec, args)).not.toThrow();
    else expect(() => parseArguments(spec, args)).toThrow(expect.objectContaining({ status: 400, code }));
  });
});
