// The counting behind a simulator's rate limits, whatever the exchange answers when
// one is exceeded: counts per key over fixed windows aligned to the server clock
// (Binance's ORDERS per 10 s and per day and REQUEST_WEIGHT per minute, Huobi's
// per-key 2 s windows, Bittrex's minute) and lazily refilled token buckets
// (Coinbase), and the limits themselves: the exchange's defaults, a test's options,
// changes at run time. The exchange keeps its error codes and Retry-After rules.

/** Anything that counts against a limit and can forget its counts. */
export interface SimRateState {
  reset(): void;
}

/**
 * A simulator's rate limits: the exchange's documented defaults with the options'
 * overrides, read on every request (so a change applies to the next one), and the
 * counts kept against them, which {@link reset} forgets.
 */
export class SimRateLimits<L extends object> {
  private current: L;
  private readonly states: SimRateState[] = [];

  constructor(defaults: L, overrides: Partial<L> = {}) {
    this.current = { ...defaults, ...overrides };
  }

  /** The limits now (a function, so counters can hold it and read the current value). */
  readonly get = (): L => this.current;

  /** Changes limits at run time (e.g. a low weight limit for one test); counts so far stay. */
  set(changes: Partial<L>): void {
    this.current = { ...this.current, ...changes };
  }

  /** Registers a count that {@link reset} forgets; returns it. */
  track<S extends SimRateState>(state: S): S {
    this.states.push(state);
    return state;
  }

  /** Forgets every registered count: used weight, windows, buckets, waits and bans. */
  reset(): void {
    for (const s of this.states) s.reset();
  }
}

/**
 * Counts per key over fixed windows of `windowMs`, aligned to the clock (a window
 * starts at every multiple of `windowMs`, as the exchanges' are): a count read or
 * added in a later window starts again from 0.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    /** The window length, ms. */
    readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** When the current window started (server time, ms). */
  windowStart(): number {
    return Math.floor(this.now() / this.windowMs) * this.windowMs;
  }

  /** Whole seconds until the current window ends, at least 1: the `Retry-After` of a refusal. */
  retryAfterSec(): number {
    return Math.max(1, Math.ceil((this.windowStart() + this.windowMs - this.now()) / 1000));
  }

  /** The key's count in the current window. */
  count(key: string): number {
    const w = this.windows.get(key);
    return w !== undefined && w.start === this.windowStart() ? w.count : 0;
  }

  /** Adds `amount` (default 1) to the key's count in the current window; returns the new count. */
  add(key: string, amount = 1): number {
    const start = this.windowStart();
    const w = this.windows.get(key);
    const count = (w !== undefined && w.start === start ? w.count : 0) + amount;
    this.windows.set(key, { start, count });
    return count;
  }

  /** Forgets every count. */
  reset(): void {
    this.windows.clear();
  }
}

/** The size of one token bucket. */
export interface TokenBucketLimit {
  /** Tokens added per second. */
  readonly rate: number;
  /** Most tokens the bucket holds (it starts full). */
  readonly burst: number;
}

/**
 * A token bucket per key, refilled lazily at `rate` per second up to `burst`: a
 * request takes one token, and a bucket with less than one refuses it. The limit
 * is passed per call, so a limit changed at run time applies to the next request.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number) {}

  /** Takes one token from the key's bucket: false (nothing taken) when it holds less than one. */
  take(key: string, limit: TokenBucketLimit): boolean {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: limit.burst, at: t };
    b.tokens = Math.min(limit.burst, b.tokens + (Math.max(0, t - b.at) / 1000) * limit.rate);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Refills every bucket. */
  reset(): void {
    this.buckets.clear();
  }
}
