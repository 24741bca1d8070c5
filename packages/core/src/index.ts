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
