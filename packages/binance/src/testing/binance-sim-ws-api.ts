// Binance's WebSocket API at /ws-api/v3 as far as a connector's user stream needs it
// (shared/exchanges/binance.md §8a, §8c): `userDataStream.subscribe.signature`,
// `userDataStream.unsubscribe`, `ping`, `time`, and the user data events of every
// subscribed account wrapped as `{subscriptionId, event}`: executionReport for each
// order change, outboundAccountPosition after balance changes (changed assets only),
// balanceUpdate for deposits and withdrawals, eventStreamTerminated on demand.

import type { BalanceChange, EngineEvent, EngineOrder, WsConnection } from '@hb/testing';
import type {
  BinanceBalanceUpdate,
  BinanceOutboundAccountPosition,
  BinanceRateLimitInfo,
  BinanceUserDataEvent,
} from '../binance-types.js';
import { authenticateWsApi } from './binance-sim-auth.js';
import { BINANCE_SIM_MSG, BinanceSimError } from './binance-sim-errors.js';
import type { BinanceSimExchange, SimMarketState } from './binance-sim-exchange.js';
import type { BinanceSimLimits, RequestWeightLimiter } from './binance-sim-weights.js';
import { wsApiWeight } from './binance-sim-weights.js';
import { dec, executionReport, type SimExecutionType, wireTif, wireType } from './binance-sim-wire.js';

/** The path of the WebSocket API. */
export const WS_API_PATH = '/ws-api/v3';

interface UserSubscription {
  readonly conn: WsConnection;
  readonly subscriptionId: number;
  readonly apiKey: string;
}

interface ApiConn {
  readonly conn: WsConnection;
  nextSubscriptionId: number;
}

/** A live user data subscription, as tests see it. */
export interface UserStreamSubscriptionInfo {
  readonly apiKey: string;
  readonly subscriptionId: number;
  readonly connectionId: number;
}

/** Options of {@link BinanceWsApi}. */
export interface BinanceWsApiOptions {
  readonly exchange: BinanceSimExchange;
  readonly weights: RequestWeightLimiter;
  readonly limits: () => BinanceSimLimits;
  readonly rejectedExecutionReports: boolean;
}

/** The WebSocket API side of the simulator. */
export class BinanceWsApi {
  private readonly exchange: BinanceSimExchange;
  private readonly weights: RequestWeightLimiter;
  private readonly limits: () => BinanceSimLimits;
  private readonly rejectedReports: boolean;
  private readonly conns = new Map<number, ApiConn>();
  private subs: UserSubscription[] = [];
  private readonly pendingPositions = new Map<string, Set<string>>();
  private positionsQueued = false;
  private eventCounter = 1;
  private refusing = false;

  constructor(options: BinanceWsApiOptions) {
    this.exchange = options.exchange;
    this.weights = options.weights;
    this.limits = options.limits;
    this.rejectedReports = options.rejectedExecutionReports;
  }

  /** Takes a new `/ws-api/v3` connection. */
  accept(conn: WsConnection): void {
    if (this.refusing) {
      conn.terminate();
      return;
    }
    const ac: ApiConn = { conn, nextSubscriptionId: 0 };
    this.conns.set(conn.id, ac);
    conn.onMessage((text) => this.onMessage(ac, text));
    conn.onClose(() => {
      this.conns.delete(conn.id);
      this.subs = this.subs.filter((s) => s.conn !== conn);
    });
  }

  /** While true, new WS API connections are dropped at once (a user stream outage). */
  setRefusing(refusing: boolean): void {
    this.refusing = refusing;
  }

  /** Open WS API connections. */
  connections(): WsConnection[] {
    return [...this.conns.values()].map((c) => c.conn).filter((c) => c.isOpen);
  }

  /** Live user data subscriptions. */
  subscriptions(): UserStreamSubscriptionInfo[] {
    return this.subs
      .filter((s) => s.conn.isOpen)
      .map((s) => ({ apiKey: s.apiKey, subscriptionId: s.subscriptionId, connectionId: s.conn.id }));
  }

