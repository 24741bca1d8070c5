// The simulator's classic SignalR endpoint (bittrex.md §5, §6, §8): negotiate and
// start over HTTP on the socket's port, `/signalr/connect` with a negotiated
// token, the `c3` hub's Subscribe / Unsubscribe / Authenticate / IsAuthenticated
// with their `R` answers, pushed `M` messages whose payloads are base64 raw
// DEFLATE, `{}` keep-alives, the 5-second `heartbeat` channel, and the 10-minute
// authentication with its `authenticationExpiring` warning, after which private
// channels stop until the client authenticates again.
import { createHmac, randomBytes } from 'node:crypto';
import type { WsConnection } from '@hb/testing';
import { encodeHubPayload } from '../bittrex-signalr.js';
import type { BittrexSimExchange } from './bittrex-sim-exchange.js';

/** Private channels (need `Authenticate`). */
const PRIVATE = new Set(['order', 'balance', 'execution', 'conditional_order', 'deposit']);
const PUBLIC_RE =
  /^(heartbeat|tickers|market_summaries|orderbook_([A-Z0-9]+-[A-Z0-9]+)_(1|25|500)|trade_([A-Z0-9]+-[A-Z0-9]+)|ticker_([A-Z0-9]+-[A-Z0-9]+)|market_summary_([A-Z0-9]+-[A-Z0-9]+)|candle_([A-Z0-9]+-[A-Z0-9]+)_(MINUTE_1|MINUTE_5|HOUR_1|DAY_1))$/;

/** Timings and limits of the hub. */
export interface SimHubOptions {
  readonly authTtlMs: number;
  readonly authWarningMs: number;
  readonly heartbeatIntervalMs: number;
  readonly keepAliveIntervalMs: number;
  readonly timestampToleranceMs: number;
}

interface AuthState {
  readonly apiKey: string;
  readonly timers: NodeJS.Timeout[];
}

interface ConnState {
  readonly conn: WsConnection;
  auth: AuthState | undefined;
  cursor: number;
}

/** Answers of negotiate/start on the socket's port. */
export interface SimHubHttpAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/** The SignalR side of the simulator. */
export class BittrexSimHub {
  /** Authentications accepted so far, renewals included (tests read it). */
  authenticateCount = 0;
  /** `Authenticate` calls refused so far (wrong key, signature or timestamp). */
  authenticateRefusals = 0;
  /** Number of `authenticationExpiring` warnings sent. */
  expiringWarnings = 0;
  refuseMarket = false;
  refuseUser = false;
  /** Public channels a Subscribe is refused for (see `BittrexSimulator.refuseSubscriptions`). */
  refusedChannels: RegExp | undefined;
  /** Channels refused by {@link refusedChannels} so far. */
  refusedChannelCount = 0;

