import { HbError } from '../errors/hb-error.js';

/** Clock sources for {@link ServerTimeSync}, injectable for tests. */
export interface ServerTimeClock {
  /** A monotonic ms counter (`performance.now()`): immune to NTP steps. */
  monotonicNow(): number;
  /** Wall-clock ms (`Date.now()`), read once as the anchor. */
  wallNow(): number;
}

/** Options for {@link ServerTimeSync}. */
export interface ServerTimeSyncOptions {
  /** Clock sources; `performance.now()` and `Date.now()` when omitted. */
  readonly clock?: ServerTimeClock;
  /**
   * Round trips per sync; the one with the smallest RTT wins because its
   * midpoint estimate has the smallest error. Default 1.
   */
  readonly samples?: number;
}

/** One measurement, kept for status output. */
export interface ServerTimeSample {
  /** Estimated server minus local time, ms. */
  readonly offsetMs: number;
  /** Round-trip time of the measurement, ms. */
  readonly rttMs: number;
  /** Local time (anchored monotonic) when it was taken. */
  readonly at: number;
}

/**
 * Estimates the exchange's clock so signed requests carry a timestamp inside
 * the exchange's receive window (Binance `-1021`). Local time is a monotonic
 * counter anchored once to the wall clock, so a system clock step after the
 * sync does not silently move our timestamps.
 */
export class ServerTimeSync {
  private readonly clock: ServerTimeClock;
  private readonly samples: number;
  private readonly anchorWall: number;
  private readonly anchorMono: number;
  private offset = 0;
  private last: ServerTimeSample | undefined;
  private fetcher: (() => Promise<number>) | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(options: ServerTimeSyncOptions = {}) {
    this.clock = options.clock ?? { monotonicNow: () => performance.now(), wallNow: () => Date.now() };
    this.samples = Math.max(1, Math.floor(options.samples ?? 1));
    this.anchorWall = this.clock.wallNow();
    this.anchorMono = this.clock.monotonicNow();
  }

  /** Local time in ms: the wall-clock anchor advanced by the monotonic counter. */
  localNow(): number {
    return this.anchorWall + (this.clock.monotonicNow() - this.anchorMono);
  }

  /** Estimated server time in ms (local time until the first sync). */
  now(): number {
    return Math.round(this.localNow() + this.offset);
  }

  /** Estimated server minus local time, ms. */
  get offsetMs(): number {
    return this.offset;
  }

  /** The measurement in use, or undefined before the first sync. */
  get lastSample(): ServerTimeSample | undefined {
    return this.last;
  }

  /** True once a sync has succeeded. */
  get synced(): boolean {
    return this.last !== undefined;
  }

  /**
   * Measures the offset with `fetchServerTimeMs` (e.g. Binance `GET /api/v3/time`)
   * and remembers the function for {@link resync}. Concurrent calls share one
   * measurement so a burst of `-1021` answers does not become a burst of
   * time requests. On failure the previous offset stays in use.
   */
  sync(fetchServerTimeMs: () => Promise<number>): Promise<void> {
    this.fetcher = fetchServerTimeMs;
    if (this.inFlight === undefined) {
      this.inFlight = this.measure(fetchServerTimeMs).finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  /** Measures again with the function last given to {@link sync}. */
  resync(): Promise<void> {
    if (this.fetcher === undefined)
      return Promise.reject(
        new HbError('unknown', 'ServerTimeSync.resync() called before sync()', { retryable: false }),
      );
    return this.sync(this.fetcher);
  }

  private async measure(fetch: () => Promise<number>): Promise<void> {
    let best: ServerTimeSample | undefined;
    for (let i = 0; i < this.samples; i++) {
      const t0 = this.localNow();
      const server = await fetch();
      const t1 = this.localNow();
      if (!Number.isFinite(server))
        throw new HbError('malformed_message', 'server time is not a finite number');
      const rtt = t1 - t0;
      const sample = { offsetMs: server - (t0 + rtt / 2), rttMs: rtt, at: t1 };
      if (best === undefined || sample.rttMs < best.rttMs) best = sample;
    }
    if (best !== undefined) {
      this.last = best;
      this.offset = best.offsetMs;
    }
  }
}
