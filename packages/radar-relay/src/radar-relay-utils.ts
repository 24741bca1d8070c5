// Names and ids on the RadarRelay wire: exchange symbol <-> `BASE-QUOTE`,
// the client-order-id policy, and the JSON readers every parser uses.
import { createWireReaders, prefixedClientOrderIds, type ClientOrderIdPolicy } from '@hb/core/connector';
import { RADAR_RELAY_EXCHANGE } from './radar-relay-constants.js';

/** Core's JSON readers, bound to RadarRelay so every parse error names the exchange. */
export const { malformed, asObject, asArray, readString, readDecimal } =
  createWireReaders(RADAR_RELAY_EXCHANGE);

/**
 * RadarRelay's client-order-id policy (check the exchange's own limit on
 * length and characters, and change the pattern to it).
 */
export const RADAR_RELAY_CLIENT_ORDER_IDS: ClientOrderIdPolicy = prefixedClientOrderIds({
  exchange: RADAR_RELAY_EXCHANGE,
  pattern: /^[A-Za-z0-9_-]{1,32}$/,
  describe: '1-32 characters of [A-Za-z0-9_-]',
});
