import type { EventFrame } from '../protocol/index.js';
import { ClientError } from './client-error.js';

export type EventPredicate = (body: Record<string, unknown>) => boolean;

export interface WaitOptions {
  /** How long to wait, in milliseconds (default 5000). */
  timeoutMs?: number;
}

interface Waiter {
  event: string;
  predicate: EventPredicate | undefined;
  /** Index in `all` of the first event that arrived after the wait began. */
  since: number;
  resolve: (frame: EventFrame) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const describeWait = (event: string, predicate: EventPredicate | undefined): string => {
  if (!predicate) return `* ${event}`;
  const source = predicate.toString().replace(/\s+/g, ' ');
  return `* ${event} matching ${source.length > 120 ? `${source.slice(0, 117)}...` : source}`;
};

const summarize = (frames: readonly EventFrame[]): string =>
  frames.length === 0
    ? 'no events arrived'
    : `events that arrived: ${frames.map((f) => `${f.event} ${JSON.stringify(f.body)}`).join('; ')}`;

/**
 * Every event of a connection, in order, and the waits on them. An event is taken by at most one wait;
 * a wait takes the oldest matching event not yet taken, so an event that arrived before the wait began is
 * not missed, and events that a wait skipped stay available to later waits.
 */
export class EventQueue {
  /** Every event received, in order. */
  readonly all: EventFrame[] = [];
  private readonly untaken: EventFrame[] = [];
  private readonly waiters: Waiter[] = [];
  private closedBecause: Error | null = null;

  /** Records an event and hands it to the first wait it matches. */
  push(frame: EventFrame): void {
    this.all.push(frame);
    const waiter = this.waiters.find((w) => matches(frame, w.event, w.predicate));
    if (waiter) this.settle(waiter).resolve(frame);
    else this.untaken.push(frame);
  }

  /** Marks an event received as taken (the greeting, for instance). */
  take(frame: EventFrame): void {
    const index = this.untaken.indexOf(frame);
    if (index >= 0) this.untaken.splice(index, 1);
  }

  /** Resolves with the oldest event named `event` (and matching `predicate`) that no wait took yet. */
  wait(
    event: string,
    predicate?: EventPredicate,
    { timeoutMs = 5000 }: WaitOptions = {},
  ): Promise<EventFrame> {
    const name = event.toUpperCase();
    const index = this.untaken.findIndex((f) => matches(f, name, predicate));
    const found = this.untaken[index];
    if (found) {
      this.untaken.splice(index, 1);
      return Promise.resolve(found);
    }
    const closed = this.closedBecause;
    if (closed) {
      return Promise.reject(
        new ClientError(
          'CLIENT_CLOSED',
          `${closed.message}; it never sent ${describeWait(name, predicate)}`,
          {
            cause: closed,
          },
        ),
      );
    }
    return new Promise<EventFrame>((resolve, reject) => {
      const since = this.all.length;
      const waiter: Waiter = {
        event: name,
        predicate,
        since,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.settle(waiter);
          const during = this.all.slice(since);
          reject(
            new ClientError(
              'CLIENT_TIMEOUT',
              `waited ${timeoutMs} ms for ${describeWait(name, predicate)}; ${summarize(during)}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Fails every wait in progress and every later one that finds nothing: the connection is gone. */
  close(reason: Error): void {
    this.closedBecause = reason;
    for (const waiter of [...this.waiters]) {
      this.settle(waiter);
      const during = this.all.slice(waiter.since);
      waiter.reject(
        new ClientError(
          'CLIENT_CLOSED',
          `${reason.message} while waiting for ${describeWait(waiter.event, waiter.predicate)}; ${summarize(during)}`,
          { cause: reason },
        ),
      );
    }
  }

  private settle(waiter: Waiter): Waiter {
    clearTimeout(waiter.timer);
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
    return waiter;
  }
}

function matches(frame: EventFrame, event: string, predicate: EventPredicate | undefined): boolean {
  return frame.event === event && (predicate === undefined || predicate(frame.body));
}
