import { gunzipSync, inflateRawSync } from 'node:zlib';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { HbError } from '../errors/hb-error.js';
import { RateLimiter } from './rate-limiter.js';

/** One decoded frame from the exchange. */
export interface WsMessage {
  /** The frame as text, after the connection's decoder. */
  readonly data: string;
  /** Local wall-clock ms when it arrived. */
  readonly receivedAt: number;
}

/** Something to send: a string goes verbatim, anything else as JSON. */
export type WsOutgoing = string | object;

/** Turns a raw frame into text; throw to reject a malformed frame. */
export type WsDecoder = (raw: Buffer, isBinary: boolean) => string;

/** Frames as UTF-8 text: the default. */
export const utf8Decoder: WsDecoder = (raw) => raw.toString('utf8');

/** Binary frames gunzipped (Huobi market data); text frames as they are. */
export const gunzipDecoder: WsDecoder = (raw, isBinary) =>
  (isBinary ? gunzipSync(raw) : raw).toString('utf8');

/** Base64 text of raw DEFLATE data (no zlib header) to the UTF-8 text it holds. */
export function inflateRawBase64(base64: string): string {
  return inflateRawSync(Buffer.from(base64, 'base64')).toString('utf8');
}

/**
 * Frames that are entirely raw DEFLATE: binary frames inflated as they are,
 * text frames read as base64 first. Bittrex wraps such payloads inside SignalR
 * JSON, so its connector applies {@link inflateRawBase64} to the payload field.
 */
export const inflateRawDecoder: WsDecoder = (raw, isBinary) =>
  isBinary ? inflateRawSync(raw).toString('utf8') : inflateRawBase64(raw.toString('utf8'));

/** Where a connection is in its life. */
export type WsState =
  | { readonly status: 'idle' }
  | { readonly status: 'connecting'; readonly attempt: number }
  | {
      readonly status: 'connected';
      readonly connectedAt: number;
      /** True for every connection after the first: private events may have been missed. */
      readonly reconnected: boolean;
    }
  | {
      readonly status: 'reconnecting';
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: string;
    }
  | { readonly status: 'closed'; readonly reason: string; readonly error?: HbError };

/** Keep-alive rules of one exchange. */
export interface WsHeartbeatOptions {
  /** Send `pingMessage` this often (application-level ping). */
  readonly pingIntervalMs?: number;
  /** The application ping; a function for pings that carry a timestamp. */
  readonly pingMessage?: WsOutgoing | (() => WsOutgoing);
  /** Send a WebSocket protocol ping frame this often. */
  readonly protocolPingIntervalMs?: number;
  /**
   * Recognises an application ping from the server and returns the reply
   * (Huobi `{"ping":n}` -> `{"pong":n}`); pings are answered at once, ahead of
   * queued sends, and not emitted. Protocol pings are answered by `ws` itself.
   */
  readonly isPing?: (text: string) => WsOutgoing | undefined;
  /** With no frame or pong for this long, the socket is dropped and reopened. */
  readonly deadAfterMs?: number;
}

/** Reconnect policy: jittered exponential backoff. */
export interface WsReconnectOptions {
  /** Reconnect after a drop. Default true. */
  readonly enabled?: boolean;
  /** First delay, ms. Default 500. */
  readonly minDelayMs?: number;
  /** Largest delay, ms. Default 30 000. */
  readonly maxDelayMs?: number;
  /** Consecutive failed attempts before giving up. Default unlimited. */
  readonly maxAttempts?: number;
  /** A connection open this long resets the backoff. Default 10 000. */
  readonly stableAfterMs?: number;
}

/** Options for {@link WsConnection}. */
export interface WsConnectionOptions {
  /** The URL, or a function giving it per connect (a fresh listen key or token). */
  readonly url: string | (() => string | Promise<string>);
  /** Exchange or stream name for messages. */
  readonly name?: string;
  /** Frame decoder; UTF-8 text when omitted. */
  readonly decode?: WsDecoder;
  /**
   * Runs after every (re)connect, before the state becomes `connected`;
   * returns the messages to send (login, subscriptions). It may itself send
   * and await replies on `messages$`. If it throws, the socket is reopened.
   */
  readonly onOpen?: (
    connection: WsConnection,
  ) => readonly WsOutgoing[] | void | Promise<readonly WsOutgoing[] | void>;
  /** Keep-alive rules. */
  readonly heartbeat?: WsHeartbeatOptions;
  /** Reconnect policy. */
  readonly reconnect?: WsReconnectOptions;
  /** Outgoing message limit per connection (Binance: 5 per 1000 ms). */
  readonly sendRateLimit?: { readonly limit: number; readonly intervalMs: number };
  /** Opening handshake timeout, ms. Default 10 000. */
  readonly handshakeTimeoutMs?: number;
  /** Extra `ws` client options (headers, permessage-deflate). */
  readonly wsOptions?: ClientOptions;
  /** Random source in [0, 1) for backoff jitter. */
  readonly random?: () => number;
  /** Wall clock for `receivedAt`. */
  readonly now?: () => number;
}

