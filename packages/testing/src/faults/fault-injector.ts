import { Observable, Subject } from 'rxjs';
import type { SimClock } from '../clock/sim-clock.js';
import type {
  FaultHandle,
  FaultResponse,
  FaultRule,
  HttpFault,
  HttpFaultRule,
  HttpFaultTarget,
  RequestMatcher,
  StreamFault,
  StreamFaultRule,
  StreamFaultTarget,
  StreamMatcher,
} from './fault-types.js';

/** Options for {@link FaultInjector}. */
export interface FaultInjectorOptions {
  /** The simulator's clock, for {@link FaultInjector.skewClock}. */
  readonly clock?: SimClock;
  /**
   * The body of an injected error answer when the rule gives none, in the exchange's
   * own error shape (Binance `{code:-1003,msg}`, Coinbase `{message}`). Default:
   * `{ message: <status text> }`.
   */
  readonly errorBody?: (status: number) => unknown;
}

/** Options shared by the helpers that add a rule. */
export interface FaultTimes {
  /** How many matching requests/frames it affects; default 1 (Infinity: until removed). */
  readonly times?: number;
  /** Let this many matching requests/frames pass untouched first; default 0. */
  readonly skipFirst?: number;
}

/**
 * The fault knobs of a simulator: a test switches faults on (and off), the
 * simulator's servers consult the injector for every request and outgoing frame.
 * Rules are plain data ({@link HttpFault}, {@link StreamFault}) with a matcher and a
 * use count, so every exchange's simulator gets the same knobs for free by passing
 * its injector to {@link startHttpServer} and {@link startWsServer}.
 */
export class FaultInjector {
  private readonly http: HttpFaultRule[] = [];
  private readonly stream: StreamFaultRule[] = [];
  private readonly dropSubject = new Subject<StreamMatcher>();
  private nextId = 1;
  private readonly clock: SimClock | undefined;
  private readonly errorBody: (status: number) => unknown;

  /**
   * Requests to terminate matching connections now; servers subscribe to it.
   * (`dropSocket` with `afterMessages: 0`.)
   */
  readonly drops$: Observable<StreamMatcher> = this.dropSubject.asObservable();

  private readonly silenceSubject = new Subject<{ readonly match: StreamMatcher; readonly on: boolean }>();

  /**
   * Requests to silence (`on`) or un-silence matching connections; servers
   * subscribe to it. See {@link silenceSocket}.
   */
  readonly silences$: Observable<{ readonly match: StreamMatcher; readonly on: boolean }> =
    this.silenceSubject.asObservable();

  constructor(options: FaultInjectorOptions = {}) {
    this.clock = options.clock;
    this.errorBody = options.errorBody ?? ((status) => ({ message: statusText(status) }));
  }

  // ------------------------------------------------------------------ HTTP

  /** Adds any HTTP fault rule. */
  addHttpFault(match: RequestMatcher, fault: HttpFault, opts: FaultTimes = {}): FaultHandle {
    return this.add(this.http, match, fault, opts);
  }

  /**
   * Answers the next matching request(s) with 429 and a `Retry-After` header
   * (seconds), without applying them.
   */
  rateLimit(
    match: RequestMatcher,
    opts: FaultTimes & { retryAfterSec?: number; status?: number; body?: unknown } = {},
  ): FaultHandle {
    const status = opts.status ?? 429;
    return this.addHttpFault(
      match,
      {
        kind: 'respond',
        status,
        headers: { 'Retry-After': String(opts.retryAfterSec ?? 1) },
        body: opts.body,
      },
      opts,
    );
  }

  /** Answers the next matching request(s) with a 5xx (default 503), without applying them. */
  serverError(
    match: RequestMatcher,
    opts: FaultTimes & { status?: number; body?: unknown } = {},
  ): FaultHandle {
    return this.addHttpFault(match, { kind: 'respond', status: opts.status ?? 503, body: opts.body }, opts);
  }

  /** Never answers the next matching request(s); they are not applied. */
  timeout(match: RequestMatcher, opts: FaultTimes = {}): FaultHandle {
    return this.addHttpFault(match, { kind: 'hang' }, opts);
  }

