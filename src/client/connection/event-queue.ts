import type { EventFrame } from '../../protocol/index.js';
import { Arrivals } from '../../util/arrivals.js';
import { ClientError } from './client-error.js';

export type EventPredicate = (body: Record<string, unknown>) => boolean;

export interface WaitOptions {
  /** How long to wait, in milliseconds (default 5000). */
  timeoutMs?: number;
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
 * Every event of a connection, in order, and the waits on them (an Arrivals: an event is taken by at most
 * one wait; a wait takes the oldest matching event not yet taken, so an event that arrived before the wait
 * began is not missed, and events that a wait skipped stay available to later waits).
 */
export class EventQueue {
  private readonly events = new Arrivals<EventFrame>();

  /** Every event received, in order. */
  get all(): readonly EventFrame[] {
    return this.events.all;
  }

  /** Records an event and hands it to the first wait it matches. */
  push(frame: EventFrame): void {
    this.events.push(frame);
  }

  /** Marks an event received as taken (the greeting, for instance). */
  take(frame: EventFrame): void {
    this.events.markTaken(frame);
  }

  /** Resolves with the oldest event named `event` (and matching `predicate`) that no wait took yet. */
  wait(
    event: string,
    predicate?: EventPredicate,
    { timeoutMs = 5000 }: WaitOptions = {},
  ): Promise<EventFrame> {
    const name = event.toUpperCase();
    const what = describeWait(name, predicate);
    return this.events.take(
      (frame) => frame.event === name && (predicate === undefined || predicate(frame.body)),
      {
        what,
        timeoutMs,
        timedOut: ({ arrived }) =>
          new ClientError('CLIENT_TIMEOUT', `waited ${timeoutMs} ms for ${what}; ${summarize(arrived)}`),
        ended: ({ arrived, wasWaiting }, reason) =>
          new ClientError(
            'CLIENT_CLOSED',
            wasWaiting
              ? `${reason.message} while waiting for ${what}; ${summarize(arrived)}`
              : `${reason.message}; it never sent ${what}`,
            { cause: reason },
          ),
      },
    );
  }

  /** Fails every wait in progress and every later one that finds nothing: the connection is gone. */
  close(reason: Error): void {
    this.events.end(reason);
  }
}
