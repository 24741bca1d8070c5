// Classic ASP.NET SignalR (protocol 1.5) as Bittrex v3 speaks it (bittrex.md §5),
// written on core's SubscriptionSocket/WsConnection and RestClient:
//
//   GET  <base>/negotiate?clientProtocol=1.5&connectionData=[{"name":"c3"}]  -> ConnectionToken
//   WS   <base>/connect?transport=webSockets&connectionToken=...             -> {"C":..,"S":1,"M":[]}
//   GET  <base>/start?transport=webSockets&connectionToken=...              -> {"Response":"started"}
//   send {"H":"c3","M":"Subscribe","A":[[...]],"I":1}  <- {"R":[{"Success":true,...}],"I":"1"}
//   push {"C":"d-..","M":[{"H":"C3","M":"orderBook","A":["<base64 raw deflate JSON>"]}]}
//   keep-alive {}
//
// The codec (frame parsing, payload decoding, invocation encoding) is pure and
// unit-tested; the client owns negotiate/start, invocation ids and replies,
// subscriptions (reference counted by core), authentication and its renewal on
// `authenticationExpiring`, and reconnects (a fresh negotiate each time).
import { deflateRawSync } from 'node:zlib';
import {
  HbError,
  ProtocolError,
  RestClient,
  SubscriptionError,
  SubscriptionSocket,
  inflateRawBase64,
  type WsConnection,
  type WsMessage,
} from '@hb/core/connector';
import { Subject, type Observable } from 'rxjs';
import type { BittrexAuth } from './bittrex-auth.js';
import { BITTREX_EXCHANGE, BITTREX_MESSAGES, BITTREX_SIGNALR } from './bittrex-constants.js';
import { classifyBittrexSocketError } from './bittrex-errors.js';
import { asObject, malformed, readString, type WireObject } from './bittrex-utils.js';

// ---------------------------------------------------------------- codec

/** One message pushed by a hub (an element of a frame's `M` array). */
export interface HubMessage {
  /** Hub name as sent (`C3`; compare case-insensitively). */
  readonly hub: string;
  /** Message name as sent (`orderBook`). */
  readonly method: string;
  /** Arguments; Bittrex puts one compressed payload in `args[0]` (none for `heartbeat`). */
  readonly args: readonly unknown[];
}

/** What one SignalR frame is. */
export type SignalRFrame =
  /** `{}`: a keep-alive. */
  | { readonly kind: 'keepalive' }
  /** `{"C":..,"S":1,"M":[]}`: the transport is initialised. */
  | { readonly kind: 'init' }
  /** `{"R":..,"I":..}`: the result of our invocation `id`. */
  | { readonly kind: 'result'; readonly id: string; readonly result: unknown }
  /** `{"E":"..","I":..}`: our invocation `id` failed in the hub. */
  | { readonly kind: 'hub_error'; readonly id: string; readonly error: string }
  /** `{"C":..,"M":[...]}`: hub messages. */
  | { readonly kind: 'messages'; readonly messages: readonly HubMessage[] };

/** Parses one text frame; throws `malformed_message` on anything else. */
export function parseSignalRFrame(text: string): SignalRFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw malformed('SignalR frame (not JSON)', e);
  }
  const o = asObject(value, 'SignalR frame');
  if ('I' in o) {
    const id = o['I'];
    if (typeof id !== 'string' && typeof id !== 'number') throw malformed('SignalR frame.I');
    if (typeof o['E'] === 'string') return { kind: 'hub_error', id: String(id), error: o['E'] };
    return { kind: 'result', id: String(id), result: o['R'] };
  }
  if (o['S'] === 1) return { kind: 'init' };
  if (Array.isArray(o['M'])) {
    const messages = o['M'].map((m, i) => {
      const mo = asObject(m, `SignalR frame.M[${i}]`);
      const args = mo['A'] ?? [];
      if (!Array.isArray(args)) throw malformed(`SignalR frame.M[${i}].A`);
      return { hub: readString(mo, 'H', 'hub message'), method: readString(mo, 'M', 'hub message'), args };
    });
    return { kind: 'messages', messages };
  }
  // `{}` keep-alives, and frames that carry only a cursor or groups token.
  return { kind: 'keepalive' };
}

