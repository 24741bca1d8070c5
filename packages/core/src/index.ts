// The public surface of @hb/core. Everything a connector or a user needs is
// exported here by name; nothing else in src/ is reachable from outside.
export * from './errors/hb-error.js';
export * from './orders/order-types.js';
export * from './market/trading-rule.js';
export * from './market/capabilities.js';
export * from './market/market-events.js';
export * from './order-book/order-book-message.js';
export * from './order-book/order-book-tracker-data-source.js';
export * from './user-stream/user-stream-tracker-data-source.js';
export * from './orders/in-flight-order.js';
export * from './orders/in-flight-order-tracker.js';
export * from './market/trading-rule-checks.js';
export * from './net/auth.js';
export * from './net/rate-limiter.js';
export * from './net/server-time.js';
export * from './net/rest-client.js';
export * from './net/ws-connection.js';
export * from './util/trading-pair.js';
export * from './connector.js';
export * from './market/market-base.js';
export * from './order-book/order-book.js';
export * from './order-book/sequence-rules.js';
export * from './order-book/active-order-tracker.js';
export * from './order-book/order-book-tracker.js';
export * from './user-stream/user-stream-tracker.js';
export * from './util/wire-readers.js';
export * from './util/http-headers.js';
