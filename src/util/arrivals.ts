/** What a wait that failed knows: what was awaited, and what arrived while it waited. */
export interface WaitFailure<T> {
  what: string;
  /** Items that arrived after the wait began (taken or not), oldest first. */
  arrived: readonly T[];
  timeoutMs: number;
  /** For `ended`: false when the source had already ended as the wait began. */
  wasWaiting: boolean;
}

export interface TakeOptions<T> {
  /** What the wait is for, in words: the failure messages quote it. */
  what: string;
  timeoutMs: number;
  /** The error for a wait that timed out. */
  timedOut: (failure: WaitFailure<T>) => Error;
  /** The error for a wait that can never be met: the source has ended (see `end`). */
  ended: (failure: WaitFailure<T>, reason: Error) => Error | Promise<Error>;
}

interface Waiter<T> {
  /** False for a wait that only looks (`first`): the item stays for the other waits. */
  takes: boolean;
  match: (item: T) => boolean;
  resolve: (item: T) => void;
  fail: (reason: Error) => void;
}

/**
 * Everything a source (a connection, a program's output) has delivered, in order, and the waits on it: the
 * one waiting mechanism of chatlab's drivers. A wait takes the oldest matching item that no wait took yet,
 * so an item that arrived before the wait began is not missed, and items a wait skipped stay for later
 * waits; each item is taken at most once. A wait ends when its item comes, after its timeout, or when the
 * source ends, and its error says what was awaited and what came instead.
 */
export class Arrivals<T> {
  /** Every item, in order, taken or not. */
  readonly all: T[] = [];
  readonly #taken = new Set<number>();
  readonly #waiters = new Set<Waiter<T>>();
  #ended: Error | null = null;

  /** Records an item and hands it to the oldest wait it matches. */
  push(item: T): void {
    const index = this.all.push(item) - 1;
    for (const waiter of this.#waiters) {
      if (!waiter.match(item)) continue;
      this.#waiters.delete(waiter);
      waiter.resolve(item);
      if (!waiter.takes) continue;
      this.#taken.add(index);
      return;
    }
  }

  /** No more items will come: waits pending now or later fail with `ended`'s error. */
  end(reason: Error): void {
    if (this.#ended !== null) return;
    this.#ended = reason;
    for (const waiter of this.#waiters) waiter.fail(reason);
    this.#waiters.clear();
  }

  get hasEnded(): boolean {
    return this.#ended !== null;
  }

  /** Marks an item as taken without a wait (a greeting read directly, say). */
  markTaken(item: T): void {
    const index = this.all.indexOf(item);
    if (index >= 0) this.#taken.add(index);
  }

  /** Whether any item so far, taken or not, matches. */
  has(match: (item: T) => boolean): boolean {
    return this.all.some(match);
  }

  /** Takes the oldest untaken item that matches, now or when it arrives. */
  take(match: (item: T) => boolean, options: TakeOptions<T>): Promise<T> {
    const index = this.all.findIndex((item, i) => !this.#taken.has(i) && match(item));
    const found = this.all[index];
    if (found !== undefined) {
      this.#taken.add(index);
      return Promise.resolve(found);
    }
    return this.#wait(true, match, options);
  }

  /** The oldest item that matches, taken or not, now or when it arrives; it is left for the other waits. */
  first(match: (item: T) => boolean, options: TakeOptions<T>): Promise<T> {
    const found = this.all.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return this.#wait(false, match, options);
  }

  #wait(takes: boolean, match: (item: T) => boolean, options: TakeOptions<T>): Promise<T> {
    const since = this.all.length;
    const failure = (wasWaiting = true): WaitFailure<T> => ({
      what: options.what,
      arrived: this.all.slice(since),
      timeoutMs: options.timeoutMs,
      wasWaiting,
    });
    if (this.#ended !== null) return Promise.resolve(options.ended(failure(false), this.#ended)).then(reject);
    return new Promise<T>((resolve, fail) => {
      const waiter: Waiter<T> = {
        takes,
        match,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
        fail: (reason) => {
          clearTimeout(timer);
          void Promise.resolve(options.ended(failure(), reason)).then(fail, fail);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        fail(options.timedOut(failure()));
      }, options.timeoutMs);
      this.#waiters.add(waiter);
    });
  }
}

function reject(error: Error): never {
  throw error;
}