/** A hub invocation frame. */
export function encodeInvocation(method: string, args: readonly unknown[], id: number): string {
  return JSON.stringify({ H: BITTREX_SIGNALR.hub, M: method, A: args, I: id });
}

/** A pushed payload: base64 of raw DEFLATE of UTF-8 JSON -> the JSON value. */
export function decodeHubPayload(arg: unknown, what: string): unknown {
  if (typeof arg !== 'string') throw malformed(`${what} payload (not a string)`);
  let text: string;
  try {
    text = inflateRawBase64(arg);
  } catch (e) {
    throw malformed(`${what} payload (not base64 raw deflate)`, e);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw malformed(`${what} payload (not JSON)`, e);
  }
}

/** The inverse of {@link decodeHubPayload} (simulator, tests). */
export function encodeHubPayload(value: unknown): string {
  return deflateRawSync(Buffer.from(JSON.stringify(value), 'utf8')).toString('base64');
}

/** The `Success`/`ErrorCode` answer of Subscribe (per channel) and Authenticate. */
export interface SocketResponse {
  readonly success: boolean;
  readonly errorCode: string | undefined;
}

/** Reads one `SocketResponse`. */
export function parseSocketResponse(value: unknown, what: string): SocketResponse {
  const o = asObject(value, what);
  const success = o['Success'];
  if (typeof success !== 'boolean') throw malformed(`${what}.Success`);
  const code = o['ErrorCode'];
  return { success, errorCode: typeof code === 'string' ? code : undefined };
}

/** What negotiate answered. */
export interface SignalRNegotiation {
  readonly connectionToken: string;
  readonly connectionId: string;
  /** `KeepAliveTimeout` in ms (a socket silent this long is dead). */
  readonly keepAliveTimeoutMs: number | undefined;
  readonly protocolVersion: string;
}

/** Reads a negotiate answer. */
export function parseNegotiation(value: unknown): SignalRNegotiation {
  const o: WireObject = asObject(value, 'negotiate answer');
  const keepAlive = o['KeepAliveTimeout'];
  return {
    connectionToken: readString(o, 'ConnectionToken', 'negotiate answer'),
    connectionId: readString(o, 'ConnectionId', 'negotiate answer'),
    keepAliveTimeoutMs: typeof keepAlive === 'number' ? keepAlive * 1000 : undefined,
    protocolVersion: readString(o, 'ProtocolVersion', 'negotiate answer'),
  };
}

/** `connectionData` of every request: the hubs we use. */
export const CONNECTION_DATA = JSON.stringify([{ name: BITTREX_SIGNALR.hub }]);