  private readonly tokens = new Map<string, { readonly connectionId: string; started: boolean }>();
  private readonly conns = new Map<number, ConnState>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly exchange: BittrexSimExchange,
    private readonly options: SimHubOptions,
  ) {
    const hb = setInterval(() => this.beat(), options.heartbeatIntervalMs);
    const ka = setInterval(() => {
      for (const s of this.conns.values()) s.conn.send('{}');
    }, options.keepAliveIntervalMs);
    hb.unref();
    ka.unref();
    this.timers.push(hb, ka);
  }

  /** Stops the timers. */
  stop(): void {
    for (const t of this.timers) clearInterval(t);
    for (const s of this.conns.values()) this.clearAuth(s);
  }

  /** HTTP on the socket port: `/signalr/negotiate` and `/signalr/start`. */
  http(request: { method: string; path: string; query: Readonly<Record<string, string>> }): SimHubHttpAnswer {
    const q = request.query;
    if (request.method !== 'GET') return { status: 405, body: { message: 'method not allowed' } };
    if (q['clientProtocol'] !== '1.5')
      return { status: 400, body: { message: 'unsupported clientProtocol' } };
    if (!hubsNamed(q['connectionData']).includes('c3'))
      return { status: 500, body: { message: "Hub could not be resolved: connectionData must name 'c3'" } };
    if (request.path === '/signalr/negotiate') {
      const connectionId = randomBytes(16).toString('hex');
      const token = randomBytes(24).toString('base64');
      this.tokens.set(token, { connectionId, started: false });
      return {
        status: 200,
        body: {
          Url: '/signalr',
          ConnectionToken: token,
          ConnectionId: connectionId,
          KeepAliveTimeout: 20.0,
          DisconnectTimeout: 30.0,
          ConnectionTimeout: 110.0,
          TryWebSockets: true,
          ProtocolVersion: '1.5',
          TransportConnectTimeout: 5.0,
          LongPollDelay: 0.0,
        },
      };
    }
    if (request.path === '/signalr/start') {
      const t = this.tokens.get(q['connectionToken'] ?? '');
      if (!t || q['transport'] !== 'webSockets')
        return { status: 400, body: { message: 'The connection id is in the incorrect format.' } };
      t.started = true;
      return { status: 200, body: { Response: 'started' } };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }

  /** A new socket. */
  onConnection(conn: WsConnection): void {
    if (conn.path !== '/signalr/connect' || conn.query['transport'] !== 'webSockets') {
      conn.close(1008, 'unknown endpoint');
      return;
    }
    const token = conn.query['connectionToken'];
    if (token === undefined || !this.tokens.has(token)) {
      conn.close(1008, 'unrecognized connection token');
      return;
    }
    const state: ConnState = { conn, auth: undefined, cursor: 0 };
    this.conns.set(conn.id, state);
    conn.onClose(() => {
      this.clearAuth(state);
      this.conns.delete(conn.id);
      this.tokens.delete(token);
    });
    conn.onMessage((text) => this.onInvocation(state, text));
    conn.sendRaw(JSON.stringify({ C: `s-0,${conn.id.toString(16)}`, S: 1, M: [] }));
  }

  /** Pushes a public message to every socket subscribed to `channel`. */
  publish(channel: string, message: string, payload: unknown): void {
    let encoded: string | undefined;
    for (const s of this.conns.values()) {
      if (!s.conn.streams.has(channel)) continue;
      encoded ??= encodeHubPayload(payload);
      s.conn.send(this.frame(s, message, [encoded]), { stream: channel });
    }
  }

  /** Pushes a private message to the account's authenticated sockets subscribed to `channel`. */
  publishPrivate(apiKey: string, channel: string, payload: unknown): void {
    let encoded: string | undefined;
    for (const s of this.conns.values()) {
      if (s.auth?.apiKey !== apiKey || !s.conn.streams.has(channel)) continue;
      encoded ??= encodeHubPayload(payload);
      s.conn.send(this.frame(s, channel, [encoded]), { stream: channel });
    }
  }

  /** Sockets carrying a public channel (of `market` when given). */
  marketSockets(market?: string): WsConnection[] {
    return [...this.conns.values()]
      .map((s) => s.conn)
      .filter((c) =>
        [...c.streams].some(
          (t) =>
            (t.startsWith('orderbook_') || t.startsWith('trade_')) &&
            (market === undefined || t.includes(`_${market}`)),
        ),
      );
  }

  /** Authenticated sockets. */
  userSockets(): WsConnection[] {
    return [...this.conns.values()].filter((s) => s.auth !== undefined).map((s) => s.conn);
  }

  /** Sends a frame that is not a SignalR frame on every market socket. */
  malformed(market?: string): void {
    for (const c of this.marketSockets(market))
      c.sendRaw('{"C":"d-1","M":[{"H":"C3","M":"orderBook","A":["%%%"]}]');
  }

  private frame(s: ConnState, message: string, args: readonly unknown[]): string {
    s.cursor += 1;
    return JSON.stringify({
      C: `d-${s.conn.id.toString(16)},${s.cursor}`,
      M: [{ H: 'C3', M: message, A: args }],
    });
  }

  private beat(): void {
    for (const s of this.conns.values())
      if (s.conn.streams.has('heartbeat')) s.conn.send(this.frame(s, 'heartbeat', []));
  }

  private reply(s: ConnState, id: unknown, result: unknown): void {
    s.conn.sendRaw(JSON.stringify({ R: result, I: String(id) }));
  }

  private onInvocation(s: ConnState, text: string): void {
    let call: { H?: unknown; M?: unknown; A?: unknown; I?: unknown };
    try {
      call = JSON.parse(text) as typeof call;
    } catch {
      s.conn.close(1003, 'not JSON');
      return;
    }
    const id = call.I;
    if (typeof call.H !== 'string' || call.H.toLowerCase() !== 'c3') {
      s.conn.sendRaw(JSON.stringify({ I: String(id), E: `'${String(call.H)}' Hub could not be resolved.` }));
      return;
    }
    const args = Array.isArray(call.A) ? call.A : [];
    switch (typeof call.M === 'string' ? call.M : '') {
      case 'Subscribe':
        this.subscribe(s, id, args[0]);
        return;
      case 'Unsubscribe': {
        const channels = Array.isArray(args[0]) ? (args[0] as unknown[]) : [];
        for (const c of channels) if (typeof c === 'string') s.conn.streams.delete(c);
        this.reply(
          s,
          id,
          channels.map(() => ({ Success: true, ErrorCode: null })),
        );
        return;
      }
      case 'Authenticate':
        this.authenticate(s, id, args);
        return;
      case 'IsAuthenticated':
        this.reply(s, id, s.auth !== undefined);
        return;
      default:
        s.conn.sendRaw(
          JSON.stringify({ I: String(id), E: `'${String(call.M)}' method could not be resolved.` }),
        );
    }
  }

  private subscribe(s: ConnState, id: unknown, channels: unknown): void {
    if (!Array.isArray(channels)) {
      s.conn.sendRaw(JSON.stringify({ I: String(id), E: 'Subscribe expects an array of channels' }));
      return;
    }
    const publicWanted = channels.some((c) => typeof c === 'string' && !PRIVATE.has(c) && c !== 'heartbeat');
    if (this.refuseMarket && publicWanted) {
      s.conn.terminate();
      return;
    }
    const results = channels.map((c) => {
      if (typeof c !== 'string') return { Success: false, ErrorCode: 'INVALID_CHANNEL' };
      if (PRIVATE.has(c)) {
        if (!s.auth) return { Success: false, ErrorCode: 'UNAUTHORIZED' };
      } else {
        const m = PUBLIC_RE.exec(c);
        const market = m?.slice(2).find((x) => x !== undefined && x.includes('-'));
        if (!m || (market !== undefined && this.exchange.market(market) === undefined))
          return { Success: false, ErrorCode: 'INVALID_CHANNEL' };
        if (this.refusedChannels?.test(c) === true) {
          this.refusedChannelCount += 1;
          return { Success: false, ErrorCode: 'INVALID_CHANNEL' };
        }
      }
      s.conn.streams.add(c);
      return { Success: true, ErrorCode: null };
    });
    this.reply(s, id, results);
  }

  private authenticate(s: ConnState, id: unknown, args: readonly unknown[]): void {
    if (this.refuseUser) {
      s.conn.terminate();
      return;
    }
    const [apiKey, timestamp, randomContent, signature] = args;
    const fail = (code: string): void => {
      this.authenticateRefusals += 1;
      this.reply(s, id, { Success: false, ErrorCode: code });
    };
    if (typeof apiKey !== 'string') return fail('INVALID_APIKEY');
    const secret = this.exchange.secretFor(apiKey);
    if (secret === undefined) return fail('INVALID_APIKEY');
    if (typeof timestamp !== 'number' || typeof randomContent !== 'string' || typeof signature !== 'string')
      return fail('INVALID_SIGNATURE');
    if (Math.abs(this.exchange.clock.now() - timestamp) > this.options.timestampToleranceMs)
      return fail('INVALID_TIMESTAMP');
    const expected = createHmac('sha512', secret).update(`${timestamp}${randomContent}`).digest('hex');
    if (expected !== signature.toLowerCase()) return fail('INVALID_SIGNATURE');
    this.clearAuth(s);
    this.authenticateCount += 1;
    const ttl = this.options.authTtlMs;
    const warn = setTimeout(
      () => {
        this.expiringWarnings += 1;
        s.conn.send(this.frame(s, 'authenticationExpiring', []));
      },
      Math.max(0, ttl - this.options.authWarningMs),
    );
    const expire = setTimeout(() => {
      // Expired: private channels are dropped; the client must authenticate and subscribe again.
      s.auth = undefined;
      for (const c of PRIVATE) s.conn.streams.delete(c);
    }, ttl);
    warn.unref();
    expire.unref();
    s.auth = { apiKey, timers: [warn, expire] };
    this.reply(s, id, { Success: true, ErrorCode: null });
  }

  private clearAuth(s: ConnState): void {
    for (const t of s.auth?.timers ?? []) clearTimeout(t);
  }
}

function hubsNamed(connectionData: string | undefined): string[] {
  try {
    const v = JSON.parse(connectionData ?? '') as unknown;
    if (!Array.isArray(v)) return [];
    return v.map((h) =>
      typeof h === 'object' && h !== null ? String((h as { name?: unknown }).name).toLowerCase() : '',
    );
  } catch {
    return [];
  }
}
