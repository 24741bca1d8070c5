import {
  runUserStreamSocket,
  type SocketTiming,
  type UserStreamEvent,
  type UserStreamTrackerDataSource,
  type WsOutgoing,
} from '@hb/core/connector';
import { Observable } from 'rxjs';
import type { HuobiAuth } from './huobi-auth.js';
import { HUOBI_ACCOUNT_CHANNELS, HUOBI_ACCOUNT_SOCKET_TIMING, HUOBI_EXCHANGE } from './huobi-constants.js';
import { classifyHuobiWsV2Error } from './huobi-errors.js';

/**
 * How a {@link HuobiUserStreamDataSource} is built. Keep-alive and reconnect
 * timing default to {@link HUOBI_ACCOUNT_SOCKET_TIMING} (server pings every 20 s;
 * dead after 50 s without a frame or ping).
 */
export interface HuobiUserStreamDataSourceOptions extends SocketTiming {
  /** `wss://api.huobi.pro/ws/v2`. */
  readonly url: string;
  readonly auth: HuobiAuth;
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
 * reconciles by REST what was pushed while it was down, and a lost socket makes
 * the stream stale at once (core's `runUserStreamSocket`). A refused login
 * (`auth.fail`, a wrong key: non-retryable authentication) or channel ends the
 * stream with its typed error.
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

      return runUserStreamSocket(subscriber, {
        exchange: HUOBI_EXCHANGE,
        channel: 'account stream',
        url: this.options.url,
        timing: this.options,
        timingDefaults: HUOBI_ACCOUNT_SOCKET_TIMING,
        isPing: huobiV2PingReply,
        onOpen: () => {
          awaiting = new Set(['auth']);
          return [this.options.auth.wsLogin()];
        },
        onObject: (f, receivedAt, { refuse, send }) => {
          if (f['action'] === 'push') {
            subscriber.next({ kind: 'event', event: f, receivedAt });
            return;
          }
          // The heartbeat answered the ping already.
          if (f['action'] === 'ping') return;
          if (f['action'] !== 'req' && f['action'] !== 'sub') {
            refuse('unknown message type');
            return;
          }
          const ch = typeof f['ch'] === 'string' ? f['ch'] : '';
          if (f['code'] !== 200) {
            // A refused login or channel ends the stream with its typed error: the
            // tracker retries what can be retried and stops on a refused key.
            subscriber.error(
              classifyHuobiWsV2Error(
                typeof f['code'] === 'number' ? f['code'] : 0,
                `${ch === '' ? '' : `${ch}: `}${typeof f['message'] === 'string' ? f['message'] : 'error'}`,
              ),
            );
            return;
          }
          if (!awaiting.delete(ch)) return;
          if (ch === 'auth') {
            const subs = channels();
            for (const c of subs) awaiting.add(c);
            for (const c of subs) send({ action: 'sub', ch: c }).catch(() => undefined); // only fails on a closed socket: its reconnect re-runs the login
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
        },
      });
    });
  }
}
