import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HbError, latestIterable, queueIterable } from '../../src/index.js';

/** Lets pending promise callbacks run. */
const flush = () => new Promise<void>((r) => setImmediate(r));

function marbles(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('latestIterable', () => {
  it('subscribes at the first pull and unsubscribes on return (marbles)', () => {
    const ts = marbles();
    ts.run(({ hot, expectSubscriptions }) => {
      const changes = hot('--a--b--c--d--');
      let value = 0;
      const it = latestIterable({ changes$: changes, read: () => value++ });
      // Created at frame 0 but not pulled until frame 3; returned at frame 9.
      ts.schedule(() => void it.next(), 3);
      ts.schedule(() => void it.return?.(), 9);
      expectSubscriptions(changes.subscriptions).toBe('---^-----!');
    });
  });

  it('coalesces changes that arrive while the consumer is busy into one view (marbles)', async () => {
    const ts = marbles();
    let state = 'v0';
    const it = latestIterable({ changes$: new Subject<never>(), read: () => state });
    const reads: string[] = [];
    let iterator = it;
    ts.run(({ cold }) => {
      // A burst of five changes in virtual time, each moving the state.
      const burst = cold('-a-b-c-d-e|', { a: 'v1', b: 'v2', c: 'v3', d: 'v4', e: 'v5' });
      iterator = latestIterable({
        changes$: burst,
        read: () => state,
        initial: false,
      });
      burst.subscribe((v) => (state = v));
      ts.schedule(() => void iterator.next().then((r) => reads.push(String(r.value))), 0);
    });
    await flush();
    // The pull waiting through the whole burst of five changes yields once, with the latest state.
    expect(reads).toEqual(['v5']);
    // The source completed and nothing changed since: nothing further to yield.
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    await it.return?.();
  });

  it('yields the current value at once, then once per batch of changes', async () => {
    const changes = new Subject<void>();
    let n = 0;
    const it = latestIterable({ changes$: changes, read: () => ++n });
    expect((await it.next()).value).toBe(1);
    changes.next();
    changes.next();
    changes.next();
    expect((await it.next()).value).toBe(2);
    const pending = it.next();
    let settled = false;
    void pending.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    changes.next();
    expect((await pending).value).toBe(3);
    await it.return?.();
    expect(changes.observed).toBe(false);
  });

  it('tears down on break and calls onClose once', async () => {
    const changes = new Subject<void>();
    const onClose = jest.fn();
    const it = latestIterable({ changes$: changes, read: () => 'x', onClose });
    let seen = 0;
    for await (const v of it) {
      expect(v).toBe('x');
      if (++seen === 1) break;
    }
    expect(changes.observed).toBe(false);
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(await it.next()).toEqual({ done: true, value: undefined });
    await it.return?.();
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('a pending pull ends when the iterator is returned', async () => {
    const changes = new Subject<void>();
    const it = latestIterable({ changes$: changes, read: () => 1, initial: false });
    const pending = it.next();
    await flush();
    await it.return?.();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('ends with the stream error and unsubscribes', async () => {
    const changes = new Subject<void>();
    const onClose = jest.fn();
    const it = latestIterable({ changes$: changes, read: () => 1, initial: false, onClose });
    const pending = it.next();
    changes.error(new HbError('network', 'gone'));
    await expect(pending).rejects.toThrow('gone');
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});

describe('queueIterable', () => {
  it('buffers every item for a slow consumer, in order (marbles)', async () => {
    const ts = marbles();
    let it: AsyncIterableIterator<string> | undefined;
    ts.run(({ hot, expectSubscriptions }) => {
      const source = hot('-a-b-c-d-|');
      it = queueIterable(source);
      // A first pull opens the subscription (and will receive 'a').
      ts.schedule(() => void it!.next().then((r) => expect(r.value).toBe('a')), 0);
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
    // After the first pull's 'a', every other item was held for the consumer, in order,
    // none coalesced; then the end.
    const rest: string[] = [];
    for await (const v of it!) rest.push(v);
    expect(rest).toEqual(['b', 'c', 'd']);
  });

  it("subscribe: 'now' keeps items emitted before the first pull (marbles)", async () => {
    const ts = marbles();
    let it: AsyncIterableIterator<string> | undefined;
    ts.run(({ hot, expectSubscriptions }) => {
      const source = hot('-a-b-|');
      it = queueIterable(source, { subscribe: 'now' });
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
    const all: string[] = [];
    for await (const v of it!) all.push(v);
    expect(all).toEqual(['a', 'b']);
  });

  it('unsubscribes on break (marbles)', () => {
    const ts = marbles();
    ts.run(({ hot, expectSubscriptions }) => {
      const source = hot('-a-b-c-d-e-');
      const it = queueIterable(source);
      ts.schedule(() => void it.next(), 1);
      ts.schedule(() => void it.return?.(), 6);
      expectSubscriptions(source.subscriptions).toBe('-^----!');
    });
  });

  it('past maxBuffered: yields what it held, then fails with a typed error, and stops listening', async () => {
    const source = new Subject<number>();
    const onClose = jest.fn();
    const it = queueIterable(source, { maxBuffered: 3, label: 'trades of X', onClose });
    const first = it.next();
    for (let i = 1; i <= 10; i++) source.next(i);
    expect((await first).value).toBe(1);
    expect((await it.next()).value).toBe(2);
    expect((await it.next()).value).toBe(3);
    await expect(it.next()).rejects.toMatchObject({ reason: 'unavailable' });
    await flush();
    expect(source.observed).toBe(false);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('ends when the source completes, after the buffered items', async () => {
    const source = new Subject<number>();
    const it = queueIterable(source);
    const first = it.next();
    source.next(1);
    source.next(2);
    source.complete();
    expect((await first).value).toBe(1);
    expect((await it.next()).value).toBe(2);
    expect((await it.next()).done).toBe(true);
  });
});
