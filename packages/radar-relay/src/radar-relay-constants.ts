// Radar Relay endpoints, paths and limits, as documented in
// shared/exchanges/radar-relay.md (§2-§9). Everything a request builder or rate
// limiter needs to know about the venue lives here, so a documentation change is
// a one-file change. Radar Relay shut down around 2021: these are the last known
// production values, kept so the connector is complete against its simulator.
import type { RateLimitRule, SocketTimingDefaults } from '@hb/core/connector';

/** The exchange name carried by every HbError this package raises. */
export const RADAR_RELAY_EXCHANGE = 'radar-relay';

/** Base URLs of one Radar Relay environment. */
export interface RadarRelayUrls {
  /** REST host (the `/v3/...` paths are appended as-is). */
  readonly rest: string;
  /** WebSocket URL of the v3 feed. */
  readonly ws: string;
}

/** Radar's v3 API (0x v3 orders), as it ran in 2020. */
export const RADAR_RELAY_URLS: RadarRelayUrls = {
  rest: 'https://api.radarrelay.com',
  ws: 'wss://ws.radarrelay.com/v3',
};

/** The WebSocket path appended to a `wsUrl` override (a host, as for the other connectors). */
export const RADAR_RELAY_WS_PATH = '/v3';

/** Mainnet contracts of Radar's v3 API (radar-relay.md §2, zero-ex.md §2). */
/**
 * Keep-alive of the BOOK socket. Radar defined no server heartbeat and a quiet
 * market sends nothing, so the client's text `ping` (answered `pong`) is what
 * proves the socket alive: one every 10 s, and a socket with no frame and no
 * pong for 20 s (two pings unanswered) is dropped, its books `stale` well
 * within 30 s, then reopened and re-synced.
 */
export const RADAR_RELAY_SOCKET_TIMING: SocketTimingDefaults = {
  pingIntervalMs: 10_000,
  deadAfterMs: 20_000,
};

export const RADAR_RELAY_MAINNET = {
  chainId: 1,
  exchange: '0x61935cbdd02287b511119ddb11aeb42f1593b7ef',
  erc20Proxy: '0x95e6f48254609a6ee006f7d493c8e5fb97094cef',
} as const;

/** REST paths we call (v3 API). */
export const RADAR_RELAY_PATHS = {
  tokens: '/v3/tokens',
  markets: '/v3/markets',
  market: (id: string) => `/v3/markets/${encodeURIComponent(id)}`,
  book: (id: string) => `/v3/markets/${encodeURIComponent(id)}/book`,
  limitOrder: (id: string) => `/v3/markets/${encodeURIComponent(id)}/order/limit`,
  marketOrder: (id: string) => `/v3/markets/${encodeURIComponent(id)}/order/market`,
  /** POST a signed order. */
  orders: '/v3/orders',
  order: (hash: string) => `/v3/orders/${hash}`,
  accountOrders: (address: string) => `/v3/accounts/${address.toLowerCase()}/orders`,
  accountFills: (address: string) => `/v3/accounts/${address.toLowerCase()}/fills`,
} as const;

/**
 * Radar's documented limits: Feed API 120 requests/min per IP, Trade API 2
 * requests/s per IP (§2). The windows are kept 10 % longer here: the relayer
 * counts arrivals on its clock, and two requests sent exactly a window apart can
 * arrive less than a window apart (a 429 fails an order placement).
 */
export const RADAR_RELAY_RATE_LIMITS: readonly RateLimitRule[] = [
  { id: 'FEED', limit: 120, intervalMs: 66_000, kind: 'sliding_window' },
  { id: 'TRADE', limit: 2, intervalMs: 1_100, kind: 'sliding_window' },
];

/** Rate costs per call kind. */
export const RADAR_RELAY_COSTS = {
  feed: { FEED: 1 },
  trade: { TRADE: 1 },
} as const;

/** Orders per page of the account lists (the simulator caps at 100, like SRA). */
export const RADAR_RELAY_PAGE_SIZE = 100;

/** The v3 protocol fee multiplier (zero-ex.md §7): fee per filled order = gas price × 150 000. */
export const ZERO_EX_V3_PROTOCOL_FEE_MULTIPLIER = 150_000n;

/** Default lifetime of a maker order without an explicit expiry (Radar required an expiration). */
export const RADAR_RELAY_DEFAULT_ORDER_TTL_MS = 24 * 60 * 60 * 1000;
