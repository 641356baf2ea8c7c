/** How a ReconnectingClient tries again after its connection is lost, and how it notices a dead one. */
export interface ReconnectOptions {
  /** Attempts before giving up (default 30); 0 never reconnects. */
  attempts?: number;
  /** Wait before the first attempt, in ms (default 500); it doubles with each attempt... */
  initialDelayMs?: number;
  /** ...up to this (default 5000). */
  maxDelayMs?: number;
  /**
   * Each wait is made up to this fraction shorter or longer at random (default 0.2), so that a classroom of
   * clients does not come back in the same millisecond after a server restart.
   */
  jitter?: number;
  /**
   * After this long without a byte from the server, a PING asks whether it is still there (default 20000;
   * 0: never). Long enough that a capture of a conversation is not full of PINGs, short enough that a cut
   * network is noticed within half a minute.
   */
  heartbeatMs?: number;
  /** No byte for `heartbeatMs` + this long (default 10000): the connection is taken for dead. */
  heartbeatTimeoutMs?: number;
}

/** The policy with every option filled in. */
export class ReconnectPolicy {
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
  readonly heartbeatMs: number;
  readonly heartbeatTimeoutMs: number;

  constructor(options: ReconnectOptions = {}, random: () => number = Math.random) {
    this.attempts = options.attempts ?? 30;
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
    this.jitter = options.jitter ?? 0.2;
    this.heartbeatMs = options.heartbeatMs ?? 20_000;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 10_000;
    this.random = random;
  }

  private readonly random: () => number;

  /** How long to wait before attempt `attempt` (from 1): exponential backoff with jitter. */
  delayMs(attempt: number): number {
    const base = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** Math.max(0, attempt - 1));
    const spread = 1 + this.jitter * (2 * this.random() - 1);
    return Math.max(0, Math.round(base * spread));
  }
}
