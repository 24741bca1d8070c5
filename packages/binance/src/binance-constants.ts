// Binance spot endpoints, weights and limits, as documented in
// shared/exchanges/binance.md (§2 URLs, §4/§7 weights, §9 limits). Everything a
// request builder or rate limiter needs to know about the venue lives here, so a
// documentation change is a one-file change.

import type { SocketLimits, SocketTimingDefaults } from '@hb/core/connector';

/** The exchange name carried by every HbError this package raises. */
export const BINANCE_EXCHANGE = 'binance';

/** Base URLs of one Binance environment. */
export interface BinanceUrls {
  /** REST base (paths below are appended as-is). */
  readonly rest: string;
  /** Market-stream base; raw streams at `/ws/<stream>`, combined at `/stream?streams=a/b`. */
  readonly marketStream: string;
  /** WebSocket API endpoint (request/response and the user data stream). */
  readonly wsApi: string;
}

/** Production spot endpoints. */
export const BINANCE_URLS: BinanceUrls = {
  rest: 'https://api.binance.com',
  marketStream: 'wss://stream.binance.com:9443',
  wsApi: 'wss://ws-api.binance.com:443/ws-api/v3',
};

/** Spot testnet endpoints (REST paths are identical to production). */
export const BINANCE_TESTNET_URLS: BinanceUrls = {
  rest: 'https://testnet.binance.vision',
  marketStream: 'wss://stream.testnet.binance.vision',
  wsApi: 'wss://ws-api.testnet.binance.vision/ws-api/v3',
};

/** REST paths we call. `/api/v1` was retired in 2026, so everything is `/api/v3`. */
export const BINANCE_PATHS = {
  time: '/api/v3/time',
  exchangeInfo: '/api/v3/exchangeInfo',
  depth: '/api/v3/depth',
  trades: '/api/v3/trades',
  order: '/api/v3/order',
  openOrders: '/api/v3/openOrders',
  account: '/api/v3/account',
  myTrades: '/api/v3/myTrades',
  ticker24hr: '/api/v3/ticker/24hr',
  klines: '/api/v3/klines',
} as const;

/** Combined market-stream path; append the `/`-joined stream names. */
export const BINANCE_COMBINED_STREAM_PATH = '/stream?streams=';

/**
 * Request weights (REQUEST_WEIGHT pool) of the endpoints we call. Order placement
 * and cancel cost 1 (0 when successful since 2026-04-02; budgeting 1 is safe).
 */
export const BINANCE_WEIGHTS = {
  time: 1,
  exchangeInfo: 20,
  trades: 25,
  orderPlace: 1,
  orderCancel: 1,
  orderQuery: 4,
  openOrdersOneSymbol: 6,
  openOrdersAllSymbols: 80,
  account: 20,
  myTrades: 20,
  myTradesByOrderId: 5,
  /** `ticker/24hr` with one `symbol`. */
  ticker24hr: 2,
  klines: 2,
} as const;

/** Default and maximum `limit` of `GET /api/v3/depth`. */
export const BINANCE_DEPTH_LIMIT = { default: 100, max: 5000 } as const;

/**
 * Weight of `GET /api/v3/depth` for a given `limit` (current tiers; pre-2023 tiers
 * were 1/5/10/50). Throws on a limit the server would refuse so we never spend
 * weight on a request that cannot succeed.
 */
export function depthWeight(limit: number = BINANCE_DEPTH_LIMIT.default): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > BINANCE_DEPTH_LIMIT.max) {
    throw new RangeError(`depth limit must be an integer in 1..${BINANCE_DEPTH_LIMIT.max}, got ${limit}`);
  }
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

/** One documented rate-limit window, in the shape exchangeInfo's `rateLimits` uses. */
export interface BinanceRateLimit {
  readonly rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS' | 'RAW_REQUESTS';
  /** Window length in ms. */
  readonly intervalMs: number;
  readonly limit: number;
}

/**
 * The documented limits (REQUEST_WEIGHT per IP, ORDERS per account, RAW_REQUESTS
 * per IP). exchangeInfo's `rateLimits` is authoritative when available; these are
 * the defaults before it has been read.
 */
export const BINANCE_RATE_LIMITS: readonly BinanceRateLimit[] = [
  { rateLimitType: 'REQUEST_WEIGHT', intervalMs: 60_000, limit: 6000 },
  { rateLimitType: 'ORDERS', intervalMs: 10_000, limit: 100 },
  { rateLimitType: 'ORDERS', intervalMs: 86_400_000, limit: 200_000 },
  { rateLimitType: 'RAW_REQUESTS', intervalMs: 300_000, limit: 300_000 },
];

/** Market-stream connection limits (exceeding the message rate disconnects, then bans). */
export const BINANCE_STREAM_LIMITS = {
  /** Inbound messages per second per connection (pings, pongs and JSON control frames all count). */
  maxIncomingMessagesPerSecond: 5,
  maxStreamsPerConnection: 1024,
  /** Connection attempts per IP per 5 minutes. */
  maxConnectionsPer5Min: 300,
  /** The server pings every 20 s and drops connections that have not answered for this long. */
  pongTimeoutMs: 60_000,
  serverPingIntervalMs: 20_000,
  /** Every connection is closed by the server after 24 h. */
  maxConnectionLifetimeMs: 86_400_000,
} as const;

/**
 * The market-stream limits as core's socket pool reads them: 1024 streams per
 * connection; 300 connection attempts per 5 minutes per IP; control messages at
 * 3 a second, because the server counts our ping and our pong against the same 5
 * a second; URLs kept to 8 KiB (Binance documents no URL limit: 8 KiB is what
 * common proxies pass, so a reconnect never depends on an undocumented
 * allowance), with the remaining streams subscribed by message, 200 at a time.
 */
export const BINANCE_SOCKET_LIMITS: SocketLimits = {
  maxTopicsPerConnection: BINANCE_STREAM_LIMITS.maxStreamsPerConnection,
  connectionsPerWindow: { limit: BINANCE_STREAM_LIMITS.maxConnectionsPer5Min, windowMs: 300_000 },
  messagesPerSecond: BINANCE_STREAM_LIMITS.maxIncomingMessagesPerSecond - 2,
  maxUrlLength: 8192,
  maxTopicsPerMessage: 200,
};

/**
 * Keep-alive of our sockets (market streams and the WebSocket API): client pings
 * every 10 s, well inside the 5 messages a second and often enough to prove a
 * quiet socket alive; dead after 25 s without a frame or pong, less than
 * Binance's own one-minute pong timeout, so a dead socket is `stale` within 30 s.
 */
export const BINANCE_SOCKET_TIMING: SocketTimingDefaults = {
  pingIntervalMs: 10_000,
  deadAfterMs: Math.min(25_000, BINANCE_STREAM_LIMITS.pongTimeoutMs),
};

/** `recvWindow` we send on signed requests (the server default; max 60000). */
export const BINANCE_DEFAULT_RECV_WINDOW_MS = 5000;
/** The largest `recvWindow` the server accepts. */
export const BINANCE_MAX_RECV_WINDOW_MS = 60_000;

/** Header carrying the API key on signed (and USER_STREAM) requests. */
export const BINANCE_API_KEY_HEADER = 'X-MBX-APIKEY';

/** Binance's limit on `newClientOrderId`. */
export const BINANCE_CLIENT_ORDER_ID_MAX_LENGTH = 36;
/** Characters we allow in a client order id (FIX spec: `^[a-zA-Z0-9-_]{1,36}$`). */
export const BINANCE_CLIENT_ORDER_ID_PATTERN = /^[A-Za-z0-9_-]{1,36}$/;
