import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Subscription } from 'rxjs';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { StreamMatcher } from '../faults/fault-types.js';
import { planFrame } from '../faults/frame-plan.js';
import type { SimHttpHandler, SimHttpRequest, SimHttpResponse } from './http-types.js';

/** Options for {@link WsConnection.send}. */
export interface WsSendOptions {
  /** The logical stream the frame belongs to (`btcusdt@depth`): stream faults match on it. */
  readonly stream?: string;
}

/** One client connection as a simulator's handler sees it. */
export interface WsConnection {
  /** Server-assigned id, unique per server, from 1. */
  readonly id: number;
  /** URL path the client connected to (`/ws/btcusdt@depth`, `/stream`). */
  readonly path: string;
  /** Parsed query (`/stream?streams=a/b` -> `{ streams: 'a/b' }`). */
  readonly query: Readonly<Record<string, string>>;
  /** The query string as sent, without `?`. */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  /**
   * The streams this connection is subscribed to. The simulator keeps it up to date;
   * `FaultInjector.dropSocket({ stream })` uses it to find the connections to drop.
   */
  readonly streams: Set<string>;
  /** True until the connection closes. */
  readonly isOpen: boolean;
  /** Frames actually written to the wire so far. */
  readonly sentCount: number;
  /** True while the connection is silenced: it sends no frame and answers no ping. */
  readonly isSilenced: boolean;
  /** Silences (or un-silences) the connection; see `FaultInjector.silenceSocket`. */
  silence(on: boolean): void;
  /** Sends a frame through the fault injector (object -> JSON, string verbatim). */
  send(data: unknown, options?: WsSendOptions): void;
  /** Sends a frame as is, bypassing every fault. */
  sendRaw(data: string | Buffer): void;
  /**
   * Encodes every frame `send` writes from now on (after the faults, so a
   * malformed frame is encoded too): Huobi gzips its market frames into binary.
   * `undefined` restores plain text.
   */
  setFrameEncoder(encoder: ((frame: string) => string | Buffer) | undefined): void;
  /** Sends a WebSocket ping frame. */
  ping(data?: string | Buffer): void;
  /** Closes with a close frame (a clean close). */
  close(code?: number, reason?: string): void;
  /** Drops the TCP connection without a close frame (what a crash or network cut looks like). */
  terminate(): void;
  /** Registers a listener for text (and binary, as UTF-8) messages; returns an unsubscribe function. */
  onMessage(listener: (text: string) => void): () => void;
  /** Registers a listener for pong frames. */
  onPong(listener: (data: Buffer) => void): () => void;
  /** Registers a listener for ping frames from the client (answered by `ws` itself). */
  onPing(listener: (data: Buffer) => void): () => void;
  /** Registers a listener for the end of the connection. */
  onClose(listener: (code: number, reason: string) => void): () => void;
}

/** Called once per new connection; register listeners synchronously. */
export type WsConnectionHandler = (connection: WsConnection) => void;

/** Options for {@link startWsServer}. */
/** Request-line plus headers a simulator server accepts by default: 64 KiB. */
export const DEFAULT_MAX_HEADER_SIZE = 64 * 1024;

export interface WsServerOptions {
  /** Largest request line plus headers accepted, bytes; default {@link DEFAULT_MAX_HEADER_SIZE}. */
  readonly maxHeaderSize?: number;
  /** Fault knobs consulted for every frame sent with `send`. */
  readonly faults?: FaultInjector;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (random free port). */
  readonly port?: number;
  /**
   * Answers plain HTTP requests on the WebSocket port (classic SignalR
   * negotiates and starts over HTTP on the socket's host, and one URL can then
   * serve a whole exchange). Without it every plain request gets 426.
   */
  readonly http?: SimHttpHandler;
}

/** Options for {@link RunningWsServer.broadcast}. */
export interface BroadcastOptions extends WsSendOptions {
  /** Only connections for which this returns true. */
  readonly filter?: (connection: WsConnection) => boolean;
}

/** A running loopback WebSocket server. */
export interface RunningWsServer {
  /** `ws://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Open connections, oldest first. */
  connections(): WsConnection[];
  /** Sends `data` to every (filtered) open connection; returns how many got it. */
  broadcast(data: unknown, options?: BroadcastOptions): number;
  /**
   * Terminates every client, stops listening, cancels delayed frames; resolves once
   * everything is closed. Safe to call twice.
   */
  close(): Promise<void>;
}

