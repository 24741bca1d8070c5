import { RateLimiter, type LimiterClock } from '../../src/net/rate-limiter.js';

/** A manual clock: time moves only when the test says so. */
class FakeClock implements LimiterClock {
  t = 1_700_000_000_000;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  scheduled = 0;

  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.scheduled++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  get pendingTimers(): number {
    return this.timers.length;
  }
  /** Moves time forward, firing due timers in order, letting promises settle between. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** Starts acquire calls and records the order and time each is admitted. */
function track(limiter: RateLimiter, clock: FakeClock) {
  const admitted: Array<{ name: string; at: number }> = [];
  const go = (name: string, costs: Record<string, number>, signal?: AbortSignal) =>
    limiter.acquire(costs, signal).then(
      () => {
        admitted.push({ name, at: clock.t });
      },
      (e: unknown) => {
        admitted.push({ name: `${name}:rejected:${(e as Error).message}`, at: clock.t });
      },
    );
  return { admitted, go };
}

describe('RateLimiter — sliding window', () => {
  it('admits up to the limit at once, then waits for the oldest spend to leave the window', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ id: 'REQUEST_WEIGHT', limit: 10, intervalMs: 1000 }], { clock });
    const t0 = clock.t;
    const { admitted, go } = track(limiter, clock);
    void go('a', { REQUEST_WEIGHT: 4 });
    await flush();
    await clock.advance(100);
    void go('b', { REQUEST_WEIGHT: 6 });
    void go('c', { REQUEST_WEIGHT: 3 });
    await flush();
    expect(admitted.map((x) => x.name)).toEqual(['a', 'b']);
    // c needs 3 units: a's 4 leave the window at t0+1000.
    await clock.advance(899);
    expect(admitted.map((x) => x.name)).toEqual(['a', 'b']);
    await clock.advance(1);
    expect(admitted).toEqual([
      { name: 'a', at: t0 },
      { name: 'b', at: t0 + 100 },
      { name: 'c', at: t0 + 1000 },
    ]);
  });

  it('is FIFO: a light request does not overtake a heavy one waiting ahead of it', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ id: 'W', limit: 10, intervalMs: 1000 }], { clock });
    const { admitted, go } = track(limiter, clock);
    void go('fill', { W: 8 });
    void go('heavy', { W: 10 });
    void go('light', { W: 1 });
    await flush();
    expect(admitted.map((x) => x.name)).toEqual(['fill']);
    await clock.advance(1000);
    expect(admitted.map((x) => x.name)).toEqual(['fill', 'heavy']);
    await clock.advance(1000);
    expect(admitted.map((x) => x.name)).toEqual(['fill', 'heavy', 'light']);
  });

  it('waits on a timer, not a polling loop', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ id: 'W', limit: 1, intervalMs: 60_000 }], { clock });
    const { admitted, go } = track(limiter, clock);
    void go('a', { W: 1 });
    void go('b', { W: 1 });
    await flush();
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(60_000);
    expect(admitted.map((x) => x.name)).toEqual(['a', 'b']);
    expect(clock.scheduled).toBe(1);
  });

  it('applies a cost to every rule with that id (ORDERS per 10 s and per day)', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(
      [
        { id: 'ORDERS', limit: 2, intervalMs: 10_000 },
        { id: 'ORDERS', limit: 3, intervalMs: 86_400_000 },
      ],
      { clock },
    );
    const { admitted, go } = track(limiter, clock);
    for (const n of ['1', '2', '3', '4']) void go(n, { ORDERS: 1 });
    await flush();
    expect(admitted.map((x) => x.name)).toEqual(['1', '2']);
    await clock.advance(10_000);
    expect(admitted.map((x) => x.name)).toEqual(['1', '2', '3']);
    await clock.advance(10_000);
    expect(admitted.map((x) => x.name)).toEqual(['1', '2', '3']); // the daily limit holds the 4th
    expect(limiter.pending).toBe(1);
  });

  it('observeUsage raises the local count to the server-reported usage, never lowers it', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ id: 'REQUEST_WEIGHT', limit: 6000, intervalMs: 60_000 }], { clock });
    await limiter.acquire({ REQUEST_WEIGHT: 20 });
    limiter.observeUsage('REQUEST_WEIGHT', 5990); // another process on the same IP spent weight
    expect(limiter.usage()[0]!.used).toBe(5990);
    limiter.observeUsage('REQUEST_WEIGHT', 10);
    expect(limiter.usage()[0]!.used).toBe(5990);
    const { admitted, go } = track(limiter, clock);
    void go('x', { REQUEST_WEIGHT: 20 });
    await flush();
    expect(admitted).toEqual([]);
    await clock.advance(60_000);
    expect(admitted.map((x) => x.name)).toEqual(['x']);
  });

  it('observeUsage with an interval updates only that window', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(
      [
        { id: 'ORDERS', limit: 100, intervalMs: 10_000 },
        { id: 'ORDERS', limit: 200_000, intervalMs: 86_400_000 },
      ],
      { clock },
    );
    limiter.observeUsage('ORDERS', 50, 10_000);
    expect(limiter.usage().map((u) => u.used)).toEqual([50, 0]);
  });

  it('rejects unknown ids and impossible costs at once instead of waiting forever', async () => {
    const limiter = new RateLimiter([{ id: 'W', limit: 10, intervalMs: 1000 }], { clock: new FakeClock() });
    await expect(limiter.acquire({ WIEGHT: 1 })).rejects.toThrow(/unknown rate limit id WIEGHT/);
    await expect(limiter.acquire({ W: 11 })).rejects.toThrow(/exceeds the limit 10/);
  });

  it('a zero cost passes even when the window is full', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ id: 'W', limit: 1, intervalMs: 1000 }], { clock });
    await limiter.acquire({ W: 1 });
    expect(limiter.tryAcquire({ W: 0 })).toBe(true);
    expect(limiter.tryAcquire({ W: 1 })).toBe(false);
  });
});

