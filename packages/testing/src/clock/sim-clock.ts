/** Anything that tells the time in ms since epoch; the engine needs nothing more. */
export interface Clock {
  /** Current time, ms since epoch. */
  now(): number;
}

/** Options for {@link SimClock}. */
export interface SimClockOptions {
  /**
   * Start a manual clock at this time (ms since epoch): time then moves only through
   * {@link SimClock.advance} / {@link SimClock.set}, which keeps timestamps in golden
   * tests fixed. Omitted: the clock follows `Date.now()` (demos, fake timers).
   */
  readonly startMs?: number;
  /** Initial skew in ms added to every reading (see {@link SimClock.setSkew}). */
  readonly skewMs?: number;
}

/**
 * The server's clock in a simulator. One instance is shared by the engine (trade and
 * order timestamps) and the simulator (server time endpoint, recvWindow checks), so
 * skewing it moves every server-side time together, as a real drifting exchange
 * clock would, and a connector's time-offset logic can be tested against it.
 */
export class SimClock implements Clock {
  private manualMs: number | undefined;
  private skew: number;

  constructor(options: SimClockOptions = {}) {
    this.manualMs = options.startMs;
    this.skew = options.skewMs ?? 0;
  }

  /** Server time: the base time plus the current skew. */
  now(): number {
    return this.baseNow() + this.skew;
  }

  /** The time without skew (what the client's clock would read on the same machine). */
  baseNow(): number {
    return this.manualMs ?? Date.now();
  }

  /** The current skew in ms. */
  get skewMs(): number {
    return this.skew;
  }

  /** Sets the skew: positive means the server runs ahead of the client. */
  setSkew(ms: number): void {
    this.skew = ms;
  }

  /** True when the clock moves only through {@link advance} / {@link set}. */
  get isManual(): boolean {
    return this.manualMs !== undefined;
  }

  /** Moves a manual clock forward; on a real-time clock, switches it to manual first. */
  advance(ms: number): void {
    this.manualMs = this.baseNow() + ms;
  }

  /** Sets a manual clock's base time (and switches a real-time clock to manual). */
  set(ms: number): void {
    this.manualMs = ms;
  }

  /** Goes back to following `Date.now()`. */
  useRealTime(): void {
    this.manualMs = undefined;
  }
}
