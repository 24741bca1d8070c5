// Bittrex v3 endpoints, hub and stream names, limits (bittrex.md §2, §4-§9).
import type { RateCosts, WindowRateLimit } from '@hb/core/connector';

/** The connector's name (CLI, env vars `HB_BITTREX_*`, error messages). */
export const BITTREX_EXCHANGE = 'bittrex';

/** Where a market talks to. */
export interface BittrexUrls {
  /** REST base including `/v3`, e.g. `https://api.bittrex.com/v3`. */
  readonly rest: string;
  /**
   * Classic SignalR base (HTTP(S), ending `/signalr`): negotiate and start are
   * HTTP calls below it, and the socket connects to its `ws(s)` twin `/connect`.
   */
  readonly signalr: string;
}

/** The production hosts (the exchange stopped trading on 2023-12-04; kept for fidelity). */
export const BITTREX_URLS: BittrexUrls = {
  rest: 'https://api.bittrex.com/v3',
  signalr: 'https://socket-v3.bittrex.com/signalr',
};

/** The REST version prefix appended to a `restUrl` override. */
export const BITTREX_REST_PREFIX = '/v3';
/** The SignalR path appended to a `wsUrl` override. */
export const BITTREX_SIGNALR_PATH = '/signalr';

/** REST paths below `/v3`. */
export const BITTREX_PATHS = {
  ping: '/ping',
  markets: '/markets',
  orderBook: (marketSymbol: string) => `/markets/${encodeURIComponent(marketSymbol)}/orderbook`,
  trades: (marketSymbol: string) => `/markets/${encodeURIComponent(marketSymbol)}/trades`,
  balances: '/balances',
  orders: '/orders',
  openOrders: '/orders/open',
  closedOrders: '/orders/closed',
  order: (orderId: string) => `/orders/${encodeURIComponent(orderId)}`,
  orderExecutions: (orderId: string) => `/orders/${encodeURIComponent(orderId)}/executions`,
  executions: '/executions',
  executionsLastId: '/executions/last-id',
  tradingFees: '/account/fees/trading',
} as const;

/** REST signing headers (§6). */
export const BITTREX_HEADERS = {
  key: 'Api-Key',
  timestamp: 'Api-Timestamp',
  contentHash: 'Api-Content-Hash',
  signature: 'Api-Signature',
  subaccount: 'Api-Subaccount-Id',
  /** Snapshot endpoints' sequence number, for stream synchronisation. */
  sequence: 'Sequence',
} as const;

/** Classic SignalR (ASP.NET SignalR 1.5, hub `c3`). */
export const BITTREX_SIGNALR = {
  hub: 'c3',
  clientProtocol: '1.5',
  /** Server keep-alive timeout announced by negotiate (s); a socket silent this long is dead. */
  defaultKeepAliveTimeoutMs: 20_000,
  /** Authentication lasts 10 minutes; `authenticationExpiring` arrives a minute before. */
  authenticationTtlMs: 10 * 60_000,
} as const;

/** Order book depths the exchange serves (1 is top-of-book only: not useful for a book). */
export type BittrexBookDepth = 25 | 500;

/** Default depth of the tracked book. */
export const BITTREX_DEFAULT_DEPTH: BittrexBookDepth = 25;

/** Stream (subscription) names (§5, §8). */
export const BITTREX_STREAMS = {
  heartbeat: 'heartbeat',
  orderBook: (marketSymbol: string, depth: BittrexBookDepth) => `orderbook_${marketSymbol}_${depth}`,
  trade: (marketSymbol: string) => `trade_${marketSymbol}`,
  order: 'order',
  balance: 'balance',
  execution: 'execution',
} as const;

/** Pushed message names (`M` of a hub message), compared case-insensitively. */
export const BITTREX_MESSAGES = {
  heartbeat: 'heartbeat',
  orderBook: 'orderbook',
  trade: 'trade',
  order: 'order',
  balance: 'balance',
  execution: 'execution',
  authenticationExpiring: 'authenticationexpiring',
} as const;

/** The limit id every REST call charges. */
export const BITTREX_LIMIT_ID = 'REQUESTS';

/**
 * §9: counted per minute, the window resetting at the start of the next minute;
 * about 60 calls a minute is documented as safe. Exceeding it costs 429
 * `THROTTLED` for the rest of the minute.
 */
export const BITTREX_RATE_LIMITS: readonly WindowRateLimit[] = [
  { kind: 'fixed_window', id: BITTREX_LIMIT_ID, limit: 60, intervalMs: 60_000 },
];

/** What one call costs. */
export const BITTREX_COSTS: RateCosts = { [BITTREX_LIMIT_ID]: 1 };

/** `timeInForce` values (§7). */
export const BITTREX_TIME_IN_FORCE = {
  gtc: 'GOOD_TIL_CANCELLED',
  ioc: 'IMMEDIATE_OR_CANCEL',
  fok: 'FILL_OR_KILL',
  postOnlyGtc: 'POST_ONLY_GOOD_TIL_CANCELLED',
} as const;

/** A `timeInForce` value. */
export type BittrexTimeInForce = (typeof BITTREX_TIME_IN_FORCE)[keyof typeof BITTREX_TIME_IN_FORCE];

/** Decimals Bittrex accepts in a quantity (§3: 8 is the safe upper bound). */
export const BITTREX_QUANTITY_DECIMALS = 8;
