import type { RateCosts, RateLimitRule, SocketTimingDefaults } from '@hb/core/connector';

/** The exchange's name on the command line, in env var names and in errors. */
export const HUOBI_EXCHANGE = 'huobi';

/** The hosts a market talks to: one REST host and three WebSocket endpoints (huobi.md §2). */
export interface HuobiUrls {
  /** REST base, `https://api.huobi.pro`. */
  readonly rest: string;
  /** Market data except MBP increments (trades, depth pushes): `wss://api.huobi.pro/ws`. */
  readonly ws: string;
  /** MBP incremental feed and its `req` refresh: `wss://api.huobi.pro/feed`. */
  readonly feed: string;
  /** Account and order stream, v2: `wss://api.huobi.pro/ws/v2`. */
  readonly accountWs: string;
}

/** Huobi Global (HTX) production. There is no sandbox: the testnet was shut down. */
export const HUOBI_URLS: HuobiUrls = {
  rest: 'https://api.huobi.pro',
  ws: 'wss://api.huobi.pro/ws',
  feed: 'wss://api.huobi.pro/feed',
  accountWs: 'wss://api.huobi.pro/ws/v2',
};

/** The AWS-hosted endpoints (lower latency from AWS Tokyo). */
export const HUOBI_AWS_URLS: HuobiUrls = {
  rest: 'https://api-aws.huobi.pro',
  ws: 'wss://api-aws.huobi.pro/ws',
  feed: 'wss://api-aws.huobi.pro/feed',
  accountWs: 'wss://api-aws.huobi.pro/ws/v2',
};

/** WebSocket paths below a WS host; one `--ws-url` override serves all three. */
export const HUOBI_WS_PATHS = {
  market: '/ws',
  feed: '/feed',
  account: '/ws/v2',
} as const;

/** REST paths (case-sensitive on the exchange). */
export const HUOBI_PATHS = {
  timestamp: '/v1/common/timestamp',
  symbols: '/v1/common/symbols',
  marketSymbols: '/v1/settings/common/market-symbols',
  depth: '/market/depth',
  historyTrade: '/market/history/trade',
  accounts: '/v1/account/accounts',
  balance: (accountId: string) => `/v1/account/accounts/${accountId}/balance`,
  place: '/v1/order/orders/place',
  cancelByClientOrderId: '/v1/order/orders/submitCancelClientOrder',
  cancelById: (orderId: string) => `/v1/order/orders/${orderId}/submitcancel`,
  orderByClientOrderId: '/v1/order/orders/getClientOrder',
  orderById: (orderId: string) => `/v1/order/orders/${orderId}`,
  orderMatchResults: (orderId: string) => `/v1/order/orders/${orderId}/matchresults`,
  openOrders: '/v1/order/openOrders',
} as const;

/** Signature Version 2 constants (huobi.md §6, §8). */
export const HUOBI_SIGNATURE = {
  method: 'HmacSHA256',
  restVersion: '2',
  wsVersion: '2.1',
} as const;

/** Levels of the MBP incremental topic we keep (5, 20 or 150 on the exchange). */
export const HUOBI_MBP_LEVELS = 150;

/** Market-data topics. */
export const HUOBI_TOPICS = {
  mbp: (symbol: string, levels: number = HUOBI_MBP_LEVELS) => `market.${symbol}.mbp.${levels}`,
  trades: (symbol: string) => `market.${symbol}.trade.detail`,
  depth: (symbol: string) => `market.${symbol}.depth.step0`,
} as const;

/** Account/order stream channels (v2). Mode 0 of `trade.clearing`: trades only; mode 2 of accounts: both values. */
export const HUOBI_ACCOUNT_CHANNELS = {
  orders: (symbol: string) => `orders#${symbol}`,
  clearing: (symbol: string) => `trade.clearing#${symbol}#0`,
  accounts: 'accounts.update#2',
} as const;

/**
 * Documented REST limits (huobi.md §9), per UID per endpoint over 2 s windows,
 * plus the legacy 10 requests/s per key or IP for endpoints without one.
 */
export const HUOBI_RATE_LIMITS: readonly RateLimitRule[] = [
  { id: 'PUBLIC', limit: 10, intervalMs: 1_000 },
  { id: 'PLACE', limit: 100, intervalMs: 2_000 },
  { id: 'CANCEL', limit: 100, intervalMs: 2_000 },
  { id: 'ORDER_QUERY', limit: 50, intervalMs: 2_000 },
  { id: 'OPEN_ORDERS', limit: 50, intervalMs: 2_000 },
  { id: 'ACCOUNT', limit: 100, intervalMs: 2_000 },
];

/** What each call costs against {@link HUOBI_RATE_LIMITS}. */
export const HUOBI_COSTS = {
  public: { PUBLIC: 1 },
  place: { PLACE: 1 },
  cancel: { CANCEL: 1 },
  orderQuery: { ORDER_QUERY: 1 },
  openOrders: { OPEN_ORDERS: 1 },
  account: { ACCOUNT: 1 },
} as const satisfies Record<string, RateCosts>;

/** WebSocket limits (huobi.md §5, §8). */
export const HUOBI_WS_LIMITS = {
  /** One `req` per 100 ms per market connection. */
  reqIntervalMs: 100,
  /** The server pings every 5 s and drops a client after 2 missed answers. */
  marketPingIntervalMs: 5_000,
  /** The account stream pings every 20 s. */
  accountPingIntervalMs: 20_000,
  /** 50 valid requests per second per account connection. */
  accountRequestsPerSecond: 50,
} as const;

/** Response headers with the remaining calls of the current window. */
export const HUOBI_RATE_LIMIT_HEADERS = {
  remain: 'x-hb-ratelimit-requests-remain',
  expire: 'x-hb-ratelimit-requests-expire',
} as const;

/**
 * Keep-alive of the market sockets (`/ws`, `/feed`) unless the market's options
 * say otherwise. Huobi's rule is server pings (`{"ping":n}` about every 5 s,
 * answered with `{"pong":n}`), so no client pings by default: a socket with no
 * frame and no ping for 15 s (three missed pings) is dead, and its books are
 * `stale` well within 30 s. Client pings, when asked for, are WebSocket protocol
 * pings, which every server must answer (Huobi's own JSON client ping is unconfirmed).
 */
export const HUOBI_SOCKET_TIMING: SocketTimingDefaults = {
  pingIntervalMs: 0,
  deadAfterMs: 3 * HUOBI_WS_LIMITS.marketPingIntervalMs,
};

/**
 * Keep-alive of the account socket (`/ws/v2`): server pings every 20 s, so the
 * socket is dead after 50 s without a frame or ping (two missed pings and a margin).
 */
export const HUOBI_ACCOUNT_SOCKET_TIMING: SocketTimingDefaults = {
  pingIntervalMs: 0,
  deadAfterMs: 50_000,
};
