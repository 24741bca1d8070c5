// What most centralized exchanges offer a connector, as the base each CEX
// connector's capabilities spread: the connector then states only what is
// particular to its exchange (its book, how cancel-all works and why, the market
// data it serves) and overrides any default its exchange does not meet.
import type { ConnectorCapabilities } from '../market/capabilities.js';

/**
 * The defaults of a centralized order-book exchange with a private user stream:
 * limit, post-only (`limit_maker`) and market orders; book messages with
 * sequence numbers; orders looked up by our client order id; the fee of every
 * fill reported. Not here, because exchanges differ in them and a connector must
 * say them itself: `orderBook`, `cancelAll` and `marketData`.
 */
export const CEX_CAPABILITY_DEFAULTS: Pick<
  ConnectorCapabilities,
  'orderTypes' | 'sequencedBook' | 'userStream' | 'lookupByClientOrderId' | 'reportsFillFees'
> = {
  orderTypes: ['limit', 'limit_maker', 'market'],
  sequencedBook: true,
  userStream: true,
  lookupByClientOrderId: true,
  reportsFillFees: true,
};
