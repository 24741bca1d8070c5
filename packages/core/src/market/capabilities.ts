import type { OrderType } from '../orders/order-types.js';
import type { MarketDataKind } from './market-api.js';

/**
 * What a connector supports, as data. The conformance suite and each README's
 * capability table read it, so it must tell the truth.
 */
export interface ConnectorCapabilities {
  /** Order types `buy`/`sell` accept. */
  readonly orderTypes: readonly OrderType[];
  /** How the public book is kept: price levels (`l2`) or individual orders (`l3`). */
  readonly orderBook: 'l2' | 'l3';
  /** Whether the exchange's book messages carry sequence numbers that gaps are checked against. */
  readonly sequencedBook: boolean;
  /** Whether a private user stream exists (otherwise orders and balances are polled). */
  readonly userStream: boolean;
  /** Whether cancel-all is one exchange call (`native`) or one cancel per order (`emulated`). */
  readonly cancelAll: 'native' | 'emulated';
  /** Whether orders can be looked up by our client order id. */
  readonly lookupByClientOrderId: boolean;
  /** Whether the exchange reports the fee charged per fill. */
  readonly reportsFillFees: boolean;
  /** REST market data the connector serves (`getTicker`, ...); none when absent. */
  readonly marketData?: readonly MarketDataKind[];
  /** Whether orders accept an expiry (`OrderOptions.expiresAt`; 0x orders carry one). Absent means no. */
  readonly orderExpiry?: boolean;
}
