import { HbError } from '../errors/hb-error.js';

/**
 * A counter over a time window: at most `limit` cost units per `intervalMs`.
 * `sliding_window` (the default) counts what was spent in the last
 * `intervalMs`; `fixed_window` resets at multiples of `intervalMs` since the
 * epoch, as Binance's per-minute weight counter does.
 */
export interface WindowRateLimit {
  /** Window semantics; sliding when omitted because it never overshoots. */
  readonly kind?: 'sliding_window' | 'fixed_window';
  /**
   * The cost key endpoints charge (`REQUEST_WEIGHT`, `ORDERS`). Several rules may
   * share one id (Binance `ORDERS` per 10 s and per day): a cost applies to all.
   */
  readonly id: string;
  /** Cost units allowed per window. */
  readonly limit: number;
  /** Window length in ms. */
  readonly intervalMs: number;
}

/** A token bucket (Coinbase): refills `ratePerSecond`, holds at most `burst`. */
export interface TokenBucketRateLimit {
  /** Discriminant. */
  readonly kind: 'token_bucket';
  /** The cost key endpoints charge. */
  readonly id: string;
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Bucket capacity, which is also the largest single cost allowed. */
  readonly burst: number;
}

/** One published limit of an exchange. */
export type RateLimitRule = WindowRateLimit | TokenBucketRateLimit;

/** Cost of one call per limit id, e.g. `{ REQUEST_WEIGHT: 20, ORDERS: 1 }`. */
export type RateCosts = Readonly<Record<string, number>>;

/** Time source and timers, injectable so tests run on fake time. */
export interface LimiterClock {
  /** Current time in ms (wall clock; fixed windows align to it). */
  now(): number;
  /** Schedules `fn` after `ms`. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a handle returned by `setTimeout`. */
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const systemLimiterClock: LimiterClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Per-rule accounting; each kind answers "how long until `cost` fits?". */
interface LimitState {
  readonly rule: RateLimitRule;
  /** ms to wait before `cost` fits (0 = now). */
  waitFor(cost: number, now: number): number;
  /** Records a spend that was admitted. */
  take(cost: number, now: number): void;
  /** Raises local usage to at least what the server reports. */
  observe(used: number, now: number): void;
  /** Usage now, for status output. */
  used(now: number): number;
}

class SlidingWindow implements LimitState {
  // Parallel arrays with a moving head: a spend log bounded by `limit` entries,
  // without the O(n) cost of Array.shift on every prune.
  private times: number[] = [];
  private costs: number[] = [];
  private head = 0;
  private total = 0;

  constructor(readonly rule: WindowRateLimit) {}

  private prune(now: number): void {
    const cutoff = now - this.rule.intervalMs;
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) {
      this.total -= this.costs[this.head]!;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.costs = this.costs.slice(this.head);
      this.head = 0;
    }
    if (this.head === this.times.length) this.total = 0; // wipe float drift
  }

  waitFor(cost: number, now: number): number {
    this.prune(now);
    let excess = this.total + cost - this.rule.limit;
    if (excess <= 0) return 0;
    for (let i = this.head; i < this.times.length; i++) {
      excess -= this.costs[i]!;
      if (excess <= 0) return this.times[i]! + this.rule.intervalMs - now;
    }
    return this.rule.intervalMs;
  }

  take(cost: number, now: number): void {
    if (cost <= 0) return;
    this.times.push(now);
    this.costs.push(cost);
    this.total += cost;
  }

  observe(used: number, now: number): void {
    this.prune(now);
    if (used > this.total) this.take(used - this.total, now);
  }

  used(now: number): number {
    this.prune(now);
    return this.total;
  }
}

class FixedWindow implements LimitState {
  private windowStart = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(readonly rule: WindowRateLimit) {}

