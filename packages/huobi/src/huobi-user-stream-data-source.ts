import {
  HbError,
  ProtocolError,
  WsConnection,
  type UserStreamEvent,
  type UserStreamTrackerDataSource,
  type WsOutgoing,
} from '@hb/core/connector';
import { Observable } from 'rxjs';
import type { HuobiAuth } from './huobi-auth.js';
import { HUOBI_ACCOUNT_CHANNELS, HUOBI_EXCHANGE } from './huobi-constants.js';
import { classifyHuobiWsV2Error } from './huobi-errors.js';

/** How a {@link HuobiUserStreamDataSource} is built. */
export interface HuobiUserStreamDataSourceOptions {
  /** `wss://api.huobi.pro/ws/v2`. */
  readonly url: string;
  readonly auth: HuobiAuth;
  /** Reconnect backoff bounds, ms (tests shorten them). */
  readonly reconnectMinDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
  /** The server pings every 20 s: a socket silent for this long is dead. Default 50 s. */
  readonly deadAfterMs?: number;
}

/** Answers `{"action":"ping","data":{"ts":n}}` with `{"action":"pong","data":{"ts":n}}`. */
export function huobiV2PingReply(text: string): WsOutgoing | undefined {
  if (!text.includes('"ping"')) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null) return undefined;
  const f = o as { action?: unknown; data?: { ts?: unknown } };
  if (f.action !== 'ping' || typeof f.data?.ts !== 'number') return undefined;
  return { action: 'pong', data: { ts: f.data.ts } };
}

/**
 * The v2 account and order stream (huobi.md §8): plain-text frames, a v2.1
 * `auth` request signed anew for every connection, then `orders#*`,
 * `trade.clearing#*#0` (fills with the fee charged) and
 * `accounts.update#2`. The stream is `connected` once every channel is
 * acknowledged; after a reconnect it says `reconnected`, so the market
 * reconciles by REST what was pushed while it was down. An `auth.fail` ends the
 * stream with an authentication error.
 */
export class HuobiUserStreamDataSource implements UserStreamTrackerDataSource<unknown> {
  constructor(private readonly options: HuobiUserStreamDataSourceOptions) {}

  listen(): Observable<UserStreamEvent<unknown>> {
    return new Observable((subscriber) => {
      let connectedOnce = false;
      let awaiting = new Set<string>();
      // Every symbol (`*`): orders placed on pairs the market does not quote
      // (restored from an earlier run, placed by another tool) settle too.
      const channels = (): string[] => [
        HUOBI_ACCOUNT_CHANNELS.accounts,
        HUOBI_ACCOUNT_CHANNELS.orders('*'),
        HUOBI_ACCOUNT_CHANNELS.clearing('*'),
      ];

      const connection = new WsConnection({
        name: `${HUOBI_EXCHANGE} account stream`,
        url: this.options.url,
        heartbeat: { isPing: huobiV2PingReply, deadAfterMs: this.options.deadAfterMs ?? 50_000 },
        reconnect: {
          minDelayMs: this.options.reconnectMinDelayMs ?? 250,
          maxDelayMs: this.options.reconnectMaxDelayMs ?? 30_000,
        },
        onOpen: () => {
          awaiting = new Set(['auth']);
          return [this.options.auth.wsLogin()];
        },
      });

      const onFrame = (text: string, receivedAt: number): void => {
        // A garbled or unknown frame may have held a fill: the market reports it and reconciles by REST.
        const refuse = (cause: unknown): void =>
          subscriber.next({
            kind: 'refused',
            receivedAt,
            error: new ProtocolError(HUOBI_EXCHANGE, 'account stream', text, cause),
          });
        let frame: unknown;
        try {
          frame = JSON.parse(text);
        } catch (e) {
          refuse(e);
          return;
        }
        if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
          refuse('not a JSON object');
          return;
        }
        const f = frame as { action?: unknown; ch?: unknown; code?: unknown; message?: unknown };
        if (f.action === 'push') {
          subscriber.next({ kind: 'event', event: frame, receivedAt });
          return;
        }
        // The heartbeat answered the ping already.
        if (f.action === 'ping') return;
        if (f.action !== 'req' && f.action !== 'sub') {
          refuse('unknown message type');
          return;
        }
        const ch = typeof f.ch === 'string' ? f.ch : '';
        if (f.code !== 200) {
          const error = classifyHuobiWsV2Error(
            typeof f.code === 'number' ? f.code : 0,
            typeof f.message === 'string' ? f.message : 'error',
          );
          if (ch === 'auth' || error.reason === 'authentication') subscriber.error(error);
          return;
        }
        if (!awaiting.delete(ch)) return;
        if (ch === 'auth') {
          const subs = channels();
          for (const c of subs) awaiting.add(c);
          for (const c of subs) connection.send({ action: 'sub', ch: c }).catch(() => undefined); // only fails on a closed socket: its disconnected signal re-runs the login
          return;
        }
        if (awaiting.size === 0) {
          subscriber.next(
            connectedOnce
              ? { kind: 'reconnected', receivedAt, reason: 'account stream resubscribed after a reconnect' }
              : { kind: 'connected', receivedAt },
          );
          connectedOnce = true;
        }
      };

      const messages = connection.messages$.subscribe({
        next: (m) => onFrame(m.data, m.receivedAt),
        error: (e: unknown) =>
          subscriber.error(
            e instanceof HbError
              ? e
              : new HbError('network', `${HUOBI_EXCHANGE}: account stream failed`, { cause: e }),
          ),
      });
      connection.connect().catch((e: unknown) => subscriber.error(e));
      return () => {
        messages.unsubscribe();
        void connection.close();
      };
    });
  }
}