/** Per-socket resources, dropped together when the socket goes. */
interface Generation {
  readonly id: number;
  readonly socket: WebSocket;
  readonly abort: AbortController;
  readonly limiter: RateLimiter | undefined;
  readonly timers: Array<ReturnType<typeof setInterval>>;
  deadTimer: ReturnType<typeof setTimeout> | undefined;
  lastActivity: number;
  openedAt: number | undefined;
  dropReason: string | undefined;
  lastError: Error | undefined;
}

const SEND_COST = { MESSAGES: 1 } as const;

/**
 * One logical WebSocket to an exchange that survives drops: it reconnects
 * with jittered backoff, re-runs `onOpen` (re-login, re-subscribe) on every
 * new socket, keeps the exchange's heartbeat rules, and declares a silent
 * socket dead. `messages$` is hot and spans reconnects; `state$` tells
 * consumers when to re-snapshot or reconcile.
 */
export class WsConnection {
  /** Decoded frames from every socket of this connection, in arrival order. */
  readonly messages$: Observable<WsMessage>;
  /** Lifecycle; starts at `idle`, ends at `closed`. */
  readonly state$: Observable<WsState>;
  /** Non-fatal problems (a frame that would not decode, a failed `onOpen`). */
  readonly errors$: Observable<HbError>;