  private roll(now: number): void {
    const start = Math.floor(now / this.rule.intervalMs) * this.rule.intervalMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.count = 0;
    }
  }

  waitFor(cost: number, now: number): number {
    this.roll(now);
    return this.count + cost <= this.rule.limit ? 0 : this.windowStart + this.rule.intervalMs - now;
  }

  take(cost: number, now: number): void {
    this.roll(now);
    this.count += cost;
  }

  observe(used: number, now: number): void {
    this.roll(now);
    this.count = Math.max(this.count, used);
  }

  used(now: number): number {
    this.roll(now);
    return this.count;
  }
}

class TokenBucket implements LimitState {
  private tokens: number;
  private at: number;

  constructor(
    readonly rule: TokenBucketRateLimit,
    now: number,
  ) {
    this.tokens = rule.burst;
    this.at = now;
  }

  private refill(now: number): void {
    if (now > this.at) {
      this.tokens = Math.min(
        this.rule.burst,
        this.tokens + ((now - this.at) * this.rule.ratePerSecond) / 1000,
      );
      this.at = now;
    }
  }

  waitFor(cost: number, now: number): number {
    this.refill(now);
    return this.tokens >= cost ? 0 : ((cost - this.tokens) * 1000) / this.rule.ratePerSecond;
  }

  take(cost: number, now: number): void {
    this.refill(now);
    this.tokens -= cost;
  }

  observe(used: number, now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.tokens, this.rule.burst - used);
  }

  used(now: number): number {
    this.refill(now);
    return this.rule.burst - this.tokens;
  }
}

interface Waiter {
  readonly costs: RateCosts;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

/** Options for {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Clock and timers; the system clock when omitted. */
  readonly clock?: LimiterClock;
}

/** Usage of one rule, for status output. */
export interface RateLimitUsage {
  /** The rule. */
  readonly rule: RateLimitRule;
  /** Cost units spent in the current window (or missing from the bucket). */
  readonly used: number;
}

/**
 * A client-side limiter that follows an exchange's published limits, so a bot
 * slows itself down instead of collecting 429s and then a 418 IP ban.
 *
 * Requests are admitted strictly in arrival order (a heavy request is never
 * starved by a stream of light ones), and waiting is one timer for the head of
 * the queue, never a polling loop.
 */
export class RateLimiter {
  private readonly clock: LimiterClock;
  private readonly states: LimitState[];
  private readonly queue: Waiter[] = [];
  private penaltyUntil = 0;
  private timer: unknown = undefined;

  constructor(rules: readonly RateLimitRule[], options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? systemLimiterClock;
    const now = this.clock.now();
    this.states = rules.map((rule) => {
      if (rule.kind === 'token_bucket') {
        if (!(rule.ratePerSecond > 0) || !(rule.burst > 0))
          throw new RangeError(`rate limit ${rule.id}: rate and burst must be > 0`);
        return new TokenBucket(rule, now);
      }
      if (!(rule.limit > 0) || !(rule.intervalMs > 0))
        throw new RangeError(`rate limit ${rule.id}: limit and interval must be > 0`);
      return rule.kind === 'fixed_window' ? new FixedWindow(rule) : new SlidingWindow(rule);
    });
  }

