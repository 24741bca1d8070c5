/** The parts of an HTTP request a fault rule matches on. */
export interface HttpFaultTarget {
  /** Upper-case method. */
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
}

/** Which requests a fault applies to; every field given must match. */
export interface RequestMatcher {
  /** Method, case-insensitive. */
  readonly method?: string;
  /** Exact path, or a pattern tested against the path. */
  readonly path?: string | RegExp;
  /** Any further condition (e.g. only `type=MARKET` orders). */
  readonly test?: (request: HttpFaultTarget) => boolean;
}

/** An HTTP answer a fault sends instead of (or after) the real one. */
export interface FaultResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Object -> JSON; string -> sent verbatim. Omitted: the injector's default body for the status. */
  readonly body?: unknown;
}

/**
 * What happens to one matching HTTP request.
 * - `respond`: answer this instead; the request never reaches the simulator (429, 5xx).
 * - `hang`: never answer; the request is not applied (a timeout before the exchange).
 * - `delay`: wait, then handle normally.
 * - `apply_then_respond`: the simulator handles the request (the order is placed),
 *   but the client gets this answer instead (5xx after the fact).
 * - `apply_then_hang`: the simulator handles it and the client never hears back.
 */
export type HttpFault =
  | ({ readonly kind: 'respond' } & FaultResponse)
  | { readonly kind: 'hang' }
  | { readonly kind: 'delay'; readonly ms: number }
  | ({ readonly kind: 'apply_then_respond' } & FaultResponse)
  | { readonly kind: 'apply_then_hang' };

/** The parts of an outgoing WebSocket frame a fault rule matches on. */
export interface StreamFaultTarget {
  /** The server's id of the connection. */
  readonly connectionId: number;
  /** URL path the client connected to (`/ws/btcusdt@depth`, `/stream`). */
  readonly path: string;
  /** The logical stream the frame belongs to, when the simulator says (`btcusdt@depth`). */
  readonly stream?: string;
}

/** Which frames a stream fault applies to; every field given must match. */
export interface StreamMatcher {
  readonly connectionId?: number;
  /** Exact connection path, or a pattern. */
  readonly path?: string | RegExp;
  /** Exact stream name, or a pattern; a frame sent without a stream name never matches one. */
  readonly stream?: string | RegExp;
}

/**
 * What happens to one matching outgoing frame. Sequence faults work on whole frames,
 * which is what a client sees whatever the exchange's numbering: a skipped frame is a
 * gap (Binance `U > lastU + 1`, Coinbase `sequence > last + 1`), a repeated one a
 * duplicate, a reordered one arrives after its successor.
 * - `skip`: the frame is never sent.
 * - `repeat`: the frame is sent twice: at once, or with `late` the copy goes out right
 *   after the next frame of the same stream, when that frame has changed what the copy
 *   says (a client that applies the stale copy is wrong until it notices).
 * - `reorder`: the frame is held back and sent right after the next frame of the connection.
 * - `delay`: the frame (and, to keep order, every later frame of the connection) waits `ms`.
 * - `malformed`: `frame` is sent before the real one (or instead of it, with `replace`).
 * - `drop`: the connection is terminated right after this frame is sent.
 */
export type StreamFault =
  | { readonly kind: 'skip' }
  | { readonly kind: 'repeat'; readonly late?: boolean }
  | { readonly kind: 'reorder' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'malformed'; readonly frame: string; readonly replace: boolean }
  | { readonly kind: 'drop' };

/** An active fault rule; `remaining` uses left (Infinity: until removed). */
export interface FaultRule<M, F> {
  readonly id: number;
  readonly match: M;
  readonly fault: F;
  /** Uses left. */
  remaining: number;
  /** Matching requests or frames that must pass untouched before the rule fires. */
  skipFirst: number;
  /** How many times it fired. */
  hits: number;
}

/** A rule for HTTP requests. */
export type HttpFaultRule = FaultRule<RequestMatcher, HttpFault>;

/** A rule for outgoing frames. */
export type StreamFaultRule = FaultRule<StreamMatcher, StreamFault>;

/** Returned by every rule-adding call, to switch that rule off early. */
export interface FaultHandle {
  readonly id: number;
  /** Removes the rule (no-op when it is already used up). */
  remove(): void;
  /** How many times the rule fired so far. */
  readonly hits: number;
}