  /** Delays matching requests by `ms` before handling them (default: until removed). */
  delayResponses(match: RequestMatcher, ms: number, opts: FaultTimes = {}): FaultHandle {
    return this.addHttpFault(match, { kind: 'delay', ms }, { times: Infinity, ...opts });
  }

  /**
   * The request reaches the exchange and is applied (the order is placed), but the
   * client sees a 5xx (`outcome` a status, default 500) or never hears back
   * (`outcome: 'timeout'`): the unknown-outcome case every connector must survive.
   */
  applyButFail(
    match: RequestMatcher,
    opts: FaultTimes & { outcome?: number | 'timeout'; body?: unknown } = {},
  ): FaultHandle {
    const outcome = opts.outcome ?? 500;
    const fault: HttpFault =
      outcome === 'timeout'
        ? { kind: 'apply_then_hang' }
        : { kind: 'apply_then_respond', status: outcome, body: opts.body };
    return this.addHttpFault(match, fault, opts);
  }

  /**
   * Consulted by the HTTP server for each request: the fault to apply, if any. Uses
   * up one use of the first matching rule (rules are tried in the order added).
   */
  nextHttpFault(request: HttpFaultTarget): HttpFault | undefined {
    return this.take(this.http, (m) => matchesRequest(m, request));
  }

  /** The answer an injected `respond` / `apply_then_respond` fault sends. */
  responseFor(fault: FaultResponse): { status: number; headers: Record<string, string>; body: unknown } {
    return {
      status: fault.status,
      headers: { ...(fault.headers ?? {}) },
      body: fault.body === undefined ? this.errorBody(fault.status) : fault.body,
    };
  }

  // ------------------------------------------------------------------ streams

  /** Adds any outgoing-frame fault rule. */
  addStreamFault(match: StreamMatcher, fault: StreamFault, opts: FaultTimes = {}): FaultHandle {
    return this.add(this.stream, match, fault, opts);
  }

  /**
   * Drops matching connections: now (`afterMessages` 0, the default: every matching
   * open connection is terminated), or right after the `afterMessages`-th matching
   * frame sent from now on.
   */
  dropSocket(match: StreamMatcher = {}, opts: { afterMessages?: number } = {}): FaultHandle | undefined {
    const n = opts.afterMessages ?? 0;
    if (n <= 0) {
      this.dropSubject.next(match);
      return undefined;
    }
    return this.addStreamFault(match, { kind: 'drop' }, { skipFirst: n - 1 });
  }

  /**
   * Matching open connections go silent: no frame and no pong leaves the
   * server any more, but the socket stays open (a hung server or a
   * half-dead route). Connections opened later are healthy, so a client that
   * notices and reconnects recovers. `restore()` un-silences them.
   */
  silenceSocket(match: StreamMatcher = {}): { restore(): void } {
    this.silenceSubject.next({ match, on: true });
    return { restore: () => this.silenceSubject.next({ match, on: false }) };
  }

  /** The next matching frame(s) are never sent: the client sees a sequence gap. */
  skipSequence(match: StreamMatcher = {}, opts: FaultTimes = {}): FaultHandle {
    return this.addStreamFault(match, { kind: 'skip' }, opts);
  }

  /**
   * The next matching frame(s) are sent twice; with `late`, the copy follows the
   * next frame of the same stream instead of the original.
   */
  repeatSequence(match: StreamMatcher = {}, opts: FaultTimes & { late?: boolean } = {}): FaultHandle {
    return this.addStreamFault(match, { kind: 'repeat', late: opts.late === true }, opts);
  }

  /** The next matching frame(s) are swapped with the frame after them. */
  reorderSequence(match: StreamMatcher = {}, opts: FaultTimes = {}): FaultHandle {
    return this.addStreamFault(match, { kind: 'reorder' }, opts);
  }

  /** Delays matching frames by `ms` (default: until removed); order is preserved. */
  delayFrames(match: StreamMatcher, ms: number, opts: FaultTimes = {}): FaultHandle {
    return this.addStreamFault(match, { kind: 'delay', ms }, { times: Infinity, ...opts });
  }

