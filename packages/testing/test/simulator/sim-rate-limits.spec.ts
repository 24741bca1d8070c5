import { describe, expect, it } from '@jest/globals';
import { SimClock } from '../../src/clock/sim-clock.js';
import { FixedWindowCounter, SimRateLimits, TokenBuckets } from '../../src/simulator/sim-rate-limits.js';

describe('FixedWindowCounter', () => {
  it('counts per key in windows aligned to the clock, and starts again at 0 in the next one', () => {
    const clock = new SimClock({ startMs: 1_000_000 + 9_000 });
    const c = new FixedWindowCounter(10_000, () => clock.now());
    expect(c.windowStart()).toBe(1_000_000);
    expect(c.add('a')).toBe(1);
    expect(c.add('a', 5)).toBe(6);
    expect(c.add('b')).toBe(1);
    expect(c.count('a')).toBe(6);
    expect(c.retryAfterSec()).toBe(1);
    clock.advance(999);
    expect(c.count('a')).toBe(6);
    clock.advance(1);
    expect(c.windowStart()).toBe(1_010_000);
    expect(c.count('a')).toBe(0);
    expect(c.retryAfterSec()).toBe(10);
    expect(c.add('a')).toBe(1);
    c.reset();
    expect(c.count('a')).toBe(0);
  });
});

describe('TokenBuckets', () => {
  it('starts full at the burst, refuses below one token, refills at the rate, never above the burst', () => {
    const clock = new SimClock({ startMs: 0 });
    const b = new TokenBuckets(() => clock.now());
    const limit = { rate: 2, burst: 3 };
    expect([1, 2, 3, 4].map(() => b.take('k', limit))).toEqual([true, true, true, false]);
    expect(b.take('other', limit)).toBe(true);
    clock.advance(499);
    expect(b.take('k', limit)).toBe(false);
    clock.advance(1);
    expect(b.take('k', limit)).toBe(true);
    clock.advance(60_000);
    expect([1, 2, 3, 4].map(() => b.take('k', limit))).toEqual([true, true, true, false]);
    // A lowered burst applies to the next request.
    clock.advance(60_000);
    expect([1, 2].map(() => b.take('k', { rate: 2, burst: 1 }))).toEqual([true, false]);
    b.reset();
    expect(b.take('k', limit)).toBe(true);
  });
});

describe('SimRateLimits', () => {
  it('holds the defaults under the overrides, changes at run time, and reset forgets every tracked count', () => {
    const limits = new SimRateLimits({ perSecond: 10, perDay: 1000 }, { perDay: 5 });
    const read = limits.get;
    expect(read()).toEqual({ perSecond: 10, perDay: 5 });
    const clock = new SimClock({ startMs: 0 });
    const counter = limits.track(new FixedWindowCounter(1000, () => clock.now()));
    const buckets = limits.track(new TokenBuckets(() => clock.now()));
    counter.add('k', 3);
    buckets.take('k', { rate: 0, burst: 1 });
    limits.set({ perSecond: 2 });
    expect(read()).toEqual({ perSecond: 2, perDay: 5 });
    expect(counter.count('k')).toBe(3);
    limits.reset();
    expect(counter.count('k')).toBe(0);
    expect(buckets.take('k', { rate: 0, burst: 1 })).toBe(true);
  });
});
