// Async iterators over rxjs streams, for the `watch*` methods of a market.
// Two shapes: "latest" (a value read at pull time, changes coalesced while the
// consumer is busy: order books) and "queue" (every item, in order, bounded:
// trades and order events, where each item is a distinct fact).
import type { Observable, Subscription } from 'rxjs';
import { HbError } from '../errors/hb-error.js';

/** Options of {@link latestIterable}. */
export interface LatestIterableOptions<T> {
  /** Emits whenever the value may have changed; its items are ignored. An error ends the iteration with it. */
  readonly changes$: Observable<unknown>;
  /** Reads the current value. Called once per yielded item, when the consumer pulls. */
  readonly read: () => T;
  /** Yield the current value on the first pull without waiting for a change (default true). */
  readonly initial?: boolean;
  /** Runs once when the iteration ends for any reason (break, return, error, completion). */
  readonly onClose?: () => void;
}

/** Options of {@link queueIterable}. */
export interface QueueIterableOptions {
  /** Items held for a slow consumer before the iteration fails (default 10 000). */
  readonly maxBuffered?: number;
  /** What the overflow error says the stream is (`trades of BTC-USDT`). */
  readonly label?: string;
  /** Runs once when the iteration ends for any reason. */
  readonly onClose?: () => void;
  /**
   * `now`: subscribe when the iterator is created, so items emitted before the
   * first pull are kept ("every event from now on"); `first-pull` (default): on
   * the first `next()`, so an iterator never used holds nothing.
   */
  readonly subscribe?: 'now' | 'first-pull';
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * An async iterator that yields `read()` each time `changes$` has emitted since the
 * previous yield. However many changes arrive while the consumer is busy, the next
 * pull yields once, with the value as it is then: a slow consumer sees fewer,
 * fresher values and nothing piles up. Nothing is subscribed until the first pull;
 * `return()` (what `break` calls) unsubscribes at once.
 */
export function latestIterable<T>(options: LatestIterableOptions<T>): AsyncIterableIterator<T> {
  let dirty = options.initial ?? true;
  let closed = false;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let sub: Subscription | undefined;
  const waiters: (() => void)[] = [];
  const wakeAll = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  const close = (): void => {
    if (closed) return;
    closed = true;
    sub?.unsubscribe();
    sub = undefined;
    wakeAll();
    options.onClose?.();
  };
  const open = (): void => {
    if (sub !== undefined || closed) return;
    sub = options.changes$.subscribe({
      next: () => {
        dirty = true;
        wakeAll();
      },
      error: (error: unknown) => {
        failure = { error };
        wakeAll();
      },
      complete: () => {
        ended = true;
        wakeAll();
      },
    });
  };
  const pull = async (): Promise<IteratorResult<T, undefined>> => {
    for (;;) {
      if (closed) return DONE;
      if (failure !== undefined) {
        close();
        throw failure.error;
      }
      if (dirty) {
        dirty = false;
        let value: T;
        try {
          value = options.read();
        } catch (e) {
          close();
          throw e;
        }
        return { done: false, value };
      }
      if (ended) {
        close();
        return DONE;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  // Pulls run one after another, so concurrent next() calls get items in call order.
  let chain: Promise<unknown> = Promise.resolve();
  const iterator: AsyncIterableIterator<T> = {
    next(): Promise<IteratorResult<T, undefined>> {
      open();
      const result = chain.then(pull);
      chain = result.catch(() => undefined); // the caller's own promise carries the error; the chain only orders pulls
      return result;
    },
    async return(): Promise<IteratorResult<T, undefined>> {
      close();
      return DONE;
    },
    async throw(error?: unknown): Promise<IteratorResult<T, undefined>> {
      close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/**
 * An async iterator over every item of `source$`, in order. Items that arrive
 * while the consumer is busy are buffered (never dropped); past `maxBuffered`
 * the stream is unsubscribed, the buffered items are still yielded, and then the
 * iteration fails with an `HbError('unavailable')` saying the consumer fell
 * behind — nothing is lost silently. Subscribes at the first pull, or at once
 * with `subscribe: 'now'`.
 */
export function queueIterable<T>(
  source$: Observable<T>,
  options: QueueIterableOptions = {},
): AsyncIterableIterator<T> {
  const maxBuffered = Math.max(1, options.maxBuffered ?? 10_000);
  const buffer: T[] = [];
  let closed = false;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let sub: Subscription | undefined;
  const waiters: (() => void)[] = [];
  const wakeAll = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  const stopSource = (): void => {
    sub?.unsubscribe();
    sub = undefined;
  };
  const close = (): void => {
    if (closed) return;
    closed = true;
    stopSource();
    buffer.length = 0;
    wakeAll();
    options.onClose?.();
  };
  const open = (): void => {
    if (sub !== undefined || closed || ended || failure !== undefined) return;
    sub = source$.subscribe({
      next: (item) => {
        if (failure !== undefined) return;
        if (buffer.length >= maxBuffered) {
          failure = {
            error: new HbError(
              'unavailable',
              `${options.label ?? 'stream'}: consumer fell ${maxBuffered} items behind; iteration stopped`,
              { retryable: false },
            ),
          };
          // Unsubscribing inside next() is safe in rxjs; the Subscription may not be assigned yet.
          queueMicrotask(stopSource);
        } else {
          buffer.push(item);
        }
        wakeAll();
      },
      error: (error: unknown) => {
        failure = { error };
        wakeAll();
      },
      complete: () => {
        ended = true;
        wakeAll();
      },
    });
  };
  const pull = async (): Promise<IteratorResult<T, undefined>> => {
    for (;;) {
      if (closed) return DONE;
      if (buffer.length > 0) return { done: false, value: buffer.shift()! };
      if (failure !== undefined) {
        const { error } = failure;
        close();
        throw error;
      }
      if (ended) {
        close();
        return DONE;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  // Pulls run one after another, so concurrent next() calls get items in call order.
  let chain: Promise<unknown> = Promise.resolve();
  const iterator: AsyncIterableIterator<T> = {
    next(): Promise<IteratorResult<T, undefined>> {
      open();
      const result = chain.then(pull);
      chain = result.catch(() => undefined); // the caller's own promise carries the error; the chain only orders pulls
      return result;
    },
    async return(): Promise<IteratorResult<T, undefined>> {
      close();
      return DONE;
    },
    async throw(error?: unknown): Promise<IteratorResult<T, undefined>> {
      close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  if (options.subscribe === 'now') open();
  return iterator;
}