/** The HTTP and WebSocket forms of a SignalR base URL (either form accepted). */
export function signalrBases(url: string): { readonly http: string; readonly ws: string } {
  const base = url.replace(/\/+$/, '');
  const http = base.replace(/^ws(s?):\/\//i, 'http$1://');
  const ws = base.replace(/^http(s?):\/\//i, 'ws$1://');
  return { http, ws };
}

/** The socket URL for a negotiated token. */
export function connectUrl(wsBase: string, connectionToken: string, tid: number): string {
  const q = new URLSearchParams({
    clientProtocol: BITTREX_SIGNALR.clientProtocol,
    transport: 'webSockets',
    connectionToken,
    connectionData: CONNECTION_DATA,
    tid: String(tid),
  });
  return `${wsBase}/connect?${q.toString()}`;
}

// ---------------------------------------------------------------- client

/** How a {@link BittrexSignalRClient} is built. */
export interface BittrexSignalRClientOptions {
  /** SignalR base (`https://socket-v3.bittrex.com/signalr`; `ws(s)://` accepted). */
  readonly signalrUrl: string;
  /** Socket name for messages. */
  readonly name: string;
  /** Sign in with `Authenticate` on every socket, and again on `authenticationExpiring`. */
  readonly auth?: BittrexAuth;
  /** Every decoded hub message, in order (after the client's own: replies, renewals). */
  readonly onMessage: (message: HubMessage, receivedAt: number) => void;
  /** A new socket replaced a lost one: what was pushed meanwhile is gone. */
  readonly onReconnect?: () => void;
  /** The client gave up (authentication refused, reconnects exhausted). */
  readonly onFatal?: (error: HbError) => void;
  /** The exchange refused a subscription (per channel): a non-retryable `SubscriptionError`. */
  readonly onSubscribeRefused?: (topic: string, error: SubscriptionError) => void;
  /** The open socket was lost (before any reconnect): what it carried is stale now. */
  readonly onDisconnect?: (reason: string) => void;
  /** A socket is ready: started, authenticated when asked, subscriptions sent. */
  readonly onReady?: () => void;
  /**
   * A socket silent this long (no frame: no keep-alive `{}`, no `heartbeat`, no
   * pong) is dropped and reopened. Default negotiate's keep-alive timeout (20 s).
   */
  readonly keepAliveTimeoutMs?: number;
  /**
   * WebSocket protocol pings this often, ms (default none: Bittrex's own proof of
   * life is the server's keep-alive and `heartbeat` frames, which need no ping).
   */
  readonly pingIntervalMs?: number;
  /** How long a hub call may take. Default 10 s. */
  readonly invokeTimeoutMs?: number;
  readonly reconnectMinDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
}

interface PendingCall {
  resolve(result: unknown): void;
  reject(error: HbError): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * One SignalR connection to Bittrex's `c3` hub shared by many subscriptions.
 * Subscriptions are reference counted by core's SubscriptionSocket (batched
 * `Subscribe`, everything re-subscribed after a reconnect); this class adds the
 * SignalR handshake, hub calls with ids and results, and authentication.
 */
export class BittrexSignalRClient {
  /** Problems that did not end the client (undecodable frames, failed renewals). */
  readonly errors$: Observable<HbError>;

  private readonly bases: { readonly http: string; readonly ws: string };
  private readonly http: RestClient;
  private readonly socket: SubscriptionSocket;
  private readonly errorSubject = new Subject<HbError>();
  private readonly pending = new Map<string, PendingCall>();
  /** Subscribe call id -> the channels it asked for, in order. */
  private readonly pendingSubscribes = new Map<string, readonly string[]>();
  private connection: WsConnection | undefined;
  private nextId = 0;
  private token: string | undefined;
  private closed = false;

  constructor(private readonly options: BittrexSignalRClientOptions) {
    this.errors$ = this.errorSubject.asObservable();
    this.bases = signalrBases(options.signalrUrl);
    this.http = new RestClient({
      baseUrl: this.bases.http,
      exchange: BITTREX_EXCHANGE,
      timeoutMs: options.invokeTimeoutMs ?? 10_000,
      retry: { maxRetries: 0 },
    });
    this.socket = new SubscriptionSocket({
      name: options.name,
      url: () => this.negotiate(),
      prepare: (conn) => this.prepare(conn),
      subscribeMessages: (topics) => {
        const id = ++this.nextId;
        this.pendingSubscribes.set(String(id), topics);
        return [encodeInvocation('Subscribe', [topics], id)];
      },
      unsubscribeMessages: (topics) => [encodeInvocation('Unsubscribe', [topics], ++this.nextId)],
      onMessage: (m) => this.onFrame(m),
      onReconnect: () => {
        this.rejectPending('socket reconnected');
        options.onReconnect?.();
      },
      onFatal: (e) => this.fatal(e),
      onDisconnect: (reason) => options.onDisconnect?.(reason),
      heartbeat: {
        deadAfterMs: options.keepAliveTimeoutMs ?? BITTREX_SIGNALR.defaultKeepAliveTimeoutMs,
        ...(options.pingIntervalMs === undefined || options.pingIntervalMs <= 0
          ? {}
          : { protocolPingIntervalMs: options.pingIntervalMs }),
      },
      reconnect: {
        minDelayMs: options.reconnectMinDelayMs ?? 500,
        maxDelayMs: options.reconnectMaxDelayMs ?? 30_000,
      },
    });
    this.socket.errors$.subscribe((e) => this.errorSubject.next(e));
  }

  /** Adds a reference to a channel (`orderbook_BTC-USDT_25`); the first subscribes it. */
  acquire(topic: string): void {
    this.socket.acquire(topic);
  }

  /** Drops a reference; the last unsubscribes the channel. */
  release(topic: string): void {
    this.socket.release(topic);
  }

  /** Resolves once Bittrex confirmed the channel on the current socket (or after a timeout). */
  whenConfirmed(topic: string, timeoutMs?: number): Promise<void> {
    return this.socket.whenConfirmed(topic, timeoutMs);
  }

  /** Calls a hub method on the open socket and resolves with its `R`. */
  async invoke(method: string, args: readonly unknown[]): Promise<unknown> {
    const conn = this.connection;
    if (!conn) throw new HbError('network', `${this.options.name}: not connected`);
    return this.invokeOn(conn, method, args);
  }

  /** Closes for good. */
  async close(): Promise<void> {
    this.closed = true;
    this.rejectPending('closed');
    await this.socket.close();
  }

  private async negotiate(): Promise<string> {
    const answer = await this.http.request({
      method: 'GET',
      path: '/negotiate',
      query: [
        ['clientProtocol', BITTREX_SIGNALR.clientProtocol],
        ['connectionData', CONNECTION_DATA],
      ],
    });
    const n = parseNegotiation(answer);
    this.token = n.connectionToken;
    // `tid` is a transport id the reference clients pick at random in 0..10.
    return connectUrl(this.bases.ws, n.connectionToken, Math.floor(Math.random() * 11));
  }

  /** On every new socket: `start`, then `Authenticate` when signing in. */
  private async prepare(conn: WsConnection): Promise<void> {
    this.connection = conn;
    const token = this.token;
    if (token === undefined) throw new HbError('network', `${this.options.name}: no connection token`);
    const started = await this.http.request({
      method: 'GET',
      path: '/start',
      query: [
        ['clientProtocol', BITTREX_SIGNALR.clientProtocol],
        ['transport', 'webSockets'],
        ['connectionToken', token],
        ['connectionData', CONNECTION_DATA],
      ],
    });
    if (asObject(started, 'start answer')['Response'] !== 'started')
      throw malformed('start answer (not started)');
    if (this.options.auth) await this.authenticate(conn);
    queueMicrotask(() => this.options.onReady?.());
  }

  private async authenticate(conn: WsConnection): Promise<void> {
    const auth = this.options.auth;
    if (!auth) return;
    const result = parseSocketResponse(
      await this.invokeOn(conn, 'Authenticate', auth.authenticateArgs()),
      'Authenticate answer',
    );
    if (result.success) return;
    const error = classifyBittrexSocketError(result.errorCode, 'Authenticate refused');
    if (error.reason === 'authentication' && !error.retryable) {
      // Retrying with the same key cannot succeed: end the client, not a reconnect loop.
      queueMicrotask(() => {
        this.fatal(error);
        void this.socket.close();
      });
    }
    throw error;
  }

  private invokeOn(conn: WsConnection, method: string, args: readonly unknown[]): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(String(id));
        reject(new HbError('timeout', `${this.options.name}: ${method} got no answer`));
      }, this.options.invokeTimeoutMs ?? 10_000);
      this.pending.set(String(id), { resolve, reject, timer });
      conn.send(encodeInvocation(method, args, id)).catch((e: unknown) => {
        clearTimeout(timer);
        this.pending.delete(String(id));
        reject(e instanceof HbError ? e : new HbError('network', `${this.options.name}: send failed`));
      });
    });
  }

  private onFrame(m: WsMessage): void {
    let frame: SignalRFrame;
    try {
      frame = parseSignalRFrame(m.data);
    } catch (e) {
      // Refused whole, typed, with a redacted excerpt: the owner re-syncs or reconciles.
      this.errorSubject.next(new ProtocolError(BITTREX_EXCHANGE, this.options.name, m.data, e));
      return;
    }
    switch (frame.kind) {
      case 'keepalive':
      case 'init':
        return;
      case 'result':
        this.onResult(frame.id, frame.result);
        return;
      case 'hub_error': {
        const error = new HbError('unknown', `${this.options.name}: hub error: ${frame.error}`, {
          exchange: BITTREX_EXCHANGE,
        });
        const call = this.pending.get(frame.id);
        if (call) {
          this.pending.delete(frame.id);
          clearTimeout(call.timer);
          call.reject(error);
        } else {
          const topics = this.pendingSubscribes.get(frame.id);
          this.pendingSubscribes.delete(frame.id);
          for (const t of topics ?? [])
            this.refuse(t, undefined, `subscription to ${t} failed: ${frame.error}`);
        }
        return;
      }
      case 'messages':
        for (const msg of frame.messages) {
          if (msg.method.toLowerCase() === BITTREX_MESSAGES.authenticationExpiring) {
            this.renew();
            continue;
          }
          this.options.onMessage(msg, m.receivedAt);
        }
        return;
    }
  }

  private onResult(id: string, result: unknown): void {
    const call = this.pending.get(id);
    if (call) {
      this.pending.delete(id);
      clearTimeout(call.timer);
      call.resolve(result);
      return;
    }
    const topics = this.pendingSubscribes.get(id);
    if (!topics) return;
    this.pendingSubscribes.delete(id);
    const answers = Array.isArray(result) ? result : [];
    topics.forEach((topic, i) => {
      let answer: SocketResponse;
      try {
        answer = parseSocketResponse(answers[i], `Subscribe answer for ${topic}`);
      } catch (e) {
        this.errorSubject.next(e as HbError);
        return;
      }
      if (answer.success) this.socket.confirm([topic]);
      else this.refuse(topic, answer.errorCode, `subscription to ${topic} refused`);
    });
  }

  /** A refused channel: no longer subscribed on this socket, its subscribers get a typed error. */
  private refuse(topic: string, errorCode: string | undefined, what: string): void {
    this.socket.refuse([topic]);
    const classified = classifyBittrexSocketError(errorCode, what);
    this.options.onSubscribeRefused?.(
      topic,
      new SubscriptionError(classified.message, {
        exchange: BITTREX_EXCHANGE,
        exchangeCode: errorCode,
        // A private channel before Authenticate is an authentication problem; anything
        // else (an unknown channel) is our request's fault.
        reason: classified.reason === 'authentication' ? 'authentication' : 'invalid_order',
        channel: topic,
        topics: [topic],
      }),
    );
  }

  /** `authenticationExpiring`: sign in again before the private channels are dropped. */
  private renew(): void {
    const conn = this.connection;
    if (!conn || !this.options.auth || this.closed) return;
    this.authenticate(conn).catch((e: unknown) => {
      this.errorSubject.next(
        e instanceof HbError ? e : new HbError('authentication', `${this.options.name}: renewal failed`),
      );
    });
  }

  private rejectPending(why: string): void {
    for (const [id, call] of this.pending) {
      clearTimeout(call.timer);
      call.reject(new HbError('network', `${this.options.name}: ${why}`));
      this.pending.delete(id);
    }
    this.pendingSubscribes.clear();
  }

  private fatal(error: HbError): void {
    if (this.closed) return;
    this.closed = true;
    this.rejectPending('failed');
    this.options.onFatal?.(error);
  }
}
