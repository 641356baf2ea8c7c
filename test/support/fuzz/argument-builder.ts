import { createHash } from 'node:crypto';
import type { CommandSpec, OptionValue, ParamSpec } from '../../../src/protocol/index.js';
import { HEX_CHARS, mixCase, NAME_CHARS, randomText, randomWord } from './random-text.js';
import type { Rng } from './rng.js';

/** The argument text of one request, and what `parseArguments` must make of it (docs/PROTOCOL.md §4). */
export interface BuiltArguments {
  args: string;
  /** The error code the arguments must be refused with, or null when they are valid. */
  refusal: string | null;
  /** For valid arguments: each parameter's value as parsed (ints as numbers, choices lower-cased). */
  values: Map<string, string | number>;
  options: Map<string, OptionValue>;
}

/** Room and user names that exist (or nearly) on the server under test. */
export interface Vocabulary {
  rooms?: readonly string[];
  users?: readonly string[];
}

const BAD_NAMES = [
  'a.b',
  'bob!',
  'é',
  'x'.repeat(33),
  '../etc',
  '#room',
  '@user',
  'a\tb',
  '日本',
  '😀',
  'a/b',
];
const BAD_INTS = ['-1', '1.5', '1e3', '9999999999999999', 'abc', '0x10', '+1', '١٢', '∞'];
const BAD_TARGETS = ['room', '#', '@', '#a.b', '!x', '##r', `#${'x'.repeat(33)}`];
/** Option keys that exist on every object (`constructor`, `__proto__`), and near-misses of real ones. */
const BAD_OPTION_KEYS = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'pass',
  'x',
  'cap',
];

/**
 * Builds the arguments of one request, valid or with exactly one fault (a bad word, a missing or extra
 * argument, a bad option), with spacing as people type it: runs of spaces, leading and trailing ones.
 */
export class ArgumentBuilder {
  private readonly words: string[] = [];
  private readonly values = new Map<string, string | number>();
  private readonly options = new Map<string, OptionValue>();
  private refusal: string | null = null;

  constructor(
    private readonly rng: Rng,
    private readonly names: Vocabulary,
    private readonly faulty: boolean,
  ) {}

  build(spec: CommandSpec): BuiltArguments {
    const { rng } = this;
    const faultAt = this.faulty ? rng.int(spec.params.length + 1) : -1;
    let omitted = false;
    for (const [i, param] of spec.params.entries()) {
      // Optional parameters can only be left out at the end.
      if (param.optional && (omitted || (i !== faultAt && rng.chance(0.4)))) {
        omitted = true;
        continue;
      }
      if (i === faultAt && !param.optional && rng.chance(0.3)) {
        this.fail('BAD_ARGUMENTS'); // a missing argument
        break;
      }
      this.param(param, i === faultAt);
      if (this.refusal !== null) break;
    }
    const last = spec.params.at(-1);
    const open = last?.kind === 'text' || last?.kind === 'options';
    if (faultAt === spec.params.length && !omitted && !open) {
      this.words.push(randomWord(rng, NAME_CHARS, 6)); // one argument too many
      this.fail('BAD_ARGUMENTS');
    }
    const sep = (): string => (rng.chance(0.9) ? ' ' : ' '.repeat(rng.range(2, 4)));
    let args = this.words.map((w, i) => (i === 0 ? w : `${sep()}${w}`)).join('');
    if (rng.chance(0.1) && args !== '') args = `${sep()}${args}`;
    if (rng.chance(0.1) && last?.kind !== 'text') args += sep();
    return { args, refusal: this.refusal, values: this.values, options: this.options };
  }

  private fail(code: string): void {
    this.refusal ??= code;
  }

  private push(param: ParamSpec, word: string, value: string | number = word): void {
    this.words.push(word);
    this.values.set(param.name, value);
  }

  private bad(word: string, code: string): void {
    this.words.push(word);
    this.fail(code);
  }

  /** A name, often one the server knows: parameters named `room` are rooms, the others users. */
  private name(kind: 'rooms' | 'users'): string {
    const known = this.names[kind] ?? [];
    return known.length > 0 && this.rng.chance(0.7)
      ? this.rng.pick(known)
      : randomWord(this.rng, NAME_CHARS, 32);
  }

