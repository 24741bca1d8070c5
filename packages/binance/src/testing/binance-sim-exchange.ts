// The simulated exchange behind every endpoint: one matching engine per symbol on a
// shared balance ledger, the API accounts, and Binance's order semantics (placement
// with its refusals, cancel by id or client id, queries). REST and the WS API are
// thin parsers in front of it.

import BigNumber from 'bignumber.js';
import {
  SimExchangeBase,
  type MatchingEngine,
  type EngineEvent,
  type EngineOrder,
  type EngineTrade,
  type SimClock,
} from '@hb/testing';
import {
  BINANCE_SIM_MSG,
  BinanceSimError,
  invalidSymbol,
  mandatoryParam,
  newOrderRejected,
  noSuchOrder,
  unknownOrder,
} from './binance-sim-errors.js';
import { checkFilters, type NewOrderSpec } from './binance-sim-orders.js';
import type { BinanceSimAccountInput, BinanceSimMarket } from './binance-sim-types.js';

/** One market of the simulator with its engine. */
export interface SimMarketState {
  readonly market: BinanceSimMarket;
  readonly engine: MatchingEngine;
}

/** A registered API account (the ledger account name is the API key). */
interface ApiAccount {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly uid: number;
}

/** Result of a placement: the order after matching and its own taker fills. */
export interface PlacedOrder {
  readonly order: EngineOrder;
  readonly fills: readonly EngineTrade[];
}

/** How a cancel or a query names the order. */
export interface OrderRef {
  readonly orderId?: number;
  readonly origClientOrderId?: string;
}

/** Options of {@link BinanceSimExchange}. */
export interface BinanceSimExchangeOptions {
  readonly markets: readonly BinanceSimMarket[];
  readonly clock: SimClock;
  readonly fees: { readonly maker: BigNumber.Value; readonly taker: BigNumber.Value };
  readonly seed: number;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The exchange state and Binance's order rules on top of the @hb/testing engine. */
export class BinanceSimExchange extends SimExchangeBase<ApiAccount> {
  readonly markets: readonly SimMarketState[];

  private readonly bySymbol = new Map<string, SimMarketState>();
  private readonly byPair = new Map<string, SimMarketState>();
  private readonly cancelIds = new Map<string, string>();
  private capture: EngineEvent[] | undefined;
  private nextUid = 354_937_001;

  constructor(options: BinanceSimExchangeOptions) {
    super('BinanceSimulator', options);
    this.markets = options.markets.map((market, i) => {
      // The synthetic traders' orders are 1..n x 10 steps.
      const activityStepSize = new BigNumber(market.stepSize).times(10);
      const engine = this.listMarket(
        i,
        { ...market, id: market.symbol, activityStepSize },
        {
          feeAssetPolicy: 'received',
          amountStep: market.stepSize,
          // Distinct order-id ranges per symbol (trade ids too, by default) catch a
          // connector keying orders by id alone.
          firstOrderNumber: (i + 1) * 1_000_000 + 1,
        },
      );
      const state = { market, engine };
      this.bySymbol.set(market.symbol, state);
      this.byPair.set(market.pair, state);
      engine.events$.subscribe((ev) => this.capture?.push(ev));
      return state;
    });
  }

  /** A market by exchange symbol (`BTCUSDT`) or pair (`BTC-USDT`). */
  market(symbolOrPair: string): SimMarketState | undefined {
    return this.bySymbol.get(symbolOrPair) ?? this.byPair.get(symbolOrPair);
  }

  /** The market named by a `symbol` parameter (-1102 when missing, -1121 when unknown). */
  requireSymbol(symbol: string | undefined): SimMarketState {
    if (symbol === undefined || symbol === '') throw mandatoryParam('symbol');
    const m = this.bySymbol.get(symbol);
    if (m === undefined) throw invalidSymbol();
    return m;
  }

  // ------------------------------------------------------------- accounts

  /** Registers an API account and deposits its balances. */
  createAccount(input: BinanceSimAccountInput): { apiKey: string; uid: number } {
    const acct = this.accounts.register(input, () => ({
      apiKey: input.apiKey,
      apiSecret: input.apiSecret,
      uid: this.nextUid++,
    }));
    return { apiKey: acct.apiKey, uid: acct.uid };
  }

  /** The secret of an API key (for signature checks), undefined when unknown. */
  readonly secretFor = (apiKey: string): string | undefined => this.accounts.get(apiKey)?.apiSecret;

  /** True for a registered API account (as opposed to an internal trader). */
  isApiAccount(account: string): boolean {
    return this.accounts.has(account);
  }

  /** Binance's `uid` of an API account. */
  uidOf(apiKey: string): number {
    return this.accounts.get(apiKey)?.uid ?? 0;
  }

  /** API keys of all registered accounts. */
  apiKeys(): string[] {
    return this.accounts.keys();
  }

  /** A 22-character id like Binance's generated client order ids (deterministic per seed). */
  generateClientOrderId(): string {
    let s = '';
    for (let i = 0; i < 22; i++) s += ID_ALPHABET[this.prng.int(0, ID_ALPHABET.length - 1)];
    return s;
  }

  // ------------------------------------------------------------- orders

