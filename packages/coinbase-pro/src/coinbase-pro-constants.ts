// Coinbase Exchange (formerly Coinbase Pro) endpoints, limits and wire rules, as
// documented in shared/exchanges/coinbase-pro.md (§2 URLs, §5 WebSocket, §6 auth,
// §7 orders, §9 rate limits). Everything a request builder, signer or rate
// limiter needs to know about the venue lives here, so a documentation change is
// a one-file change.

import type { RateCosts, SocketLimits, SocketTimingDefaults, TokenBucketRateLimit } from '@hb/core/connector';

/** The exchange name carried by every HbError this package raises. */
export const COINBASE_PRO_EXCHANGE = 'coinbase-pro';

/** Base URLs of one Coinbase environment. */
export interface CoinbaseProUrls {
  /** REST base (paths below are appended as-is). */
  readonly rest: string;
  /** WebSocket market feed (`full`, `level2_batch`, `matches`, `heartbeat`, `user`...). */
  readonly ws: string;
}

/** Production Coinbase Exchange (the live successor of Coinbase Pro's API). */
export const COINBASE_PRO_URLS: CoinbaseProUrls = {
  rest: 'https://api.exchange.coinbase.com',
  ws: 'wss://ws-feed.exchange.coinbase.com',
};

/** Coinbase Exchange sandbox (same paths and frames, play money). */
export const COINBASE_PRO_SANDBOX_URLS: CoinbaseProUrls = {
  rest: 'https://api-public.sandbox.exchange.coinbase.com',
  ws: 'wss://ws-feed-public.sandbox.exchange.coinbase.com',
};

/**
 * The legacy Coinbase Pro hosts Hummingbot used until 2024; whether they still
 * answer is unconfirmed, so they are opt-in only.
 */
export const COINBASE_PRO_LEGACY_URLS: CoinbaseProUrls = {
  rest: 'https://api.pro.coinbase.com',
  ws: 'wss://ws-feed.pro.coinbase.com',
};

/** The legacy Coinbase Pro sandbox hosts. */
export const COINBASE_PRO_LEGACY_SANDBOX_URLS: CoinbaseProUrls = {
  rest: 'https://api-public.sandbox.pro.coinbase.com',
  ws: 'wss://ws-feed-public.sandbox.pro.coinbase.com',
};

/**
 * REST paths we call. URLs are case-sensitive and lowercase. Product and order
 * ids are placed in the path verbatim: product ids are `[A-Z0-9-]` and order ids
 * UUIDs, neither of which needs escaping (and the signature covers the raw path).
 */
export const COINBASE_PRO_PATHS = {
  time: '/time',
  products: '/products',
  book: (productId: string): string => `/products/${productId}/book`,
  trades: (productId: string): string => `/products/${productId}/trades`,
  ticker: (productId: string): string => `/products/${productId}/ticker`,
  stats: (productId: string): string => `/products/${productId}/stats`,
  candles: (productId: string): string => `/products/${productId}/candles`,
  orders: '/orders',
  /** One order by our client_oid: what survives an unknown placement outcome. */
  orderByClientOid: (clientOid: string): string => `/orders/client:${clientOid}`,
  fills: '/fills',
  accounts: '/accounts',
  fees: '/fees',
  /** Signed (never called) to authenticate a WebSocket subscription. */
  usersSelfVerify: '/users/self/verify',
} as const;

/** Order book detail levels of `GET /products/{id}/book?level=N`. */
export const COINBASE_PRO_BOOK_LEVEL = {
  /** Best bid and ask only. */
  best: 1,
  /** Aggregated price levels `[price, size, num_orders]`. */
  aggregated: 2,
  /** Every resting order `[price, size, order_id]`; do not poll it. */
  full: 3,
} as const;

// ------------------------------------------------------------ rate limits ----

/** Limit ids our token buckets charge. */
export const COINBASE_PRO_LIMIT_IDS = {
  /** Unauthenticated REST, per IP. */
  public: 'PUBLIC',
  /** Authenticated REST, per profile. */
  private: 'PRIVATE',
  /** `GET /fills`, which has its own bucket. */
  fills: 'FILLS',
} as const;

/**
 * The 2025 Coinbase Exchange limits (lazy-fill token buckets: refill at the
 * rate, capacity = burst). Exceeding one answers HTTP 429; no usage headers are
 * documented, so these buckets are all the client has to go by.
 */
