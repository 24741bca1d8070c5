// The public surface of @hb/core for bot authors: markets and their events,
// books, orders, errors, capabilities, credentials and the connector
// descriptor. The machinery connectors are built from (transport, sockets,
// trackers, MarketBase, wire readers) is at '@hb/core/connector'; nothing else
// in src/ is reachable from outside.
export * from './errors/hb-error.js';
export * from './errors/protocol-error.js';
export * from './orders/order-types.js';
export * from './market/trading-rule.js';
export * from './market/capabilities.js';
export * from './market/market-events.js';
export * from './order-book/order-book-message.js';
export * from './orders/in-flight-order.js';
export * from './market/trading-rule-checks.js';
export * from './net/credentials.js';
export * from './util/trading-pair.js';
export * from './connector.js';
export * from './market/market.js';
export * from './market/market-api.js';
export * from './util/async-iterables.js';
export * from './order-book/order-book.js';
export * from './market/live-status.js';
export * from './util/nonce-source.js';
