// Binance's rate limits as the exchange enforces them (shared/exchanges/binance.md §4,
// §7, §9): a REQUEST_WEIGHT budget per IP and minute with the 429 -> 418 escalation,
// and the ORDERS (unfilled order) count per account. Limits are options so a test can
// trip them with a handful of requests.

import { FixedWindowCounter } from '@hb/testing';
import { BinanceSimError } from './binance-sim-errors.js';

/** The key of the simulator's one IP in the weight count. */
const IP = '127.0.0.1';

/** Limits the simulator enforces; every field has Binance's documented default. */
export interface BinanceSimLimits {
  /** REQUEST_WEIGHT per minute per IP; default 6000. */
  readonly requestWeightPerMinute: number;
  /** ORDERS per 10 s per account; default 100. */
  readonly ordersPer10s: number;
  /** ORDERS per day per account; default 200 000. */
  readonly ordersPerDay: number;
  /** RAW_REQUESTS per 5 minutes (reported in exchangeInfo only); default 300 000. */
  readonly rawRequestsPer5m: number;
  /** How long an IP stays banned (418) after ignoring a 429; default 120 000 ms. */
  readonly banMs: number;
  /** Incoming messages per second per market-stream connection; default 5. */
  readonly maxIncomingMessagesPerSecond: number;
  /** Streams per market-stream connection; default 1024. */
  readonly maxStreamsPerConnection: number;
  /** Market-stream connection attempts per 5 minutes per IP; default 300. */
  readonly maxConnectionsPer5Min: number;
}

/** Binance's documented limits. */
export const DEFAULT_BINANCE_SIM_LIMITS: BinanceSimLimits = {
  requestWeightPerMinute: 6000,
  ordersPer10s: 100,
  ordersPerDay: 200_000,
  rawRequestsPer5m: 300_000,
  banMs: 120_000,
  maxIncomingMessagesPerSecond: 5,
  maxStreamsPerConnection: 1024,
  maxConnectionsPer5Min: 300,
};

/** Weight of `GET /api/v3/depth` for a limit (current tiers). */
export function depthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

/**
 * Request weight of one REST call. Parameters matter for depth (limit tiers),
 * openOrders (with or without symbol) and myTrades (with or without orderId).
 * Order placement and cancel cost 1 (Binance charges 0 for a successful one since
 * 2026-04-02; charging 1 is what a conservative client budgets anyway).
 */
export function restWeight(method: string, path: string, params: Readonly<Record<string, string>>): number {
  const key = `${method.toUpperCase()} ${path}`;
  switch (key) {
    case 'GET /api/v3/ping':
    case 'GET /api/v3/time':
      return 1;
    case 'GET /api/v3/exchangeInfo':
      return 20;
    case 'GET /api/v3/depth': {
      const n = Number(params['limit'] ?? 100);
      return depthWeight(Number.isFinite(n) && n > 0 ? n : 100);
    }
    case 'GET /api/v3/trades':
      return 25;
    case 'GET /api/v3/ticker/24hr':
      return params['symbol'] === undefined ? 80 : 2;
    case 'GET /api/v3/klines':
      return 2;
    case 'POST /api/v3/order':
    case 'POST /api/v3/order/test':
    case 'DELETE /api/v3/order':
    case 'DELETE /api/v3/openOrders':
      return 1;
    case 'GET /api/v3/order':
      return 4;
    case 'GET /api/v3/openOrders':
      return params['symbol'] === undefined ? 80 : 6;
    case 'GET /api/v3/account':
      return 20;
    case 'GET /api/v3/myTrades':
      return params['orderId'] === undefined ? 20 : 5;
    default:
      return 1;
  }
}

/** Weight of a WebSocket API method. */
export function wsApiWeight(method: string): number {
  if (method === 'userDataStream.subscribe.signature' || method === 'userDataStream.subscribe') return 2;
  return 1;
}

/** Outcome of charging a request against the weight budget. */
export type WeightVerdict =
  | { readonly ok: true; readonly used: number }
  | { readonly ok: false; readonly used: number; readonly error: BinanceSimError };

