import {
  BehaviorSubject,
  Subject,
  asyncScheduler,
  type Observable,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { HbError } from '../errors/hb-error.js';
import { isFatalStreamError, liveState, type LiveState, type LiveStatus } from '../market/live-status.js';
import type { UserStreamEvent, UserStreamTrackerDataSource } from './user-stream-tracker-data-source.js';

/** Options of {@link UserStreamTracker}. */
export interface UserStreamTrackerOptions<T> {
  /** The exchange's user-stream data source. */
  readonly dataSource: UserStreamTrackerDataSource<T>;
  /**
   * With no message for this long (ms), the stream is presumed dead without
   * having said so: it is torn down and subscribed again, and a
   * `{ kind: 'reconnected', reason: 'silent' }` marker is emitted so the market
   * reconciles by REST. Default 60 000; 0 or Infinity turns the watchdog off
   * (for exchanges whose healthy user stream can legitimately stay silent and
   * whose data source sends no heartbeat events).
   */
  readonly silenceTimeoutMs?: number;
  /**
   * Wait before resubscribing after the source's stream failed or ended, for
   * consecutive failure number `attempt` (1, 2, ...), in ms. Default: 1 s
   * doubling to 30 s.
   */
  readonly retryDelayMs?: (attempt: number) => number;
  /** Where timers run and what `now` is (default `asyncScheduler`); tests pass a virtual one. */
  readonly scheduler?: SchedulerLike;
}

const DEFAULT_SILENCE_MS = 60_000;

function defaultRetryDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Keeps one subscription to an exchange's private event stream and shares it.
 *
 * Users of other libraries lost fills to a user stream that died silently and was
 * never re-initialised; here a watchdog on the time of the last message replaces
 * a silent stream with a fresh subscription, and a stream that errors or ends is
 * resubscribed with backoff. Both emit a `reconnected` marker (reason `silent`,
 * `error` or `ended`) after resubscribing, because private events sent in
 * between are gone and only a REST reconciliation finds them.
 */
export class UserStreamTracker<T> {
  /**
   * The source's events plus the tracker's own `reconnected` markers. Hot: one
   * upstream subscription however many subscribers; subscribe before
   * {@link start} to see everything. Not completed by {@link stop}.
   */
  readonly events$: Observable<UserStreamEvent<T>>;
  /**
   * The stream's live status, starting with the current one: `syncing` until
   * the source first speaks, `live` while it does, `stale` from the moment it is
   * lost (with the error, if one caused it) until the source speaks again. A
   * fatal error (authentication, permission) leaves it `stale` and ends the
   * retries.
   */
  readonly status$: Observable<LiveState>;

  private readonly dataSource: UserStreamTrackerDataSource<T>;
  private readonly silenceMs: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly scheduler: SchedulerLike;
  private readonly subject = new Subject<UserStreamEvent<T>>();
  private readonly statusSubject: BehaviorSubject<LiveState>;
  private halted = false;
  private upstream: Subscription | undefined;
  private watchdog: Subscription | undefined;
  private retry: Subscription | undefined;
  private running = false;
  private failures = 0;
  /** Id of the current subscription; callbacks of older ones compare unequal and are ignored. */
  private connection = 0;
  private lastMessage = 0;
  /** Scheduler time of the last message or (re)subscription: what silence is measured from. */
  private lastActivity = 0;

  constructor(options: UserStreamTrackerOptions<T>) {
    this.dataSource = options.dataSource;
    const silence = options.silenceTimeoutMs ?? DEFAULT_SILENCE_MS;
    this.silenceMs = silence > 0 ? silence : Number.POSITIVE_INFINITY;
    this.retryDelayMs = options.retryDelayMs ?? defaultRetryDelay;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.events$ = this.subject.asObservable();
    this.statusSubject = new BehaviorSubject(liveState('syncing', this.scheduler.now(), 'not started'));
    this.status$ = this.statusSubject.asObservable();
  }

  /** The current live status (see {@link status$}). */
  get status(): LiveState {
    return this.statusSubject.value;
  }

  /**
   * `receivedAt` of the last event the source emitted (ms since epoch); 0 before
   * any. The tracker's own markers do not count: they are not news from the exchange.
   */
  get lastMessageTime(): number {
    return this.lastMessage;
  }

  /** Whether {@link start} was called and {@link stop} not since. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Subscribes to the source and arms the watchdog. Does nothing when running. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.halted = false;
    this.failures = 0;
    this.setStatus(this.status.status === 'stale' ? 'stale' : 'syncing', 'connecting');
    this.connect();
  }

  /** Unsubscribes from the source and disarms every timer. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.disconnect();
    this.retry?.unsubscribe();
    this.retry = undefined;
    if (this.status.status === 'live') this.setStatus('stale', 'stopped');
  }

  /** Subscribes to the source; false when it failed at once (a retry is then scheduled). */
  private connect(): boolean {
    const id = ++this.connection;
    this.lastActivity = this.scheduler.now();
    const upstream = this.dataSource.listen().subscribe({
      next: (event) => {
        if (id === this.connection) this.onEvent(event);
      },
      error: (e: unknown) => this.onFailure(id, 'error', e),
      complete: () => this.onFailure(id, 'ended'),
    });
    if (id !== this.connection || upstream.closed) return false;
    this.upstream = upstream;
    this.armWatchdog(this.silenceMs);
    return true;
  }

  private disconnect(): void {
    // Whatever the old subscription still says (it may be mid-emission) is void.
    this.connection++;
    this.upstream?.unsubscribe();
    this.upstream = undefined;
    this.watchdog?.unsubscribe();
    this.watchdog = undefined;
  }

  private onEvent(event: UserStreamEvent<T>): void {
    if (event.kind === 'disconnected') {
      // The source reconnects (or subscribes again) on its own; the stream is
      // stale until it is back, with the refusal that keeps it down, if any.
      this.setStatus('stale', event.reason, event.error);
      return;
    }
    this.lastMessage = event.receivedAt;
    this.lastActivity = this.scheduler.now();
    this.failures = 0;
    this.setStatus('live');
    this.subject.next(event);
  }

  private onFailure(id: number, reason: 'error' | 'ended', cause?: unknown): void {
    if (!this.running || id !== this.connection) return;
    this.disconnect();
    const error =
      cause instanceof HbError
        ? cause
        : cause === undefined
          ? undefined
          : new HbError('network', cause instanceof Error ? cause.message : String(cause), { cause });
    if (isFatalStreamError(error)) {
      // Retrying cannot fix a refused key: stop, and say why.
      this.halted = true;
      this.setStatus('stale', error.message, error);
      return;
    }
    const message = error === undefined ? 'user stream failed' : (error as HbError).message;
    this.setStatus('stale', reason === 'ended' ? 'user stream ended' : message, error);
    this.failures++;
    this.retry?.unsubscribe();
    this.retry = this.scheduler.schedule(() => {
      this.retry = undefined;
      if (!this.running) return;
      this.reconnect(reason);
    }, this.retryDelayMs(this.failures));
  }

  /**
   * One timer, re-armed lazily: on firing it checks how long ago the last
   * activity was and sleeps the remainder, so a busy stream costs no timer work
   * per message.
   */
  private armWatchdog(delayMs: number): void {
    if (!Number.isFinite(this.silenceMs)) return;
    this.watchdog?.unsubscribe();
    this.watchdog = this.scheduler.schedule(() => {
      this.watchdog = undefined;
      if (!this.running) return;
      const quiet = this.scheduler.now() - this.lastActivity;
      if (quiet < this.silenceMs) {
        this.armWatchdog(this.silenceMs - quiet);
        return;
      }
      this.reconnect('silent');
    }, delayMs);
  }

  /** Tears the stream down, subscribes again, then tells subscribers to reconcile. */
  private reconnect(reason: 'silent' | 'error' | 'ended'): void {
    if (this.halted) return;
    if (reason === 'silent') this.setStatus('stale', 'user stream silent');
    this.disconnect();
    if (!this.connect() || !this.running) return;
    this.subject.next({ kind: 'reconnected', receivedAt: this.scheduler.now(), reason });
  }

  private setStatus(status: LiveStatus, reason?: string, error?: HbError): void {
    const cur = this.statusSubject.value;
    if (cur.status === status && cur.reason === reason && cur.error === error) return;
    const since = cur.status === status ? cur.since : this.scheduler.now();
    this.statusSubject.next(liveState(status, since, status === 'live' ? undefined : reason, error));
  }
}
