import { Observable, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type {
  UserStreamEvent,
  UserStreamTrackerDataSource,
} from '../../src/user-stream/user-stream-tracker-data-source.js';
import { UserStreamTracker } from '../../src/user-stream/user-stream-tracker.js';

type Ev = UserStreamEvent<string>;

const ev = (event: string, receivedAt: number): Ev => ({ kind: 'event', event, receivedAt });

function source(listen: () => Observable<Ev>): UserStreamTrackerDataSource<string> {
  return { listen };
}

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('UserStreamTracker', () => {
  it('shares one upstream subscription among all subscribers and forwards events in order', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { a: ev('a', 1000), c: { kind: 'connected', receivedAt: 999 } as Ev, b: ev('b', 1005) };
      const upstream = cold<Ev>('c a 5ms b', values);
      const tracker = new UserStreamTracker({ dataSource: source(() => upstream), silenceTimeoutMs: 1000 });
      expectObservable(tracker.events$, '^ 20ms !').toBe('c a 5ms b', values);
      expectObservable(tracker.events$, '^ 20ms !').toBe('c a 5ms b', values);
      tracker.start();
      tracker.start(); // idempotent
      upstream.scheduler.schedule(() => tracker.stop(), 30);
      expectSubscriptions(upstream.subscriptions).toBe('^ 29ms !');
    });
  });

  it('lastMessageTime follows receivedAt of source events (0 before any)', () => {
    const subject = new Subject<Ev>();
    const tracker = new UserStreamTracker({ dataSource: source(() => subject), silenceTimeoutMs: 0 });
    expect(tracker.lastMessageTime).toBe(0);
    tracker.start();
    subject.next({ kind: 'connected', receivedAt: 1_700_000_000_000 });
    expect(tracker.lastMessageTime).toBe(1_700_000_000_000);
    subject.next(ev('x', 1_700_000_000_500));
    expect(tracker.lastMessageTime).toBe(1_700_000_000_500);
    tracker.stop();
  });

  it('watchdog: a silent stream is torn down, subscribed again, then a silent marker is emitted', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const values = {
        a: ev('a', 1),
        b: ev('b', 2),
        R: { kind: 'reconnected', receivedAt: 150, reason: 'silent' } as Ev,
        S: { kind: 'reconnected', receivedAt: 300, reason: 'silent' } as Ev,
      };
      // Each subscription: a at once, b 50 ms later, then nothing.
      const upstream = cold<Ev>('a 49ms b', values);
      const tracker = new UserStreamTracker({ dataSource: source(() => upstream), silenceTimeoutMs: 100 });
      // Silence is measured from b (t=50): the first check at 100 sleeps until 150.
      expectObservable(tracker.events$, '^ 320ms !').toBe('a 49ms b 99ms (Ra) 46ms b 99ms (Sa)', values);
      tracker.start();
      const testScheduler = upstream.scheduler;
      testScheduler.schedule(() => tracker.stop(), 320);
      flush();
      expectSubscriptions(upstream.subscriptions).toBe(['^ 149ms !', '150ms ^ 149ms !', '300ms ^ 19ms !']);
      expect(tracker.lastMessageTime).toBe(1); // 'a' again after the last resubscription
    });
  });

  it('a busy stream never trips the watchdog', () => {
    scheduler().run(({ cold, expectSubscriptions, flush }) => {
      const upstream = cold<Ev>('a 79ms a 79ms a 79ms a 79ms a', { a: ev('a', 1) });
      const tracker = new UserStreamTracker({ dataSource: source(() => upstream), silenceTimeoutMs: 100 });
      const kinds: string[] = [];
      tracker.events$.subscribe((e) => kinds.push(e.kind));
      tracker.start();
      upstream.scheduler.schedule(() => tracker.stop(), 400);
      flush();
      expectSubscriptions(upstream.subscriptions).toBe('^ 399ms !');
      expect(kinds).toEqual(['event', 'event', 'event', 'event', 'event']);
    });
  });

  it('a stream that errors is resubscribed after the backoff, with an error marker', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const first = cold<Ev>('a 9ms #', { a: ev('a', 1) });
      const second = cold<Ev>('b', { b: ev('b', 2) });
      const streams = [first, second];
      const delays: number[] = [];
      const tracker = new UserStreamTracker({
        dataSource: source(() => streams.shift() ?? second),
        silenceTimeoutMs: 0,
        retryDelayMs: (attempt) => {
          delays.push(attempt);
          return 40;
        },
      });
      const values = {
        a: ev('a', 1),
        b: ev('b', 2),
        E: { kind: 'reconnected', receivedAt: 50, reason: 'error' } as Ev,
      };
      expectObservable(tracker.events$, '^ 100ms !').toBe('a 9ms - 39ms (Eb)', values);
      tracker.start();
      flush();
      expectSubscriptions(first.subscriptions).toBe('^ 9ms !');
      expectSubscriptions(second.subscriptions).toBe('50ms ^ 50ms !'); // until stop() below, at 101
      expect(delays).toEqual([1]);
      tracker.stop();
    });
  });

  it('a stream that ends is resubscribed with an ended marker; backoff grows while it keeps failing', () => {
    scheduler().run(({ cold, flush }) => {
      let calls = 0;
      const tracker = new UserStreamTracker({
        dataSource: source(() => {
          calls++;
          return calls < 3 ? cold<Ev>('|') : cold<Ev>('-');
        }),
        silenceTimeoutMs: 0,
        retryDelayMs: (attempt) => attempt * 10,
      });
      const markers: Array<[number, string]> = [];
      tracker.events$.subscribe((e) => {
        if (e.kind === 'reconnected') markers.push([e.receivedAt, e.reason]);
      });
      tracker.start();
      flush();
      // Ends at 0; resubscribed at 10 (marker), ends again; resubscribed at 10 + 20 = 30 (marker) and stays.
      expect(calls).toBe(3);
      expect(markers).toEqual([
        [10, 'ended'],
        [30, 'ended'],
      ]);
      tracker.stop();
    });
  });

  it('a source that throws on subscribe is retried', () => {
    scheduler().run(({ cold, flush }) => {
      let calls = 0;
      const tracker = new UserStreamTracker({
        dataSource: source(() => {
          calls++;
          if (calls === 1) return new Observable<Ev>((s) => s.error(new Error('handshake refused')));
          return cold<Ev>('a', { a: ev('a', 7) });
        }),
        silenceTimeoutMs: 0,
        retryDelayMs: () => 5,
      });
      const kinds: string[] = [];
      tracker.events$.subscribe((e) => kinds.push(e.kind));
      tracker.start();
      flush();
      expect(calls).toBe(2);
      expect(kinds).toEqual(['reconnected', 'event']);
      expect(tracker.lastMessageTime).toBe(7);
      tracker.stop();
    });
  });

  it('stop() unsubscribes and disarms the watchdog and retries', () => {
    scheduler().run(({ cold, expectSubscriptions, flush }) => {
      const upstream = cold<Ev>('-');
      const tracker = new UserStreamTracker({ dataSource: source(() => upstream), silenceTimeoutMs: 100 });
      const seen: Ev[] = [];
      tracker.events$.subscribe((e) => seen.push(e));
      tracker.start();
      upstream.scheduler.schedule(() => tracker.stop(), 50);
      flush();
      expectSubscriptions(upstream.subscriptions).toBe('^ 49ms !');
      expect(seen).toEqual([]);
      expect(tracker.isRunning).toBe(false);
    });
  });

  it('start() after stop() subscribes again', () => {
    const subject = new Subject<Ev>();
    const tracker = new UserStreamTracker({ dataSource: source(() => subject), silenceTimeoutMs: 0 });
    const seen: string[] = [];
    tracker.events$.subscribe((e) => seen.push(e.kind === 'event' ? e.event : e.kind));
    tracker.start();
    tracker.stop();
    expect(subject.observed).toBe(false);
    subject.next(ev('lost', 1));
    tracker.start();
    expect(subject.observed).toBe(true);
    subject.next(ev('kept', 2));
    tracker.stop();
    expect(seen).toEqual(['kept']);
  });

  it('live status: syncing, live on the first word from the source, stale on disconnected, live again', () => {
    const upstream = new Subject<Ev>();
    const tracker = new UserStreamTracker({ dataSource: source(() => upstream), silenceTimeoutMs: 0 });
    const statuses: string[] = [];
    tracker.status$.subscribe((s) =>
      statuses.push(`${s.status}${s.reason === undefined ? '' : `:${s.reason}`}`),
    );
    tracker.start();
    upstream.next({ kind: 'connected', receivedAt: 1 });
    upstream.next({ kind: 'disconnected', receivedAt: 2, reason: 'socket closed' });
    upstream.next({ kind: 'reconnected', receivedAt: 3, reason: 'back' });
    expect(statuses).toEqual([
      'syncing:not started',
      'syncing:connecting',
      'live',
      'stale:socket closed',
      'live',
    ]);
    tracker.stop();
  });

  it('a disconnected event with an error (a refusal the source retries) is stale with that error, each time; live again when back', async () => {
    const { HbError } = await import('../../src/errors/hb-error.js');
    const upstream = new Subject<Ev>();
    const tracker = new UserStreamTracker({ dataSource: source(() => upstream), silenceTimeoutMs: 0 });
    const states: { status: string; error: unknown }[] = [];
    tracker.status$.subscribe((s) => states.push({ status: s.status, error: s.error }));
    tracker.start();
    const first = new HbError('rate_limit', 'too much request weight', { exchangeCode: -1003 });
    const second = new HbError('rate_limit', 'too much request weight', { exchangeCode: -1003 });
    const reason = 'subscription refused; subscribing again';
    upstream.next({ kind: 'disconnected', receivedAt: 1, reason, error: first });
    upstream.next({ kind: 'disconnected', receivedAt: 2, reason, error: second });
    upstream.next({ kind: 'connected', receivedAt: 3 });
    // One stale status per refusal (same reason, another error): each reaches the market.
    expect(states.slice(2)).toEqual([
      { status: 'stale', error: first },
      { status: 'stale', error: second },
      { status: 'live', error: undefined },
    ]);
    tracker.stop();
  });

  it('a fatal error (authentication) stops the retries and leaves the stream stale with the error', async () => {
    const { HbError } = await import('../../src/errors/hb-error.js');
    let subscriptions = 0;
    const error = new HbError('authentication', 'Invalid API-key, IP, or permissions for action', {
      retryable: false,
      exchangeCode: -2015,
    });
    const tracker = new UserStreamTracker<string>({
      dataSource: source(
        () =>
          new Observable<Ev>((s) => {
            subscriptions++;
            s.error(error);
          }),
      ),
      silenceTimeoutMs: 0,
      retryDelayMs: () => 1,
    });
    tracker.start();
    await new Promise((r) => setTimeout(r, 30));
    expect(subscriptions).toBe(1);
    expect(tracker.status).toMatchObject({ status: 'stale', error });
    tracker.stop();
  });

  it('a retryable error leaves the stream stale with the error and retries', async () => {
    const { HbError } = await import('../../src/errors/hb-error.js');
    let subscriptions = 0;
    const tracker = new UserStreamTracker<string>({
      dataSource: source(
        () =>
          new Observable<Ev>((s) => {
            subscriptions++;
            if (subscriptions === 1) s.error(new HbError('network', 'socket closed'));
            else s.next({ kind: 'connected', receivedAt: 5 });
          }),
      ),
      silenceTimeoutMs: 0,
      retryDelayMs: () => 1,
    });
    const statuses: string[] = [];
    tracker.status$.subscribe((s) => {
      if (statuses.at(-1) !== s.status) statuses.push(s.status);
    });
    tracker.start();
    for (let i = 0; i < 100 && tracker.status.status !== 'live'; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(subscriptions).toBe(2);
    expect(statuses).toEqual(['syncing', 'stale', 'live']);
    tracker.stop();
  });
});
