import {
  credentialsFromFields,
  MarketBase,
  notImplemented,
  resolveEndpoints,
  type BalanceUpdate,
  type ConnectorCapabilities,
  type ConnectorMarketOptions,
  type InFlightOrder,
  type OpenOrder,
  type OrderUpdate,
  type PlaceOrderResult,
  type TradeUpdate,
  type TradingRulesResult,
  type UserStreamUpdate,
} from '@hb/core/connector';
import { RadarRelayApiClient } from './radar-relay-api-client.js';
import { RADAR_RELAY_EXCHANGE, RADAR_RELAY_URLS, type RadarRelayUrls } from './radar-relay-constants.js';
import { RadarRelayOrderBookDataSource } from './radar-relay-order-book-data-source.js';
import { RadarRelayOrderBookTracker } from './radar-relay-order-book-tracker.js';
import {
  RadarRelayUserStreamDataSource,
  type RadarRelayUserEvent,
} from './radar-relay-user-stream-data-source.js';
import { RadarRelayUserStreamTracker } from './radar-relay-user-stream-tracker.js';
import { RADAR_RELAY_CLIENT_ORDER_IDS } from './radar-relay-utils.js';

/**
 * What the RadarRelay connector supports, as data: the conformance suite
 * skips only what this declares unsupported, and the README table is generated
 * from it. Make it true before the first release.
 */
export const RADAR_RELAY_CAPABILITIES: ConnectorCapabilities = {
  // limit = a signed 0x order posted to the relayer; market = filled on chain against the best book orders.
  orderTypes: ['limit', 'market'],
  // The relayer publishes individual orders (by 0x order hash), not levels.
  orderBook: 'l3',
  // Radar's book events carry no sequence numbers: a dropped socket is healed by a new snapshot.
  sequencedBook: false,
  // No private stream: own orders are polled from the relayer and fills are read from chain events.
  userStream: false,
  // Cancels are on-chain transactions; cancel-all is one cancelOrdersUpTo(latest salt) transaction.
  cancelAll: 'native',
  // The exchange order id is the 0x order hash; Radar knows nothing of our client ids.
  lookupByClientOrderId: false,
  // Fees per fill are the gas of our own transactions and the 0x v3 protocol fee (Radar charged no relayer fee).
  reportsFillFees: true,
  orderExpiry: true,
};

/** How a {@link RadarRelayMarket} is built: keys `apiKey` + `apiSecret`. */
export type RadarRelayMarketOptions = ConnectorMarketOptions;

/** RadarRelay. State, events and polling are core's `MarketBase`; the hooks talk to the exchange. */
export class RadarRelayMarket extends MarketBase<RadarRelayUserEvent> {
  readonly name = RADAR_RELAY_EXCHANGE;
  readonly capabilities = RADAR_RELAY_CAPABILITIES;
  /** The raw REST client. */
  readonly api: RadarRelayApiClient;
  readonly urls: RadarRelayUrls;
  protected override readonly clientOrderIds = RADAR_RELAY_CLIENT_ORDER_IDS;

  constructor(options: RadarRelayMarketOptions) {
    super(options);
    this.urls = resolveEndpoints({ production: RADAR_RELAY_URLS }, options, (ws, base) => ({ ...base, ws }));
    this.api = new RadarRelayApiClient({
      restUrl: this.urls.rest,
      credentials: credentialsFromFields(RADAR_RELAY_EXCHANGE, options),
      timeoutMs: options.requestTimeoutMs,
    });
  }

  async fetchOpenOrders(_tradingPair?: string): Promise<OpenOrder[]> {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'fetchOpenOrders (src/radar-relay-market.ts)');
  }

  protected async fetchTradingRules(): Promise<TradingRulesResult> {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'fetchTradingRules (src/radar-relay-market.ts)');
  }

  protected async fetchBalances(): Promise<BalanceUpdate[]> {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'fetchBalances (src/radar-relay-market.ts)');
  }

  protected async sendOrder(_order: InFlightOrder): Promise<PlaceOrderResult> {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'sendOrder (src/radar-relay-market.ts)');
  }

  protected async sendCancel(_order: InFlightOrder): Promise<OrderUpdate | undefined> {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'sendCancel (src/radar-relay-market.ts)');
  }

  protected async fetchOrderStatus(_order: InFlightOrder): Promise<OrderUpdate> {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'fetchOrderStatus (src/radar-relay-market.ts)');
  }

  protected async fetchOrderTrades(_order: InFlightOrder): Promise<TradeUpdate[]> {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'fetchOrderTrades (src/radar-relay-market.ts)');
  }

  protected createOrderBookTracker(): RadarRelayOrderBookTracker {
    return new RadarRelayOrderBookTracker(new RadarRelayOrderBookDataSource(this.api), this.tradingPairs);
  }

  protected createUserStreamTracker(): RadarRelayUserStreamTracker | undefined {
    const auth = this.api.signer;
    return auth === undefined
      ? undefined
      : new RadarRelayUserStreamTracker(new RadarRelayUserStreamDataSource(auth));
  }

  protected parseUserStreamEvent(_event: RadarRelayUserEvent): UserStreamUpdate[] {
    throw notImplemented(RADAR_RELAY_EXCHANGE, 'user-stream parsing (src/radar-relay-market.ts)');
  }
}