  /**
   * Resolves once every limit has room for `costs`, after all earlier callers.
   * A cost id no rule has, or a cost larger than a rule could ever admit, throws
   * at once: both are configuration mistakes that would otherwise wait forever.
   * An aborted `signal` removes the caller from the queue and rejects.
   */
  acquire(costs: RateCosts, signal?: AbortSignal): Promise<void> {
    try {
      this.validate(costs);
    } catch (e) {
      return Promise.reject(e);
    }
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.queue.length === 0 && this.waitTime(costs) === 0) {
      this.take(costs);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort =
        signal === undefined
          ? undefined
          : () => {
              const i = this.queue.indexOf(waiter);
              if (i >= 0) this.queue.splice(i, 1);
              reject(abortError(signal));
              // The head may have changed: the next caller might fit now.
              this.pump();
            };
      const waiter: Waiter = { costs, resolve, reject, signal, onAbort };
      if (onAbort !== undefined) signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /**
   * Takes `costs` now if they fit and nobody is waiting; never waits. For sends
   * that cannot be delayed, such as answering a heartbeat.
   */
  tryAcquire(costs: RateCosts): boolean {
    this.validate(costs);
    if (this.queue.length > 0 || this.waitTime(costs) > 0) return false;
    this.take(costs);
    return true;
  }

  /**
   * Blocks every caller until `untilMs` (clock time), as a 429/418 with
   * `Retry-After` demands. A penalty never shortens an earlier one.
   */
  penalize(untilMs: number): void {
    if (untilMs <= this.penaltyUntil) return;
    this.penaltyUntil = untilMs;
    this.reschedule();
  }

  /** {@link penalize} for `durationMs` from now on the limiter's own clock. */
  penalizeFor(durationMs: number): void {
    this.penalize(this.clock.now() + durationMs);
  }

  /** The time until which {@link penalize} blocks callers (0 when never). */
  get penalizedUntil(): number {
    return this.penaltyUntil;
  }

  /**
   * Syncs local usage with what the server reports (Binance
   * `X-MBX-USED-WEIGHT-1M`), so weight spent by other processes on the same IP
   * is counted. Only ever raises the local count: a lower report may be a stale
   * answer that raced our later requests. With `intervalMs`, only the rule of
   * that window is updated (`ORDERS` 10 s vs 1 day).
   */
  observeUsage(limitId: string, used: number, intervalMs?: number): void {
    if (!Number.isFinite(used)) return;
    const now = this.clock.now();
    for (const s of this.states) {
      if (s.rule.id !== limitId) continue;
      if (intervalMs !== undefined && (s.rule.kind === 'token_bucket' || s.rule.intervalMs !== intervalMs))
        continue;
      s.observe(used, now);
    }
    this.reschedule();
  }

  /** Current usage of every rule. */
  usage(): RateLimitUsage[] {
    const now = this.clock.now();
    return this.states.map((s) => ({ rule: s.rule, used: s.used(now) }));
  }

  /** Callers currently waiting. */
  get pending(): number {
    return this.queue.length;
  }

  /** Rejects every waiting caller with `reason` (the owner is shutting down). */
  cancelAll(
    reason: Error = new HbError('unavailable', 'rate limiter cancelled', { retryable: false }),
  ): void {
    this.clearTimer();
    for (const w of this.queue.splice(0)) {
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      w.reject(reason);
    }
  }

  private validate(costs: RateCosts): void {
    for (const [id, cost] of Object.entries(costs)) {
      if (!(cost >= 0)) throw new RangeError(`rate cost ${id} must be >= 0`);
      let known = false;
      for (const s of this.states) {
        if (s.rule.id !== id) continue;
        known = true;
        const max = s.rule.kind === 'token_bucket' ? s.rule.burst : s.rule.limit;
        if (cost > max) throw new RangeError(`rate cost ${id}=${cost} exceeds the limit ${max}`);
      }
      if (!known) throw new RangeError(`unknown rate limit id ${id}`);
    }
  }

  private waitTime(costs: RateCosts): number {
    const now = this.clock.now();
    let wait = Math.max(0, this.penaltyUntil - now);
    for (const s of this.states) {
      const cost = costs[s.rule.id];
      if (cost === undefined || cost === 0) continue;
      wait = Math.max(wait, s.waitFor(cost, now));
    }
    return wait;
  }

  private take(costs: RateCosts): void {
    const now = this.clock.now();
    for (const s of this.states) {
      const cost = costs[s.rule.id];
      if (cost !== undefined && cost > 0) s.take(cost, now);
    }
  }

  private pump(): void {
    this.clearTimer();
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const wait = this.waitTime(head.costs);
      if (wait > 0) {
        // Timers may fire a hair early; at least 1 ms keeps this from spinning.
        this.timer = this.clock.setTimeout(
          () => {
            this.timer = undefined;
            this.pump();
          },
          Math.max(1, Math.ceil(wait)),
        );
        return;
      }
      this.queue.shift();
      this.take(head.costs);
      if (head.onAbort) head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve();
    }
  }

  private reschedule(): void {
    if (this.queue.length > 0) this.pump();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new HbError('unknown', 'rate limiter wait aborted', { retryable: false });
}