  private readonly opts: WsConnectionOptions;
  private readonly name: string;
  private readonly decode: WsDecoder;
  private readonly random: () => number;
  private readonly clock: () => number;
  private readonly messages = new Subject<WsMessage>();
  private readonly states = new BehaviorSubject<WsState>({ status: 'idle' });
  private readonly errors = new Subject<HbError>();
  private gen: Generation | undefined;
  private genCounter = 0;
  private attempt = 0;
  private everConnected = false;
  private started = false;
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private lastMessage: number | undefined;
  private connectWaiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];

  constructor(options: WsConnectionOptions) {
    this.opts = options;
    this.name = options.name ?? 'ws';
    this.decode = options.decode ?? utf8Decoder;
    this.random = options.random ?? Math.random;
    this.clock = options.now ?? Date.now;
    this.messages$ = this.messages.asObservable();
    this.state$ = this.states.asObservable();
    this.errors$ = this.errors.asObservable();
  }

  /**
   * A cold stream: subscribing opens a connection, unsubscribing closes it.
   * Errors if the connection gives up (`reconnect.maxAttempts`).
   */
  static observe(options: WsConnectionOptions): Observable<WsMessage> {
    return new Observable<WsMessage>((subscriber) => {
      const connection = new WsConnection(options);
      const sub = connection.messages$.subscribe(subscriber);
      connection.connect().catch((e: unknown) => subscriber.error(e));
      return () => {
        sub.unsubscribe();
        void connection.close();
      };
    });
  }

  /** The current state. */
  get state(): WsState {
    return this.states.getValue();
  }

  /** When the last frame arrived (for user-stream watchdogs), or undefined. */
  get lastMessageAt(): number | undefined {
    return this.lastMessage;
  }

  /**
   * Opens the connection; resolves when the first socket is open and `onOpen`'s
   * messages are sent. Failed attempts are retried per the reconnect policy;
   * rejects if the policy gives up or {@link close} is called first.
   */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    if (this.everConnected && this.state.status === 'connected') return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (!this.started) {
      this.started = true;
      void this.open();
    }
    return p;
  }

  /**
   * Sends one message on the current socket, after earlier sends and within
   * `sendRateLimit`. Rejects (reason `network`) when there is no open socket
   * or it drops before the message goes out: a message is never carried over
   * to the next socket, whose `onOpen` re-sends what must be re-sent.
   */
  async send(message: WsOutgoing): Promise<void> {
    const gen = this.gen;
    if (this.closed || gen === undefined || gen.socket.readyState !== WebSocket.OPEN) {
      throw new HbError('network', `${this.name}: cannot send, not connected`);
    }
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (gen.limiter !== undefined) {
      try {
        await gen.limiter.acquire(SEND_COST, gen.abort.signal);
      } catch {
        throw new HbError('network', `${this.name}: connection dropped before the message was sent`);
      }
    }
    if (gen !== this.gen || gen.socket.readyState !== WebSocket.OPEN) {
      throw new HbError('network', `${this.name}: connection dropped before the message was sent`);
    }
    await new Promise<void>((resolve, reject) => {
      gen.socket.send(text, (err) => {
        if (err) reject(new HbError('network', `${this.name}: send failed`, { cause: err }));
        else resolve();
      });
    });
  }

  /**
   * Closes for good: no more reconnects, `messages$`, `state$` and `errors$`
   * complete. Resolves once the socket has closed (or was terminated after a
   * one-second grace for the closing handshake).
   */
  close(reason = 'closed by client'): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    const gen = this.gen;
    this.gen = undefined;
    let done: Promise<void> = Promise.resolve();
    if (gen !== undefined) {
      this.dispose(gen);
      const socket = gen.socket;
      if (socket.readyState !== WebSocket.CLOSED) {
        done = new Promise<void>((resolve) => {
          const grace = setTimeout(() => socket.terminate(), 1000);
          socket.once('close', () => {
            clearTimeout(grace);
            resolve();
          });
        });
        if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
        else socket.close(1000);
      }
    }
    this.finish({ status: 'closed', reason }, this.closedError());
    return done;
  }

  private closedError(): HbError {
    return new HbError('network', `${this.name}: connection closed`, { retryable: false });
  }

  /** Ends the streams and settles connect() callers. */
  private finish(state: WsState, connectError: HbError, streamError?: HbError): void {
    this.closed = true;
    this.states.next(state);
    for (const w of this.connectWaiters.splice(0)) w.reject(connectError);
    this.states.complete();
    this.errors.complete();
    if (streamError !== undefined) this.messages.error(streamError);
    else this.messages.complete();
  }

  private async open(): Promise<void> {
    this.reconnectTimer = undefined;
    const id = ++this.genCounter;
    this.states.next({ status: 'connecting', attempt: this.attempt });
    let url: string;
    try {
      url = typeof this.opts.url === 'function' ? await this.opts.url() : this.opts.url;
    } catch (e) {
      if (this.closed || id !== this.genCounter) return;
      this.errors.next(new HbError('network', `${this.name}: could not obtain the stream URL`, { cause: e }));
      this.scheduleReconnect('could not obtain the stream URL');
      return;
    }
    if (this.closed || id !== this.genCounter) return;

    const socket = new WebSocket(url, {
      handshakeTimeout: this.opts.handshakeTimeoutMs ?? 10_000,
      ...this.opts.wsOptions,
    });
    socket.binaryType = 'nodebuffer';
    const limit = this.opts.sendRateLimit;
    const gen: Generation = {
      id,
      socket,
      abort: new AbortController(),
      limiter:
        limit === undefined
          ? undefined
          : new RateLimiter([{ id: 'MESSAGES', limit: limit.limit, intervalMs: limit.intervalMs }]),
      timers: [],
      deadTimer: undefined,
      lastActivity: this.clock(),
      openedAt: undefined,
      dropReason: undefined,
      lastError: undefined,
    };
    this.gen = gen;
    socket.on('open', () => void this.onSocketOpen(gen));
    socket.on('message', (data: RawData, isBinary: boolean) => this.onSocketMessage(gen, data, isBinary));
    socket.on('pong', () => {
      gen.lastActivity = this.clock();
    });
    // 'close' always follows 'error'; the error is kept to explain the drop.
    socket.on('error', (err: Error) => {
      gen.lastError = err;
    });
    socket.on('close', (code: number, reason: Buffer) =>
      this.onSocketClose(gen, code, reason.toString('utf8')),
    );
  }

  private async onSocketOpen(gen: Generation): Promise<void> {
    if (gen !== this.gen) return;
    gen.openedAt = this.clock();
    this.startHeartbeat(gen);
    try {
      const toSend = (await this.opts.onOpen?.(this)) ?? [];
      for (const m of toSend) await this.send(m);
    } catch (e) {
      if (gen !== this.gen) return;
      this.errors.next(
        e instanceof HbError
          ? e
          : new HbError('network', `${this.name}: opening sequence failed`, { cause: e }),
      );
      gen.dropReason = 'opening sequence failed';
      gen.socket.terminate();
      return;
    }
    if (gen !== this.gen || gen.socket.readyState !== WebSocket.OPEN) return;
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.states.next({ status: 'connected', connectedAt: gen.openedAt, reconnected });
    for (const w of this.connectWaiters.splice(0)) w.resolve();
  }

  private onSocketMessage(gen: Generation, data: RawData, isBinary: boolean): void {
    if (gen !== this.gen) return;
    const now = this.clock();
    gen.lastActivity = now;
    this.lastMessage = now;
    let text: string;
    try {
      text = this.decode(toBuffer(data), isBinary);
    } catch (e) {
      this.errors.next(
        new HbError('malformed_message', `${this.name}: frame could not be decoded`, { cause: e }),
      );
      return;
    }
    const pong = this.opts.heartbeat?.isPing?.(text);
    if (pong !== undefined) {
      // Answered ahead of any queued sends: a late pong gets the socket
      // dropped by the server, which costs more than one message over budget.
      gen.socket.send(typeof pong === 'string' ? pong : JSON.stringify(pong), () => undefined);
      return;
    }
    this.messages.next({ data: text, receivedAt: now });
  }

  private onSocketClose(gen: Generation, code: number, reason: string): void {
    if (gen !== this.gen) return;
    this.dispose(gen);
    this.gen = undefined;
    if (this.closed) return;
    if (
      gen.openedAt !== undefined &&
      this.clock() - gen.openedAt >= (this.opts.reconnect?.stableAfterMs ?? 10_000)
    ) {
      this.attempt = 0;
    }
    const err = gen.lastError as (Error & { code?: unknown }) | undefined;
    // Built from codes, never from the URL, which may hold a listen key or token.
    const why =
      gen.dropReason ??
      (err !== undefined && gen.openedAt === undefined
        ? `connect failed${typeof err.code === 'string' ? ` (${err.code})` : ''}`
        : `socket closed (code ${code}${reason === '' ? '' : `: ${reason}`})`);
    this.scheduleReconnect(why);
  }

  private scheduleReconnect(reason: string): void {
    const r = this.opts.reconnect ?? {};
    const maxAttempts = r.maxAttempts ?? Number.POSITIVE_INFINITY;
    if (r.enabled === false || this.attempt >= maxAttempts) {
      const error = new HbError('network', `${this.name}: connection lost: ${reason}`);
      this.finish({ status: 'closed', reason, error }, error, error);
      return;
    }
    this.attempt++;
    const min = r.minDelayMs ?? 500;
    const cap = Math.min(r.maxDelayMs ?? 30_000, min * 2 ** (this.attempt - 1));
    // Half fixed, half random so that many clients dropped at once by one
    // exchange incident do not all come back in the same millisecond.
    const delayMs = Math.round(cap / 2 + (cap / 2) * this.random());
    this.states.next({ status: 'reconnecting', attempt: this.attempt, delayMs, reason });
    this.reconnectTimer = setTimeout(() => void this.open(), delayMs);
  }

  private startHeartbeat(gen: Generation): void {
    const hb = this.opts.heartbeat;
    if (hb === undefined) return;
    if (hb.pingIntervalMs !== undefined && hb.pingMessage !== undefined) {
      const msg = hb.pingMessage;
      gen.timers.push(
        setInterval(() => {
          const m = typeof msg === 'function' ? msg() : msg;
          this.send(m).catch(() => undefined); // a dead socket is the dead timer's job
        }, hb.pingIntervalMs),
      );
    }
    if (hb.protocolPingIntervalMs !== undefined) {
      gen.timers.push(
        setInterval(() => {
          if (gen.socket.readyState === WebSocket.OPEN) gen.socket.ping();
        }, hb.protocolPingIntervalMs),
      );
    }
    const deadAfter = hb.deadAfterMs;
    if (deadAfter !== undefined) {
      gen.lastActivity = this.clock();
      // One timer re-armed for the remaining time instead of a reset per frame:
      // busy sockets would otherwise churn a timer per message.
      const arm = (ms: number): void => {
        gen.deadTimer = setTimeout(() => {
          const idle = this.clock() - gen.lastActivity;
          if (idle < deadAfter) {
            arm(deadAfter - idle);
            return;
          }
          gen.dropReason = `no message for ${deadAfter} ms`;
          gen.socket.terminate();
        }, ms);
      };
      arm(deadAfter);
    }
  }

  private dispose(gen: Generation): void {
    for (const t of gen.timers) clearInterval(t);
    gen.timers.length = 0;
    if (gen.deadTimer !== undefined) clearTimeout(gen.deadTimer);
    gen.abort.abort();
    gen.limiter?.cancelAll();
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