  private param(param: ParamSpec, bad: boolean): void {
    const { rng } = this;
    switch (param.kind) {
      case 'name':
        if (bad) this.bad(rng.pick(BAD_NAMES), 'BAD_NAME');
        else this.push(param, this.name(param.name === 'room' ? 'rooms' : 'users'));
        return;
      case 'int':
      case 'size': {
        if (bad) {
          // A size of 16+ digits is not malformed but too large (the handler's FILE_TOO_LARGE).
          const faults = param.kind === 'size' ? BAD_INTS.filter((w) => /\D/.test(w)) : BAD_INTS;
          this.bad(rng.pick(faults), 'BAD_ARGUMENTS');
          return;
        }
        const n = rng.chance(0.8) ? rng.range(0, 100) : rng.range(0, 999_999_999_999_999);
        const padded = `000${n}`; // leading zeros count: at most 15 digits
        this.push(param, rng.chance(0.1) && padded.length <= 15 ? padded : String(n), n);
        return;
      }
      case 'target':
        if (bad) this.bad(rng.pick(BAD_TARGETS), 'BAD_ARGUMENTS');
        else this.push(param, rng.chance(0.5) ? `#${this.name('rooms')}` : `@${this.name('users')}`);
        return;
      case 'sha256': {
        const faults = [randomWord(rng, HEX_CHARS, 63), `a${'0'.repeat(64)}`, 'g'.repeat(64)];
        if (bad) {
          this.bad(rng.pick(faults), 'BAD_HASH');
          return;
        }
        // Often `-`, as chatlab's client sends: the digest follows the bytes, in a DIGEST line (§4 "Files").
        if (rng.chance(0.5)) {
          this.push(param, '-');
          return;
        }
        // Mostly the hash of as many zero bytes as the size says: the fuzz then sends zeros (frame-generator.ts).
        const size = this.values.get('size');
        const hash =
          typeof size === 'number' && size <= 1 << 20 && rng.chance(0.7)
            ? createHash('sha256').update(Buffer.alloc(size)).digest('hex').toUpperCase()
            : randomWord(rng, HEX_CHARS, 64).padEnd(64, 'F');
        this.push(param, hash, hash.toLowerCase());
        return;
      }
      case 'text': {
        const text = randomText(rng).replace(/^\s+/, '');
        this.push(param, /\S/.test(text) ? text : `x${text}`);
        return;
      }
      case 'options':
        this.optionWords(param, bad);
        return;
      case 'token': {
        if (!param.choices) {
          const token = randomText(rng, 24).replace(/\s/g, '');
          this.push(param, token === '' ? 'tok' : token);
        } else if (bad) this.bad(`${rng.pick(param.choices)}x`, 'BAD_ARGUMENTS');
        else {
          const choice = rng.pick(param.choices);
          this.push(param, mixCase(rng, choice), choice);
        }
        return;
      }
    }
  }

  private optionWords(param: ParamSpec, bad: boolean): void {
    const { rng } = this;
    const specs = Object.entries(param.options ?? {});
    const count = rng.range(bad ? 0 : 1, specs.length);
    const words: string[] = [];
    for (let i = 0; i < count; i++) {
      const [key, kind] = rng.pick(specs);
      const shown = mixCase(rng, key);
      if (kind === 'flag') {
        words.push(shown);
        this.options.set(key, true);
        continue;
      }
      const text = randomText(rng, 12).replace(/\s/g, '');
      const value = kind === 'int' ? rng.range(0, 20_000) : text === '' ? 'v' : text;
      words.push(`${shown}=${value}`);
      this.options.set(key, value);
    }
    if (bad) {
      const [key, kind] = rng.pick(specs);
      const faults = [`${rng.pick(BAD_OPTION_KEYS)}=1`, `${key}=`, kind === 'flag' ? `${key}=1` : key];
      if (kind === 'int') faults.push(`${key}=${rng.pick(BAD_INTS)}`);
      words.splice(rng.int(words.length + 1), 0, rng.pick(faults));
      this.fail('BAD_OPTION');
    }
    this.words.push(words.join(' '));
  }
}