/**
 * REQUEST_WEIGHT per fixed one-minute window (aligned to the server clock, as
 * Binance's are). Going over the limit answers 429 with `Retry-After` until the
 * window ends; a request during that wait earns a 418 ban for `banMs`.
 */
export class RequestWeightLimiter {
  /** The simulator is one IP: one count. */
  private readonly weight: FixedWindowCounter;
  private waitUntil = 0;
  private bannedUntil = 0;

  constructor(
    private readonly limits: () => BinanceSimLimits,
    private readonly now: () => number,
  ) {
    this.weight = new FixedWindowCounter(60_000, now);
  }

  /** Weight used in the current window. */
  get used(): number {
    return this.weight.count(IP);
  }

  /** Charges `weight`; says whether the request may proceed. */
  consume(weight: number): WeightVerdict {
    const now = this.now();
    if (now < this.bannedUntil) return { ok: false, used: this.used, error: this.banError(now) };
    if (now < this.waitUntil) {
      // Ignoring a Retry-After is what turns a 429 into an IP ban on Binance.
      this.bannedUntil = now + this.limits().banMs;
      this.waitUntil = 0;
      return { ok: false, used: this.used, error: this.banError(now) };
    }
    const used = this.weight.add(IP, weight);
    const limit = this.limits().requestWeightPerMinute;
    if (used > limit) {
      this.waitUntil = this.weight.windowStart() + this.weight.windowMs;
      return {
        ok: false,
        used,
        error: new BinanceSimError(
          -1003,
          `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
          429,
          { 'Retry-After': String(this.weight.retryAfterSec()) },
        ),
      };
    }
    return { ok: true, used };
  }

  /** Forgets usage, waits and bans. */
  reset(): void {
    this.weight.reset();
    this.waitUntil = 0;
    this.bannedUntil = 0;
  }

  private banError(now: number): BinanceSimError {
    const retryAfter = Math.max(1, Math.ceil((this.bannedUntil - now) / 1000));
    return new BinanceSimError(
      -1003,
      `Way too much request weight used; IP banned until ${this.bannedUntil}. Please use WebSocket Streams for live updates to avoid bans.`,
      418,
      { 'Retry-After': String(retryAfter) },
    );
  }
}

/** Current ORDERS counts of an account, as the `X-MBX-ORDER-COUNT-*` headers show them. */
export interface OrderCounts {
  readonly tenSeconds: number;
  readonly day: number;
}

/** The ORDERS rate limit per account (10 s and 1 day windows, fixed, server clock). */
export class OrderRateCounter {
  private readonly tenSeconds: FixedWindowCounter;
  private readonly day: FixedWindowCounter;

  constructor(
    private readonly limits: () => BinanceSimLimits,
    now: () => number,
  ) {
    this.tenSeconds = new FixedWindowCounter(10_000, now);
    this.day = new FixedWindowCounter(86_400_000, now);
  }

  /** The account's counts now. */
  counts(account: string): OrderCounts {
    return { tenSeconds: this.tenSeconds.count(account), day: this.day.count(account) };
  }

  /** Throws 429 `-1015` when the account may not place another order now. */
  check(account: string): void {
    const l = this.limits();
    if (this.tenSeconds.count(account) >= l.ordersPer10s) {
      throw tooManyOrders(l.ordersPer10s, '10 SECOND', this.tenSeconds.retryAfterSec());
    }
    if (this.day.count(account) >= l.ordersPerDay) {
      throw tooManyOrders(l.ordersPerDay, '1 DAY', this.day.retryAfterSec());
    }
  }

  /** Counts one new order. */
  add(account: string): void {
    this.tenSeconds.add(account);
    this.day.add(account);
  }

  /** Forgets every account's counts. */
  reset(): void {
    this.tenSeconds.reset();
    this.day.reset();
  }
}

function tooManyOrders(limit: number, interval: string, retryAfterSec: number): BinanceSimError {
  return new BinanceSimError(
    -1015,
    `Too many new orders; current limit is ${limit} orders per ${interval}.`,
    429,
    { 'Retry-After': String(retryAfterSec) },
  );
}