  /**
   * Ends the subscriptions of one API key (all when omitted) with
   * `eventStreamTerminated`, as Binance does when it drops a user stream. Returns
   * how many ended.
   */
  terminate(apiKey?: string): number {
    const ending = this.subs.filter((s) => apiKey === undefined || s.apiKey === apiKey);
    this.subs = this.subs.filter((s) => !ending.includes(s));
    const E = this.exchange.clock.now();
    for (const s of ending)
      s.conn.send(
        { subscriptionId: s.subscriptionId, event: { e: 'eventStreamTerminated', E } },
        { stream: 'userData' },
      );
    return ending.length;
  }

  /** Turns one engine event into executionReports for a subscribed account. */
  onEngineEvent(m: SimMarketState, ev: EngineEvent): void {
    if (ev.type === 'trade' || ev.type === 'book_level_changed' || ev.type === 'order_opened') return;
    const order = ev.order;
    if (!this.exchange.isApiAccount(order.account)) return;
    const symbol = m.market.symbol;
    const base = {
      symbol,
      order,
      eventTime: this.exchange.clock.now(),
      clientOrderId: order.clientOrderId ?? '',
      origClientOrderId: '',
      rejectReason: 'NONE',
      eventId: this.eventCounter++,
    };
    let x: SimExecutionType;
    switch (ev.type) {
      case 'order_accepted':
        this.sendEvent(
          order.account,
          executionReport({ ...base, executionType: 'NEW', onBook: restsOnArrival(order) }),
        );
        return;
      case 'order_partially_filled':
      case 'order_filled':
        this.sendEvent(
          order.account,
          executionReport({
            ...base,
            executionType: 'TRADE',
            trade: ev.trade,
            isMaker: ev.isMaker,
            onBook: order.onBook,
          }),
        );
        return;
      case 'order_cancelled': {
        const cancelId =
          this.exchange.cancelIdFor(symbol, order.orderId) ?? this.exchange.generateClientOrderId();
        this.sendEvent(
          order.account,
          executionReport({
            ...base,
            executionType: 'CANCELED',
            clientOrderId: cancelId,
            origClientOrderId: order.clientOrderId ?? '',
            onBook: false,
          }),
        );
        return;
      }
      case 'order_changed':
        // Binance has no decrement-style self-trade prevention, so its engines never emit this.
        return;
      case 'order_expired':
        x = 'EXPIRED';
        break;
      case 'order_rejected':
        if (!this.rejectedReports) return;
        x = 'REJECTED';
        base.rejectReason =
          ev.reason === 'insufficient_balance'
            ? 'INSUFFICIENT_BALANCES'
            : ev.reason === 'post_only_would_take'
              ? 'WOULD_MATCH_IMMEDIATELY'
              : 'DUPLICATE_ORDER';
        break;
    }
    this.sendEvent(order.account, executionReport({ ...base, executionType: x, onBook: false }));
  }

  /**
   * Collects balance changes of subscribed accounts: one outboundAccountPosition per
   * account per burst of changes (one engine call), listing only the assets that
   * moved; deposits and withdrawals also send balanceUpdate.
   */
  onBalanceChange(c: BalanceChange): void {
    if (!this.exchange.isApiAccount(c.account)) return;
    if ((c.cause === 'deposit' || c.cause === 'withdraw') && c.delta !== undefined) {
      const now = this.exchange.clock.now();
      const ev: BinanceBalanceUpdate = { e: 'balanceUpdate', E: now, a: c.asset, d: dec(c.delta), T: now };
      this.sendEvent(c.account, ev);
    }
    let set = this.pendingPositions.get(c.account);
    if (set === undefined) {
      set = new Set();
      this.pendingPositions.set(c.account, set);
    }
    set.add(c.asset);
    if (!this.positionsQueued) {
      this.positionsQueued = true;
      queueMicrotask(() => this.flushPositions());
    }
  }