describe('RateLimiter — fixed window', () => {
  it('resets at the window boundary aligned to the clock', async () => {
    const clock = new FakeClock();
    clock.t = 60_000 * 1000 + 59_000; // one second before a minute boundary
    const limiter = new RateLimiter([{ kind: 'fixed_window', id: 'W', limit: 2, intervalMs: 60_000 }], {
      clock,
    });
    const { admitted, go } = track(limiter, clock);
    void go('a', { W: 1 });
    void go('b', { W: 1 });
    void go('c', { W: 1 });
    await flush();
    expect(admitted.map((x) => x.name)).toEqual(['a', 'b']);
    await clock.advance(1000);
    expect(admitted.map((x) => x.name)).toEqual(['a', 'b', 'c']);
    expect(admitted[2]!.at).toBe(60_000 * 1001);
  });

  it('observeUsage sets the count of the current window', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ kind: 'fixed_window', id: 'W', limit: 10, intervalMs: 60_000 }], {
      clock,
    });
    limiter.observeUsage('W', 10);
    expect(limiter.tryAcquire({ W: 1 })).toBe(false);
  });
});

describe('RateLimiter — token bucket', () => {
  it('allows a burst, then refills at the rate', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ kind: 'token_bucket', id: 'PRIVATE', ratePerSecond: 15, burst: 30 }], {
      clock,
    });
    const t0 = clock.t;
    const { admitted, go } = track(limiter, clock);
    for (let i = 0; i < 32; i++) void go(String(i), { PRIVATE: 1 });
    await flush();
    expect(admitted).toHaveLength(30);
    await clock.advance(66);
    expect(admitted).toHaveLength(30);
    await clock.advance(1); // one token takes 1000/15 = 66.7 ms
    expect(admitted).toHaveLength(31);
    await clock.advance(67);
    expect(admitted).toHaveLength(32);
    expect(admitted[31]!.at - t0).toBeLessThanOrEqual(134);
  });

  it('observeUsage removes tokens the server says are spent', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ kind: 'token_bucket', id: 'P', ratePerSecond: 1, burst: 5 }], {
      clock,
    });
    limiter.observeUsage('P', 5);
    expect(limiter.tryAcquire({ P: 1 })).toBe(false);
  });
});

describe('RateLimiter — penalties and cancellation', () => {
  it('penalize blocks every caller until the given time, and never shortens a penalty', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ id: 'W', limit: 100, intervalMs: 1000 }], { clock });
    const t0 = clock.t;
    limiter.penalizeFor(120_000); // 418 with Retry-After: 120
    limiter.penalize(t0 + 1000);
    expect(limiter.penalizedUntil).toBe(t0 + 120_000);
    const { admitted, go } = track(limiter, clock);
    void go('a', { W: 1 });
    await clock.advance(119_999);
    expect(admitted).toEqual([]);
    await clock.advance(1);
    expect(admitted).toEqual([{ name: 'a', at: t0 + 120_000 }]);
  });

  it('a penalty imposed while callers wait delays them too', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ id: 'W', limit: 1, intervalMs: 1000 }], { clock });
    const t0 = clock.t;
    const { admitted, go } = track(limiter, clock);
    void go('a', { W: 1 });
    void go('b', { W: 1 });
    await flush();
    limiter.penalize(t0 + 5000);
    await clock.advance(1000);
    expect(admitted.map((x) => x.name)).toEqual(['a']);
    await clock.advance(4000);
    expect(admitted).toEqual([
      { name: 'a', at: t0 },
      { name: 'b', at: t0 + 5000 },
    ]);
  });

  it('an aborted waiter leaves the queue and the next one moves up', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ id: 'W', limit: 2, intervalMs: 1000 }], { clock });
    await limiter.acquire({ W: 1 });
    const { admitted, go } = track(limiter, clock);
    const ac = new AbortController();
    void go('big', { W: 2 }, ac.signal);
    void go('small', { W: 1 });
    await flush();
    expect(admitted).toEqual([]);
    ac.abort(new Error('stopped'));
    await flush();
    expect(admitted.map((x) => x.name)).toEqual(['big:rejected:stopped', 'small']);
    expect(limiter.pending).toBe(0);
  });

  it('cancelAll rejects every waiter and clears its timer', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter([{ id: 'W', limit: 1, intervalMs: 1000 }], { clock });
    await limiter.acquire({ W: 1 });
    const { admitted, go } = track(limiter, clock);
    void go('a', { W: 1 });
    await flush();
    limiter.cancelAll();
    await flush();
    expect(admitted.map((x) => x.name)).toEqual(['a:rejected:rate limiter cancelled']);
    expect(clock.pendingTimers).toBe(0);
  });
});
