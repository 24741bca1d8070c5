// Test-side client helpers for the Coinbase simulator specs: signing is computed here
// with node:crypto straight from coinbase-pro.md §6, independently of both the
// simulator and the connector.

import { createHmac, randomBytes } from 'node:crypto';
import WebSocket from 'ws';

/** Credentials of a test key. */
export interface Creds {
  readonly apiKey: string;
  /** base64 */
  readonly apiSecret: string;
  readonly passphrase: string;
}

/** A fresh key with a random 64-byte base64 secret. */
export function newCreds(apiKey: string, passphrase = `${apiKey}-pass`): Creds {
  return { apiKey, apiSecret: randomBytes(64).toString('base64'), passphrase };
}

/** A REST answer. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** base64(HMAC-SHA256(base64decode(secret), timestamp + method + path + body)). */
export function sign(secret: string, timestamp: string, method: string, path: string, body = ''): string {
  return createHmac('sha256', Buffer.from(secret, 'base64'))
    .update(timestamp + method + path + body)
    .digest('base64');
}

/** Unsigned GET of `pathWithQuery`. */
export async function get(base: string, pathWithQuery: string): Promise<Answer> {
  const res = await fetch(`${base}${pathWithQuery}`);
  return { status: res.status, headers: res.headers, body: await readBody(res) };
}

/** Options of {@link signed}. */
export interface SignedOptions {
  /** Timestamp header (seconds); default now. */
  readonly timestamp?: string;
  /** Replace the computed signature. */
  readonly signature?: string;
  /** Replace the passphrase header. */
  readonly passphrase?: string;
  /** Replace the key header. */
  readonly apiKey?: string;
}

/** A signed request; `body` is sent (and signed) as JSON when given. */
export async function signed(
  base: string,
  method: string,
  pathWithQuery: string,
  creds: Creds,
  body?: unknown,
  opts: SignedOptions = {},
): Promise<Answer> {
  const ts = opts.timestamp ?? String(Date.now() / 1000);
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = {
    'CB-ACCESS-KEY': opts.apiKey ?? creds.apiKey,
    'CB-ACCESS-SIGN': opts.signature ?? sign(creds.apiSecret, ts, method, pathWithQuery, text),
    'CB-ACCESS-TIMESTAMP': ts,
    'CB-ACCESS-PASSPHRASE': opts.passphrase ?? creds.passphrase,
    'Content-Type': 'application/json',
  };
  const res = await fetch(`${base}${pathWithQuery}`, {
    method,
    headers,
    ...(text === '' ? {} : { body: text }),
  });
  return { status: res.status, headers: res.headers, body: await readBody(res) };
}

/** The fields of an authenticated feed subscribe (a signed GET /users/self/verify). */
export function wsAuth(
  creds: Creds,
  timestamp = String(Math.floor(Date.now() / 1000)),
): Record<string, string> {
  return {
    key: creds.apiKey,
    passphrase: creds.passphrase,
    timestamp,
    signature: sign(creds.apiSecret, timestamp, 'GET', '/users/self/verify'),
  };
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
  private waiters: { pred: (f: unknown) => boolean; resolve: (f: unknown) => void; timer: NodeJS.Timeout }[] =
    [];

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
  next<T = Record<string, unknown>>(
    pred: (f: Record<string, unknown>) => boolean,
    timeoutMs = 2000,
  ): Promise<T> {
    const p = (f: unknown): boolean =>
      typeof f === 'object' && f !== null && pred(f as Record<string, unknown>);
    const found = this.frames.find(p);
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
      this.waiters.push({ pred: p, resolve: resolve as (f: unknown) => void, timer });
    });
  }

  /** Parsed frames of one `type`. */
  ofType(type: string): Record<string, unknown>[] {
    return this.frames.filter(
      (f): f is Record<string, unknown> =>
        typeof f === 'object' && f !== null && (f as Record<string, unknown>)['type'] === type,
    );
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

/** Waits `ms` (lets pending I/O and microtasks run). */
export function tick(ms = 20): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Narrowing helper for JSON objects in assertions. */
export function obj(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`not an object: ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

/** Narrowing helper for JSON arrays in assertions. */
export function arr(v: unknown): Record<string, unknown>[] {
  if (!Array.isArray(v)) throw new Error(`not an array: ${JSON.stringify(v)}`);
  return v as Record<string, unknown>[];
}

/** A lowercase UUIDv4 (a valid client_oid). */
export function uuid(): string {
  const b = randomBytes(16);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