  /** Sends the pending outboundAccountPosition events now. */
  flushPositions(): void {
    this.positionsQueued = false;
    const now = this.exchange.clock.now();
    for (const [account, assets] of this.pendingPositions) {
      const ev: BinanceOutboundAccountPosition = {
        e: 'outboundAccountPosition',
        E: now,
        u: now,
        B: [...assets].map((a) => {
          const b = this.exchange.ledger.balance(account, a);
          return { a, f: dec(b.free), l: dec(b.locked) };
        }),
      };
      this.sendEvent(account, ev);
    }
    this.pendingPositions.clear();
  }

  private sendEvent(apiKey: string, event: BinanceUserDataEvent): void {
    for (const s of this.subs) {
      if (s.apiKey === apiKey && s.conn.isOpen)
        s.conn.send({ subscriptionId: s.subscriptionId, event }, { stream: 'userData' });
    }
  }

  private rateLimits(): BinanceRateLimitInfo[] {
    return [
      {
        rateLimitType: 'REQUEST_WEIGHT',
        interval: 'MINUTE',
        intervalNum: 1,
        limit: this.limits().requestWeightPerMinute,
        count: this.weights.used,
      },
    ];
  }

  private onMessage(ac: ApiConn, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      ac.conn.send({
        id: null,
        status: 400,
        error: { code: -1000, msg: 'Invalid JSON: the request could not be parsed.' },
      });
      return;
    }
    const req =
      typeof msg === 'object' && msg !== null && !Array.isArray(msg) ? (msg as Record<string, unknown>) : {};
    const rawId = req['id'];
    const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
    const method = req['method'];
    const rawParams = req['params'];
    const params =
      typeof rawParams === 'object' && rawParams !== null && !Array.isArray(rawParams)
        ? (rawParams as Record<string, unknown>)
        : {};
    try {
      if (typeof method !== 'string' || method === '')
        throw new BinanceSimError(
          -1102,
          "Mandatory parameter 'method' was not sent, was empty/null, or malformed.",
        );
      const verdict = this.weights.consume(wsApiWeight(method));
      if (!verdict.ok) throw verdict.error;
      const result = this.call(ac, method, params);
      ac.conn.send({ id, status: 200, result, rateLimits: this.rateLimits() });
    } catch (e) {
      const err =
        e instanceof BinanceSimError ? e : new BinanceSimError(-1000, BINANCE_SIM_MSG.internal, 500);
      const error: Record<string, unknown> = { code: err.code, msg: err.message };
      const retryAfter = err.headers['Retry-After'];
      if (retryAfter !== undefined) {
        error['data'] = {
          serverTime: this.exchange.clock.now(),
          retryAfter: this.exchange.clock.now() + Number(retryAfter) * 1000,
        };
      }
      ac.conn.send({ id, status: err.status, error, rateLimits: this.rateLimits() });
    }
  }

  private call(ac: ApiConn, method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case 'ping':
        return {};
      case 'time':
        return { serverTime: this.exchange.clock.now() };
      case 'userDataStream.subscribe.signature': {
        const apiKey = authenticateWsApi(params, this.exchange.secretFor, this.exchange.clock.now());
        const subscriptionId = ac.nextSubscriptionId++;
        this.subs.push({ conn: ac.conn, subscriptionId, apiKey });
        return { subscriptionId };
      }
      case 'userDataStream.unsubscribe': {
        const sid = params['subscriptionId'];
        this.subs = this.subs.filter(
          (s) => s.conn !== ac.conn || (sid !== undefined && s.subscriptionId !== Number(sid)),
        );
        return {};
      }
      default:
        // session.logon (Ed25519 only) and the order methods are not simulated.
        throw new BinanceSimError(-1020, BINANCE_SIM_MSG.unsupported);
    }
  }
}

/** `w` of a NEW report: a GTC limit order is meant for the book. */
function restsOnArrival(o: EngineOrder): boolean {
  return wireType(o) !== 'MARKET' && wireTif(o) === 'GTC';
}
