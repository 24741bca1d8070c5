import { request } from 'node:http';
import { WebSocket } from 'ws';

/** A finished HTTP exchange as the tests see it. */
export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request with no connection pooling (so no client socket outlives the
 * test), rejecting with 'timeout' after `timeoutMs`.
 */
export function httpCall(
  url: string,
  opts: { method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 2000, () => {
      req.destroy(new Error('timeout'));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** A WebSocket client that records every text frame and how it closed. */
export class RecordingClient {
  readonly frames: string[] = [];
  closeCode: number | undefined;
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;
  private waiters: { n: number; resolve: () => void }[] = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
        for (const w of this.waiters) w.resolve();
      });
    });
    this.ws.on('error', () => undefined);
    this.ws.on('message', (data) => {
      this.frames.push(data.toString());
      this.waiters = this.waiters.filter((w) => {
        if (this.frames.length >= w.n) {
          w.resolve();
          return false;
        }
        return true;
      });
    });
  }

  /** Resolves once `n` frames have arrived (or the socket closed). */
  waitFor(n: number): Promise<void> {
    if (this.frames.length >= n || this.closeCode !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}
