import { ChatError } from '../protocol/index.js';
import type { FailureCounter } from './rate-limiter.js';

/**
 * One budget of wrong guesses shared by several keys (docs/PROTOCOL.md §8): a guess is refused while any
 * key is out of guesses, and a wrong one is counted against all of them. Keys name what is guessed (an
 * account, a room's password) and who guesses (an address), not how the guess was spelled.
 */
export class GuessBudget {
  constructor(
    private readonly failures: FailureCounter,
    private readonly keys: readonly string[],
  ) {}

  /** Throws 429 TOO_MANY_ATTEMPTS while a key is out of guesses. */
  check(what: string): void {
    const wait = Math.max(0, ...this.keys.map((k) => this.failures.blockedFor(k)));
    if (wait > 0) {
      throw new ChatError(429, 'TOO_MANY_ATTEMPTS', `${what}; wait ${wait} s`, {
        retryAfter: wait,
      });
    }
  }

  wrong(): void {
    for (const k of this.keys) this.failures.record(k);
  }

  /** A right guess clears what was guessed (the first key), not the guesser's record. */
  right(): void {
    const first = this.keys[0];
    if (first !== undefined) this.failures.clear(first);
  }
}
