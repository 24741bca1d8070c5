import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { SimHttpHandler, SimHttpRequest, SimHttpResponse } from './http-types.js';
import { Router } from './router.js';

/** Options for {@link startHttpServer}. */
export interface HttpServerOptions {
  /** Fault knobs consulted for every request. */
  readonly faults?: FaultInjector;
  /** Interface to listen on; default 127.0.0.1 (tests never leave loopback). */
  readonly host?: string;
  /** Port; default 0 (a free port chosen by the OS). */
  readonly port?: number;
  /** Largest request line plus headers accepted, bytes; default 64 KiB. */
  readonly maxHeaderSize?: number;
  /** Called for every request before faults and handler (request logs in tests). */
  readonly onRequest?: (request: SimHttpRequest) => void;
}

/** A running loopback HTTP server. */
export interface RunningHttpServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The underlying Node server. */
  readonly server: Server;
  /**
   * Stops listening, destroys every open socket (including requests a fault left
   * hanging) and cancels pending delays; resolves once the server is closed.
   * Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 and a random port. Each request is parsed into a
 * {@link SimHttpRequest} (raw query and raw body preserved), passed through the fault
 * injector, then to the handler or router. A handler that throws answers 500.
 */
export async function startHttpServer(
  handler: SimHttpHandler | Router,
  options: HttpServerOptions = {},
): Promise<RunningHttpServer> {
  const handle: SimHttpHandler = handler instanceof Router ? handler.handle : handler;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  // As the ws server: exchanges accept long query strings (symbol lists).
  const server = createServer({ maxHeaderSize: options.maxHeaderSize ?? 64 * 1024 }, (req, res) => {
    void serve(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let request: SimHttpRequest;
    try {
      request = toRequest(req, await readBody(req));
    } catch {
      return; // the socket went away while the body was being read
    }
    options.onRequest?.(request);
    const faults = options.faults;
    const fault = faults?.nextHttpFault(request);
    try {
      if (fault === undefined) {
        send(res, await handle(request));
        return;
      }
      switch (fault.kind) {
        case 'respond':
          send(res, (faults as FaultInjector).responseFor(fault));
          return;
        case 'hang':
          return; // never answered; close() destroys the socket
        case 'delay':
          await sleep(fault.ms);
          if (closing) return;
          send(res, await handle(request));
          return;
        case 'apply_then_respond':
          await handle(request);
          send(res, (faults as FaultInjector).responseFor(fault));
          return;
        case 'apply_then_hang':
          await handle(request);
          return;
      }
    } catch (e) {
      send(res, { status: 500, body: { message: e instanceof Error ? e.message : 'internal error' } });
    }
  }

  function send(res: ServerResponse, r: SimHttpResponse): void {
    if (closing || res.writableEnded || res.destroyed) return;
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    let payload: string | Buffer | undefined;
    if (r.body === undefined) payload = undefined;
    else if (typeof r.body === 'string' || Buffer.isBuffer(r.body)) payload = r.body;
    else {
      payload = JSON.stringify(r.body);
      if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
    }
    if (payload !== undefined && !hasHeader(headers, 'content-type')) headers['Content-Type'] = 'text/plain';
    res.writeHead(r.status, headers);
    res.end(payload);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${address}:${port}`,
    port,
    server,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
      return closed;
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}

function toRequest(req: IncomingMessage, body: string): SimHttpRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const searchParams = new URLSearchParams(rawQuery);
  const query: Record<string, string> = {};
  for (const [k, v] of searchParams) query[k] = v;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    params: {},
    query,
    searchParams,
    rawQuery,
    body,
    headers: req.headers,
    url,
  };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}