  /**
   * Places an order for `account` after Binance's checks: market status, filters,
   * then the engine's refusals mapped to -2010 with Binance's messages.
   */
  placeOrder(account: string, m: SimMarketState, spec: NewOrderSpec): PlacedOrder {
    if (m.market.status !== 'TRADING') throw newOrderRejected('Market is closed.');
    const engine = m.engine;
    checkFilters(spec, m.market, {
      openOrders: engine.openOrders(account).length,
      referencePrice: referencePrice(engine),
    });
    const clientOrderId = spec.newClientOrderId ?? this.generateClientOrderId();
    const base = { account, side: spec.side, clientOrderId } as const;
    this.capture = [];
    let order: EngineOrder;
    let events: EngineEvent[];
    try {
      switch (spec.type) {
        case 'LIMIT':
          order = engine.place({
            ...base,
            type: 'limit',
            price: spec.price,
            amount: spec.quantity,
            timeInForce: spec.timeInForce,
          });
          break;
        case 'LIMIT_MAKER':
          order = engine.place({
            ...base,
            type: 'limit',
            price: spec.price,
            amount: spec.quantity,
            postOnly: true,
          });
          break;
        case 'MARKET':
          order =
            spec.quoteOrderQty !== undefined
              ? engine.place({ ...base, type: 'market', quoteAmount: spec.quoteOrderQty })
              : engine.place({ ...base, type: 'market', amount: spec.quantity });
          break;
      }
    } finally {
      events = this.capture;
      this.capture = undefined;
    }
    if (order.status === 'rejected') {
      switch (order.rejectReason) {
        case 'duplicate_client_order_id':
          throw newOrderRejected(BINANCE_SIM_MSG.duplicateOrder);
        case 'post_only_would_take':
          throw newOrderRejected(BINANCE_SIM_MSG.wouldTake);
        default:
          throw newOrderRejected(BINANCE_SIM_MSG.insufficientBalance);
      }
    }
    const fills: EngineTrade[] = [];
    for (const ev of events) {
      if (
        (ev.type === 'order_filled' || ev.type === 'order_partially_filled') &&
        !ev.isMaker &&
        ev.order.orderId === order.orderId
      ) {
        fills.push(ev.trade);
      }
    }
    return { order, fills };
  }

  /** The account's order named by id and/or client id, or undefined. */
  findOrder(account: string, m: SimMarketState, ref: OrderRef): EngineOrder | undefined {
    if (ref.orderId !== undefined) {
      const o = m.engine.getOrder(String(ref.orderId));
      if (o === undefined || o.account !== account) return undefined;
      // With both given, the order found by id must carry that client id.
      if (ref.origClientOrderId !== undefined && o.clientOrderId !== ref.origClientOrderId) return undefined;
      return o;
    }
    if (ref.origClientOrderId !== undefined)
      return m.engine.getOrderByClientOrderId(account, ref.origClientOrderId);
    return undefined;
  }

  /** `GET /api/v3/order`: -2013 when the account has no such order. */
  queryOrder(account: string, m: SimMarketState, ref: OrderRef): EngineOrder {
    const o = this.findOrder(account, m, ref);
    if (o === undefined) throw noSuchOrder();
    return o;
  }

  /**
   * Cancels an open order (-2011 when unknown or already finished). The cancel gets
   * its own client id (`newClientOrderId` or a generated one): Binance reports it as
   * `clientOrderId` of the answer and `c` of the CANCELED executionReport.
   */
  cancelOrder(
    account: string,
    m: SimMarketState,
    ref: OrderRef,
    newClientOrderId?: string,
    cancelRestrictions?: string,
  ): { order: EngineOrder; cancelId: string } {
    const o = this.findOrder(account, m, ref);
    if (o === undefined || (o.status !== 'new' && o.status !== 'partially_filled')) throw unknownOrder();
    if (
      (cancelRestrictions === 'ONLY_NEW' && o.status !== 'new') ||
      (cancelRestrictions === 'ONLY_PARTIALLY_FILLED' && o.status !== 'partially_filled')
    ) {
      throw new BinanceSimError(-2011, 'Order was not canceled due to cancel restrictions.');
    }
    const cancelId = newClientOrderId ?? this.generateClientOrderId();
    const key = `${m.market.symbol}:${o.orderId}`;
    this.cancelIds.set(key, cancelId);
    try {
      const cancelled = m.engine.cancel(o.orderId, account);
      if (cancelled === undefined) throw unknownOrder();
      return { order: cancelled, cancelId };
    } finally {
      this.cancelIds.delete(key);
    }
  }

  /** Cancels all the account's open orders on a symbol; -2011 when there are none. */
  cancelAll(account: string, m: SimMarketState): { order: EngineOrder; cancelId: string }[] {
    const open = m.engine.openOrders(account);
    if (open.length === 0) throw unknownOrder();
    return open.map((o) => this.cancelOrder(account, m, { orderId: Number(o.orderId) }));
  }

  /** The client id of the cancel request being executed for this order, if any. */
  cancelIdFor(symbol: string, orderId: string): string | undefined {
    return this.cancelIds.get(`${symbol}:${orderId}`);
  }

  /** The account's order with this client id on any market (open or retained), with its market. */
  findByClientOrderId(
    account: string,
    clientOrderId: string,
  ): { market: SimMarketState; order: EngineOrder } | undefined {
    for (const m of this.markets) {
      const order = m.engine.getOrderByClientOrderId(account, clientOrderId);
      if (order !== undefined) return { market: m, order };
    }
    return undefined;
  }
}

/** The price a MARKET order's notional is judged at: last trade, else mid, else none. */
function referencePrice(engine: MatchingEngine): BigNumber | undefined {
  if (engine.lastTradePrice !== undefined) return engine.lastTradePrice;
  const bid = engine.bestBid();
  const ask = engine.bestAsk();
  if (bid !== undefined && ask !== undefined) return bid.plus(ask).div(2);
  return bid ?? ask;
}
