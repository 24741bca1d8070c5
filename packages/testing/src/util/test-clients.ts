// Exchange-independent clients for a simulator's own tests: REST answers read as
// JSON (or text when they are not), a WebSocket client that records every frame and
// waits for one that matches, and narrowing helpers for assertions. Each exchange's
// tests add its own request signing on top, computed independently of the simulator.

import type { Auth, HttpMethod, QueryParams } from '@hb/core/connector';
import WebSocket from 'ws';

/** A REST answer, the body parsed as JSON (kept as text when it is not JSON). */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** `fetch`, read into an {@link HttpAnswer}. */
export async function fetchAnswer(url: string, init?: RequestInit): Promise<HttpAnswer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Not JSON: a malformed answer is kept as text for the assertion to show.
  }
  return { status: res.status, headers: res.headers, body };
}

/** A REST call for {@link fetchSigned}: a JSON body is serialized once, and that text is what is signed and sent. */
export interface SignedCall {
  readonly method: HttpMethod;
  /** The path below the base URL, starting with `/`. */
  readonly path: string;
  /** Query parameters in the order they are sent (default none). */
  readonly query?: QueryParams;
  readonly json?: Record<string, unknown>;
}

/**
 * Sends `call` signed by a connector's own `auth` to `baseUrl` exactly as the
 * signer returns it (its path and query, headers and body, byte for byte), and
 * reads the answer: a simulator spec drives the exchange's wire with real
 * signatures, computed independently of the simulator that checks them.
 */
export async function fetchSigned(
  auth: Auth,
  baseUrl: string,
  call: SignedCall,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  const body = call.json === undefined ? undefined : JSON.stringify(call.json);
  const signed = await auth.signRest({ method: call.method, path: call.path, query: call.query ?? [], body });
  return fetchAnswer(baseUrl + signed.pathAndQuery, {
    method: call.method,
    headers: signed.headers,
    ...(signed.body === undefined ? {} : { body: signed.body }),
    ...(signal === undefined ? {} : { signal }),
  });
}

/** An unsigned GET of `path` (which may carry its own query) with `params` added as a query. */
export function httpGet(
  base: string,
  path: string,
  params: Record<string, string> = {},
): Promise<HttpAnswer> {
  const qs = new URLSearchParams(params).toString();
  return fetchAnswer(`${base}${path}${qs === '' ? '' : `?${qs}`}`);
}

interface FrameWaiter {
  readonly pred: (f: unknown) => boolean;
  readonly resolve: (f: unknown) => void;
  readonly timer: NodeJS.Timeout;
}

/** A WebSocket client that records every text frame (parsed when JSON). */
export class TestWsClient {
  /** Every frame, parsed when JSON (malformed frames kept as text). */
  readonly frames: unknown[] = [];
  /** Every frame as received. */
  readonly raw: string[] = [];
  /** Set once the socket has closed. */
  closed = false;
  private waiters: FrameWaiter[] = [];

  /** Wraps an opening socket; use {@link TestWsClient.connect}. */
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as Buffer).toString('utf8');
      this.raw.push(text);
      let f: unknown = text;
      try {
        f = JSON.parse(text) as unknown;
      } catch {
        // Malformed frames are kept as text.
      }
      this.frames.push(f);
      for (const w of [...this.waiters]) {
        if (w.pred(f)) {
          clearTimeout(w.timer);
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(f);
        }
      }
    });
    ws.on('close', () => {
      this.closed = true;
    });
  }

  /** Connects; resolves once open (as the subclass it is called on). */
  static connect<C extends TestWsClient>(this: new (ws: WebSocket) => C, url: string): Promise<C> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new this(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Sends `obj` as JSON. */
  send(obj: unknown): void {
    this.ws.send(JSON.stringify(obj));
  }

  /** The first frame (already received or future) matching `pred`. */
  next<T = unknown>(pred: (f: unknown) => boolean, timeoutMs = 2000): Promise<T> {
    return this.waitFrame<T>(pred, timeoutMs);
  }

  /** The first JSON-object frame (already received or future) matching `pred`. */
  nextObject<T = Record<string, unknown>>(
    pred: (f: Record<string, unknown>) => boolean,
    timeoutMs = 2000,
  ): Promise<T> {
    // Not through `next`: a subclass may override it in terms of this method.
    return this.waitFrame<T>((f) => isObject(f) && pred(f), timeoutMs);
  }

  private waitFrame<T>(pred: (f: unknown) => boolean, timeoutMs: number): Promise<T> {
    const found = this.frames.find(pred);
    if (found !== undefined) return Promise.resolve(found as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(
          new Error(
            `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames).slice(-800)}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({ pred, resolve: resolve as (f: unknown) => void, timer });
    });
  }

  /** Parsed object frames whose `type` field is `type`. */
  ofType(type: string): Record<string, unknown>[] {
    return this.frames.filter((f): f is Record<string, unknown> => isObject(f) && f['type'] === type);
  }

  /** Resolves when the socket is closed. */
  waitClosed(timeoutMs = 2000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
      this.ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Terminates the socket and forgets pending waits. */
  close(): void {
    for (const w of this.waiters) clearTimeout(w.timer);
    this.waiters = [];
    this.ws.terminate();
  }
}

/** Narrows a JSON value to an object for assertions; throws otherwise. */
export function asObject(v: unknown): Record<string, unknown> {
  if (!isObject(v)) throw new Error(`not an object: ${JSON.stringify(v)}`);
  return v;
}

/** Narrows a JSON value to an array of objects for assertions; throws when it is not an array. */
export function asArray(v: unknown): Record<string, unknown>[] {
  if (!Array.isArray(v)) throw new Error(`not an array: ${JSON.stringify(v)}`);
  return v as Record<string, unknown>[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