  /** Sends a malformed frame before (or, with `replace`, instead of) the next matching frame. */
  malformedFrame(
    match: StreamMatcher = {},
    opts: FaultTimes & { frame?: string; replace?: boolean } = {},
  ): FaultHandle {
    return this.addStreamFault(
      match,
      { kind: 'malformed', frame: opts.frame ?? '{"e":"depthUpdate","b":[[', replace: opts.replace === true },
      opts,
    );
  }

  /** Consulted by the WS server for each outgoing frame (uses up one use of the first matching rule). */
  nextStreamFault(target: StreamFaultTarget): StreamFault | undefined {
    return this.take(this.stream, (m) => matchesStream(m, target));
  }

  // ------------------------------------------------------------------ clock & housekeeping

  /** Skews the simulator's clock: positive means the server runs ahead. Needs `clock` in the options. */
  skewClock(ms: number): void {
    if (this.clock === undefined) throw new Error('FaultInjector: no clock was given to skew');
    this.clock.setSkew(ms);
  }

  /** Removes every rule and resets the clock skew. */
  clear(): void {
    this.http.length = 0;
    this.stream.length = 0;
    this.clock?.setSkew(0);
  }

  /** Active HTTP rules (live objects: read only). */
  httpRules(): readonly HttpFaultRule[] {
    return this.http;
  }

  /** Active stream rules (live objects: read only). */
  streamRules(): readonly StreamFaultRule[] {
    return this.stream;
  }

  private add<M, F>(list: FaultRule<M, F>[], match: M, fault: F, opts: FaultTimes): FaultHandle {
    const rule: FaultRule<M, F> = {
      id: this.nextId++,
      match,
      fault,
      remaining: opts.times ?? 1,
      skipFirst: opts.skipFirst ?? 0,
      hits: 0,
    };
    if (rule.remaining > 0) list.push(rule);
    return {
      id: rule.id,
      remove: () => {
        const i = list.indexOf(rule);
        if (i >= 0) list.splice(i, 1);
      },
      get hits() {
        return rule.hits;
      },
    };
  }

  private take<M, F>(list: FaultRule<M, F>[], matches: (m: M) => boolean): F | undefined {
    // Every matching rule counts the item against its skipFirst, so each rule's "the
    // Nth matching item from now" refers to the same stream of items; then the first
    // rule that was already due fires (one fault per item).
    let chosen = -1;
    for (let i = 0; i < list.length; i++) {
      const rule = list[i] as FaultRule<M, F>;
      if (!matches(rule.match)) continue;
      if (rule.skipFirst > 0) rule.skipFirst -= 1;
      else if (chosen < 0) chosen = i;
    }
    if (chosen < 0) return undefined;
    const rule = list[chosen] as FaultRule<M, F>;
    rule.hits += 1;
    rule.remaining -= 1;
    if (rule.remaining <= 0) list.splice(chosen, 1);
    return rule.fault;
  }
}

/** True when `request` matches every field `m` gives. */
export function matchesRequest(m: RequestMatcher, request: HttpFaultTarget): boolean {
  if (m.method !== undefined && m.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (m.path !== undefined && !matchText(m.path, request.path)) return false;
  if (m.test !== undefined && !m.test(request)) return false;
  return true;
}

/** True when `target` matches every field `m` gives. */
export function matchesStream(m: StreamMatcher, target: StreamFaultTarget): boolean {
  if (m.connectionId !== undefined && m.connectionId !== target.connectionId) return false;
  if (m.path !== undefined && !matchText(m.path, target.path)) return false;
  if (m.stream !== undefined && (target.stream === undefined || !matchText(m.stream, target.stream)))
    return false;
  return true;
}

function matchText(pattern: string | RegExp, text: string): boolean {
  if (typeof pattern === 'string') return pattern === text;
  pattern.lastIndex = 0;
  return pattern.test(text);
}

function statusText(status: number): string {
  switch (status) {
    case 429:
      return 'Too many requests';
    case 418:
      return 'IP banned';
    case 500:
      return 'Internal error';
    case 502:
      return 'Bad gateway';
    case 503:
      return 'Service unavailable';
    case 504:
      return 'Gateway timeout';
    default:
      return `HTTP ${status}`;
  }
}
