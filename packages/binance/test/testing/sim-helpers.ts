// Test-side client helpers for the simulator specs: signing is computed here with
// node:crypto straight from binance.md §6, independently of both the simulator and
// the connector.

import { createHmac } from 'node:crypto';
import WebSocket from 'ws';

/** Credentials of a test account. */
export interface Creds {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** A REST answer. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** HMAC-SHA256 hex. */
export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Unsigned GET. */
export async function get(base: string, path: string, params: Record<string, string> = {}): Promise<Answer> {
  const qs = new URLSearchParams(params).toString();
  const res = await fetch(`${base}${path}${qs === '' ? '' : `?${qs}`}`);
  return { status: res.status, headers: res.headers, body: await readBody(res) };
}

/** Options of {@link signed}. */
export interface SignedOptions {
  /** Put the parameters in an x-www-form-urlencoded body instead of the query. */
  readonly inBody?: boolean;
  /** Override the timestamp (default Date.now()). */
  readonly timestamp?: number;
  /** Corrupt the signature. */
  readonly badSignature?: boolean;
  /** Send no API key header. */
  readonly noApiKey?: boolean;
}

/** A SIGNED request with real signing. */
export async function signed(
  base: string,
  method: string,
  path: string,
  creds: Creds,
  params: Record<string, string>,
  opts: SignedOptions = {},
): Promise<Answer> {
  const all = { ...params, timestamp: String(opts.timestamp ?? Date.now()) };
  const payload = new URLSearchParams(all).toString();
  let sig = sign(creds.apiSecret, payload);
  if (opts.badSignature === true) sig = sig.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  const withSig = `${payload}&signature=${sig}`;
  const headers: Record<string, string> = {};
  if (opts.noApiKey !== true) headers['X-MBX-APIKEY'] = creds.apiKey;
  let url = `${base}${path}`;
  let body: string | undefined;
  if (opts.inBody === true) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = withSig;
  } else {
    url += `?${withSig}`;
  }
  const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: res.status, headers: res.headers, body: await readBody(res) };
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A WebSocket client that records every text frame (parsed when JSON). */
export class WsClient {
  readonly frames: unknown[] = [];
  readonly raw: string[] = [];
  closed = false;
  private waiters: {
    pred: (f: unknown) => boolean;
    resolve: (f: unknown) => void;
    reject: (e: Error) => void;
    timer: NodeJS.Timeout;
  }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as Buffer).toString('utf8');
      this.raw.push(text);
      let f: unknown = text;
      try {
        f = JSON.parse(text) as unknown;
      } catch {
        /* malformed frames are kept as text */
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

  /** Connects. */
  static connect(url: string): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const c = new WsClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
    });
  }

  /** Sends JSON. */
  send(obj: unknown): void {
    this.ws.send(JSON.stringify(obj));
  }

  /** The first frame (already received or future) matching `pred`. */
  next<T = unknown>(pred: (f: unknown) => boolean, timeoutMs = 2000): Promise<T> {
    const found = this.frames.find(pred);
    if (found !== undefined) return Promise.resolve(found as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(
          new Error(
            `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames).slice(0, 500)}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({ pred, resolve: resolve as (f: unknown) => void, reject, timer });
    });
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

  /** Closes. */
  close(): void {
    for (const w of this.waiters) clearTimeout(w.timer);
    this.waiters = [];
    this.ws.terminate();
  }
}

/** Resolves after the event loop has run pending I/O and microtasks once more. */
export function tick(ms = 20): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Narrowing helper for JSON objects in assertions. */
export function obj(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`not an object: ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}
