import type { LatencyHistogram } from '../lib/histogram.js';

/** Commands the controller sends a load process, one JSON object a line on its stdin. */
export type LoadCommand =
  | {
      op: 'connect';
      adapter: 'chatlab' | 'irc';
      host: string;
      port: number;
      /** Users `<prefix><first>` .. `<prefix><first + count - 1>`, all with one password. */
      prefix: string;
      first: number;
      count: number;
      password: string;
      room?: string | undefined;
      register?: boolean;
      concurrency: number;
      timeoutMs: number;
    }
  | { op: 'run'; plan: RunPlan }
  | { op: 'status' }
  | { op: 'close' };

/** One load step: every connection posts to the room at `ratePerConnection` messages a second. */
export interface RunPlan {
  room: string;
  ratePerConnection: number;
  /** Wall-clock ms (see `clock`) at which every process starts sending. */
  startAt: number;
  warmupMs: number;
  durationMs: number;
  drainMs: number;
  textBytes: number;
  /** 0..1: where this process's sends fall between another's, so the sum is evenly spread. */
  phase: number;
}

/** What one process measured in one step; only messages sent inside the window count. */
export interface RunReport {
  /** Messages sent inside the measurement window. */
  sent: number;
  /** Messages received inside the window's stamps (one per receiving connection). */
  deliveries: number;
  latency: ReturnType<LatencyHistogram['toJSON']>;
  /** How late sends were against their schedule: the generator's own lag. */
  sendLag: ReturnType<LatencyHistogram['toJSON']>;
  rateLimited: number;
  errors: number;
  errorSamples: string[];
  /** Connections the server closed (BYE, ERROR, reset) by the end of the step. */
  closed: number;
  /** CPU seconds this load process used during the step. */
  cpuSeconds: number;
  elapsedMs: number;
}

export interface ConnectReport {
  opened: number;
  failed: number;
  errorSamples: string[];
  elapsedMs: number;
}

export interface StatusReport {
  open: number;
  closed: number;
}

export type LoadReply =
  | { op: 'connect'; ok: true; report: ConnectReport }
  | { op: 'run'; ok: true; report: RunReport }
  | { op: 'status'; ok: true; report: StatusReport }
  | { op: 'close'; ok: true }
  | { op: string; ok: false; error: string };