interface QueuedPlan {
  readonly send: readonly string[];
  readonly delayMs: number;
  readonly close: boolean;
  waited: boolean;
}

class Connection implements WsConnection {
  readonly streams = new Set<string>();
  sentCount = 0;
  /**
   * A frame held back by a `reorder` fault, per stream: it goes out after the
   * next frame of the SAME stream, so on a socket shared by many streams the
   * targeted stream's order really changes.
   */
  private readonly held = new Map<string | undefined, string>();
  private readonly queue: QueuedPlan[] = [];
  private timer: NodeJS.Timeout | undefined;
  private open = true;
  private encoder: ((frame: string) => string | Buffer) | undefined;
  private silenced = false;

  constructor(
    readonly id: number,
    readonly path: string,
    readonly query: Readonly<Record<string, string>>,
    readonly rawQuery: string,
    readonly headers: IncomingHttpHeaders,
    private readonly ws: WebSocket,
    private readonly faults: FaultInjector | undefined,
  ) {
    ws.on('close', () => this.shutdown());
    // Pongs are answered here, not by `ws`, so that a silenced connection can stop.
    ws.on('ping', (payload: Buffer) => {
      if (!this.silenced && this.isOpen) ws.pong(payload);
    });
  }

  get isOpen(): boolean {
    return this.open && this.ws.readyState === WebSocket.OPEN;
  }

  get isSilenced(): boolean {
    return this.silenced;
  }

  silence(on: boolean): void {
    this.silenced = on;
  }

  send(data: unknown, options: WsSendOptions = {}): void {
    if (!this.isOpen || this.silenced) return;
    const frame = typeof data === 'string' ? data : JSON.stringify(data);
    const fault = this.faults?.nextStreamFault({
      connectionId: this.id,
      path: this.path,
      stream: options.stream,
    });
    const plan = planFrame(fault, frame, this.held.get(options.stream));
    if (plan.hold === undefined) this.held.delete(options.stream);
    else this.held.set(options.stream, plan.hold);
    this.queue.push({ send: plan.send, delayMs: plan.delayMs, close: plan.close, waited: false });
    this.pump();
  }

  sendRaw(data: string | Buffer): void {
    if (!this.isOpen || this.silenced) return;
    this.sentCount += 1;
    this.ws.send(data);
  }

  ping(data?: string | Buffer): void {
    if (this.isOpen && !this.silenced) this.ws.ping(data);
  }

  setFrameEncoder(encoder: ((frame: string) => string | Buffer) | undefined): void {
    this.encoder = encoder;
  }

  close(code?: number, reason?: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code, reason);
    this.shutdown();
  }

  terminate(): void {
    this.ws.terminate();
    this.shutdown();
  }

  onMessage(listener: (text: string) => void): () => void {
    const l = (data: RawData): void => listener(rawToString(data));
    this.ws.on('message', l);
    return () => this.ws.off('message', l);
  }

  onPong(listener: (data: Buffer) => void): () => void {
    this.ws.on('pong', listener);
    return () => this.ws.off('pong', listener);
  }

  onPing(listener: (data: Buffer) => void): () => void {
    this.ws.on('ping', listener);
    return () => this.ws.off('ping', listener);
  }

  onClose(listener: (code: number, reason: string) => void): () => void {
    const l = (code: number, reason: Buffer): void => listener(code, reason.toString('utf8'));
    this.ws.on('close', l);
    return () => this.ws.off('close', l);
  }

  /** Sends queued plans in order; a delayed plan holds back everything behind it. */
  private pump(): void {
    while (this.timer === undefined && this.queue.length > 0) {
      const item = this.queue[0] as QueuedPlan;
      if (item.delayMs > 0 && !item.waited) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          item.waited = true;
          this.pump();
        }, item.delayMs);
        return;
      }
      this.queue.shift();
      if (!this.isOpen) return;
      if (this.silenced) continue;
      item.send.forEach((text, i) => {
        const f = this.encoder === undefined ? text : this.encoder(text);
        this.sentCount += 1;
        const last = i === item.send.length - 1;
        // For a drop, terminate once the last frame is handed to the kernel, so the
        // client gets it and then sees the connection die (no close frame).
        if (item.close && last) this.ws.send(f, () => this.terminate());
        else this.ws.send(f);
      });
      if (item.close) {
        this.open = false;
        if (item.send.length === 0) this.terminate();
        return;
      }
    }
  }

  private shutdown(): void {
    this.open = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.held.clear();
  }
}