export const COINBASE_PRO_RATE_LIMITS: readonly TokenBucketRateLimit[] = [
  { kind: 'token_bucket', id: COINBASE_PRO_LIMIT_IDS.public, ratePerSecond: 10, burst: 15 },
  { kind: 'token_bucket', id: COINBASE_PRO_LIMIT_IDS.private, ratePerSecond: 15, burst: 30 },
  { kind: 'token_bucket', id: COINBASE_PRO_LIMIT_IDS.fills, ratePerSecond: 10, burst: 20 },
];

/**
 * What one call costs. Whether `/fills` also draws on the private bucket is not
 * documented; charging both can only make us slower, never get us a 429.
 */
export const COINBASE_PRO_COSTS: {
  readonly public: RateCosts;
  readonly private: RateCosts;
  readonly fills: RateCosts;
} = {
  public: { [COINBASE_PRO_LIMIT_IDS.public]: 1 },
  private: { [COINBASE_PRO_LIMIT_IDS.private]: 1 },
  fills: { [COINBASE_PRO_LIMIT_IDS.private]: 1, [COINBASE_PRO_LIMIT_IDS.fills]: 1 },
};

/** WebSocket limits of the 2025 docs. */
export const COINBASE_PRO_WS_LIMITS = {
  /** Connection attempts per second per IP (burst 20). */
  connectionsPerSecond: 8,
  connectionBurst: 20,
  /**
   * Client messages per second per IP. The overview page says 100, the
   * rate-limit page 10 (burst 1000); we keep to the lower figure.
   */
  inboundMessagesPerSecond: 10,
  /** Subscriptions per product per channel per account. */
  maxSubscriptionsPerProductChannel: 10,
} as const;

/**
 * The feed limits as core's socket pool reads them: connection attempts at 8 a
 * second, client messages at 10 a second. Coinbase documents no limit of
 * products per connection, so one connection carries them all.
 */
export const COINBASE_PRO_SOCKET_LIMITS: SocketLimits = {
  connectionsPerWindow: { limit: COINBASE_PRO_WS_LIMITS.connectionsPerSecond, windowMs: 1000 },
  messagesPerSecond: COINBASE_PRO_WS_LIMITS.inboundMessagesPerSecond,
};

/**
 * Keep-alive of our feed sockets: heartbeats come every second per product, so
 * 10 s without a frame means a dead socket; a WebSocket ping every 5 s (Coinbase
 * answers them) proves a quiet one alive.
 */
export const COINBASE_PRO_SOCKET_TIMING: SocketTimingDefaults = {
  pingIntervalMs: 5_000,
  deadAfterMs: 10_000,
};

// ------------------------------------------------------------ pagination ----

/**
 * Cursor pagination (`before` / `after` query params, `CB-BEFORE` / `CB-AFTER`
 * response headers; `after` = the older page). The 2025 docs allow up to 1000
 * per page, the old Pro docs 100: we always send 100, which both accept.
 */
export const COINBASE_PRO_PAGINATION = {
  defaultLimit: 100,
  maxLimit: 1000,
  legacyMaxLimit: 100,
  beforeHeader: 'CB-BEFORE',
  afterHeader: 'CB-AFTER',
} as const;

// ---------------------------------------------------------------- auth ----

/** Headers of a signed REST request. */
export const COINBASE_PRO_HEADERS = {
  key: 'CB-ACCESS-KEY',
  sign: 'CB-ACCESS-SIGN',
  timestamp: 'CB-ACCESS-TIMESTAMP',
  passphrase: 'CB-ACCESS-PASSPHRASE',
} as const;

// ------------------------------------------------------------- WebSocket ----

/** Feed channels we use. `level2`, `full` and `user` need authentication (2025 docs). */
export const COINBASE_PRO_CHANNELS = {
  heartbeat: 'heartbeat',
  matches: 'matches',
  full: 'full',
  level2: 'level2',
  /** Public 50 ms batches of `level2`. */
  level2Batch: 'level2_batch',
  user: 'user',
  ticker: 'ticker',
  status: 'status',
} as const;

// ---------------------------------------------------------------- orders ----

/** The statuses an open-orders query asks for (also the server's default set). */
export const COINBASE_PRO_OPEN_ORDER_STATUSES = ['open', 'pending', 'active'] as const;
