import { ChatError } from '../protocol/index.js';
import { TokenBucket } from './rate-limiter.js';

/** Refusals answered per connection in one second by default; past it lines are dropped unanswered (docs/PROTOCOL.md §8). */
export const REFUSALS_PER_WINDOW = 64;
const WINDOW_MS = 1000;

/**
 * Every line a connection sends (requests, unknown verbs, bad frames) takes a token; and the replies that
 * refuse lines are capped, so a flood of short lines cannot make the server write far more than it read.
 */
export class FloodGuard extends TokenBucket {
  // A token bucket itself rather than holding one: one object a connection, not two.
  private windowStart = 0;
  private refused = 0;
  /** Lines dropped without a reply since the connection opened, for the log. */
  dropped = 0;

  constructor(
    rate: number,
    burst: number,
    /** Refusals answered in one second; the ones past it get no reply. */
    readonly refusalsPerWindow = REFUSALS_PER_WINDOW,
  ) {
    super(rate, burst);
  }

  /** Takes a token for a line; throws the 429 to send when there is none. */
  admit(): void {
    const allowed = this.take();
    if (!allowed.ok) {
      throw new ChatError(429, 'RATE_LIMITED', `too many requests; wait ${allowed.retryAfter} s`, {
        retryAfter: allowed.retryAfter,
      });
    }
  }

  /**
   * What to do with a refusal: `answer` it, send it as the `last` one answered in this window (the reply then
   * says that lines are dropped), or `drop` the line without a reply.
   */
  refusal(now = Date.now()): 'answer' | 'last' | 'drop' {
    if (now - this.windowStart >= WINDOW_MS) {
      this.windowStart = now;
      this.refused = 0;
    }
    if (this.refused >= this.refusalsPerWindow) {
      this.dropped++;
      return 'drop';
    }
    this.refused++;
    return this.refused === this.refusalsPerWindow ? 'last' : 'answer';
  }
}
