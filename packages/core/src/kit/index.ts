// @hb/core/connector: the entry for connector authors. It holds the machinery
// every exchange package builds on (transport, signing, sockets, symbol maps,
// trackers, the MarketBase hooks); the main `@hb/core` entry keeps what a bot
// author uses, and is re-exported here whole, so a connector imports from
// this one entry; a bot never needs it.
export * from '../index.js';
export * from './credentials.js';
export * from './endpoints.js';
export * from './market-options.js';
export * from './error-classifier.js';
export * from './exchange-api-client.js';
export * from './symbol-map.js';
export * from './client-order-ids.js';
export * from './ping-pong.js';
export * from './capability-table.js';
export * from './cex-capabilities.js';
export * from './open-orders.js';
export * from './not-implemented.js';
export * from './order-params.js';
export * from './socket-timing.js';
export * from '../net/auth.js';
export * from '../net/rate-limiter.js';
export * from '../net/server-time.js';
export * from '../net/rest-client.js';
export * from '../net/ws-connection.js';
export * from '../net/subscription-socket.js';
export * from '../util/wire-readers.js';
export * from '../util/http-headers.js';
export * from '../util/trading-pair.js';
export * from '../order-book/order-book-message.js';
export * from '../order-book/order-book-tracker-data-source.js';
export * from '../order-book/sequence-rules.js';
export * from '../order-book/active-order-tracker.js';
export * from '../order-book/order-book-tracker.js';
export * from '../user-stream/user-stream-tracker-data-source.js';
export * from '../user-stream/user-stream-tracker.js';
export * from '../user-stream/user-stream-socket.js';
export * from '../market/market-base.js';
export * from '../orders/in-flight-order-tracker.js';