/**
 * Starts a WebSocket server on 127.0.0.1 and a random port. Every connection, on any
 * path, is handed to `handler` with its path and query (Binance serves
 * `/ws/<stream>` and `/stream?streams=a/b` from one server). Frames sent with
 * `send` pass through the fault injector; `faults.dropSocket()` terminates matching
 * connections at once.
 */
export async function startWsServer(
  handler: WsConnectionHandler,
  options: WsServerOptions = {},
): Promise<RunningWsServer> {
  // Exchanges accept stream URLs far past Node's 16 KiB header default
  // (Binance: 1,024 streams in `/stream?streams=...` is about 20 KiB).
  const http = createServer(
    { maxHeaderSize: options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE },
    (req, res) => {
      const handler = options.http;
      if (handler === undefined) {
        res.writeHead(426, { 'Content-Type': 'text/plain' });
        res.end('WebSocket only');
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        const rawQuery = q < 0 ? '' : url.slice(q + 1);
        const searchParams = new URLSearchParams(rawQuery);
        const query: Record<string, string> = {};
        for (const [k, v] of searchParams) query[k] = v;
        const request: SimHttpRequest = {
          method: (req.method ?? 'GET').toUpperCase(),
          path: q < 0 ? url : url.slice(0, q),
          params: {},
          query,
          searchParams,
          rawQuery,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: req.headers,
          url,
        };
        void Promise.resolve()
          .then(() => handler(request))
          .catch(() => ({ status: 500, body: { message: 'internal error' } }) as SimHttpResponse)
          .then((answer) => {
            const body =
              answer.body === undefined
                ? ''
                : typeof answer.body === 'string' || Buffer.isBuffer(answer.body)
                  ? answer.body
                  : JSON.stringify(answer.body);
            res.writeHead(answer.status, { 'Content-Type': 'application/json', ...(answer.headers ?? {}) });
            res.end(body);
          });
      });
    },
  );
  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  const sockets = new Set<Socket>();
  const conns = new Map<number, Connection>();
  let nextId = 1;
  let closing = false;

  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  http.on('upgrade', (req: IncomingMessage, socket, head) => {
    if (closing) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const rawQuery = q < 0 ? '' : url.slice(q + 1);
      const query: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(rawQuery)) query[k] = v;
      const conn = new Connection(
        nextId++,
        q < 0 ? url : url.slice(0, q),
        query,
        rawQuery,
        req.headers,
        ws,
        options.faults,
      );
      conns.set(conn.id, conn);
      ws.on('close', () => conns.delete(conn.id));
      ws.on('error', () => ws.terminate());
      handler(conn);
    });
  });

  let dropSub: Subscription | undefined;
  let silenceSub: Subscription | undefined;
  if (options.faults !== undefined) {
    dropSub = options.faults.drops$.subscribe((m) => {
      for (const c of [...conns.values()]) if (connectionMatches(m, c)) c.terminate();
    });
    silenceSub = options.faults.silences$.subscribe(({ match, on }) => {
      for (const c of conns.values()) if (connectionMatches(match, c)) c.silence(on);
    });
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port, address } = http.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    url: `ws://${address}:${port}`,
    port,
    connections: () => [...conns.values()].filter((c) => c.isOpen),
    broadcast(data: unknown, opts: BroadcastOptions = {}): number {
      let n = 0;
      for (const c of conns.values()) {
        if (!c.isOpen || (opts.filter !== undefined && !opts.filter(c))) continue;
        c.send(data, opts.stream === undefined ? {} : { stream: opts.stream });
        n += 1;
      }
      return n;
    },
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        dropSub?.unsubscribe();
        silenceSub?.unsubscribe();
        for (const c of conns.values()) c.terminate();
        conns.clear();
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => {
          http.close(() => resolve());
          for (const s of sockets) s.destroy();
          sockets.clear();
        });
      });
      return closed;
    },
  };
}

function connectionMatches(m: StreamMatcher, c: Connection): boolean {
  if (m.connectionId !== undefined && m.connectionId !== c.id) return false;
  if (m.path !== undefined && !(typeof m.path === 'string' ? m.path === c.path : testRe(m.path, c.path)))
    return false;
  if (m.stream !== undefined) {
    const pattern = m.stream;
    const any = [...c.streams].some((s) =>
      typeof pattern === 'string' ? s === pattern : testRe(pattern, s),
    );
    if (!any) return false;
  }
  return true;
}

function testRe(re: RegExp, s: string): boolean {
  re.lastIndex = 0;
  return re.test(s);
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
