// The public surface of @hb/zero-ex: the 0x v2.1 / v3 pieces every 0x relayer
// connector (Radar Relay, Bamboo Relay) shares. The agreed API is listed in the
// README; everything else in src/ is internal.
export * from './zero-ex-errors.js';
export * from './order.js';
export * from './asset-data.js';
export * from './eip712.js';
export * from './signature.js';
export * from './sra-json.js';
export * from './revert-errors.js';
export * from './exchange-abi.js';
export * from './events.js';
export * from './zero-ex-exchange.js';
export * from './active-order-tracker.js';
export * from './sra-client.js';
export * from './order-math.js';
