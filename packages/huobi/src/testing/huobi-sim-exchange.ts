// The simulated Huobi behind every endpoint: one matching engine per symbol on a
// shared balance ledger (fees taken from what each side receives: base for
// buyers, quote for sellers), the API keys with their accounts, and Huobi's order
// rules (huobi.md §7): validation with the exchange's err-codes, placement by
// `type`, cancel by id or client order id, lookups, open orders and fills.
import BigNumber from 'bignumber.js';
import {
  SimExchangeBase,
  type AccountTrade,
  type EngineOrder,
  type MatchingEngine,
  type SimClock,
} from '@hb/testing';
import { isHuobiClientOrderId } from '../huobi-utils.js';
import type { HuobiSimAccountInput, HuobiSimSymbol } from './huobi-sim-types.js';

/** A refusal in Huobi's `{"status":"error"}` shape. */
export class HuobiSimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status of the answer (Huobi answers most errors with 200). */
    readonly httpStatus = 200,
    /** Extra fields of the error body (`order-state`). */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** One symbol with its engine. */
export interface HuobiSimMarket {
  /** The symbol's reference data; its `state` changes with {@link HuobiSimExchange.setSymbolState}. */
  info: HuobiSimSymbol;
  /** `BTC-USDT`. */
  readonly pair: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: BigNumber;
  readonly amountStep: BigNumber;
  readonly engine: MatchingEngine;
}

/** What the simulator keeps about an order placed through the API. */
export interface HuobiSimOrderMeta {
  readonly orderId: string;
  readonly apiKey: string;
  readonly accountId: number;
  readonly market: HuobiSimMarket;
  /** Huobi's `type` (`buy-limit-maker`). */
  readonly type: string;
  /** The amount field as sent (quote for a market buy). */
  readonly amount: string;
  readonly price: string | undefined;
  readonly clientOrderId: string;
  readonly createdAt: number;
  /** A limit-maker that would have taken: accepted, then cancelled without entering the book. */
  cancelledAtEntry: EngineOrder | undefined;
}

/** An API key of the simulator and its accounts. */
interface ApiAccount {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly spotAccountId: number;
  readonly otherAccountId: number;
}

/** Options of {@link HuobiSimExchange}. */
export interface HuobiSimExchangeOptions {
  readonly symbols: readonly HuobiSimSymbol[];
  readonly clock: SimClock;
  readonly fees: { readonly maker: BigNumber.Value; readonly taker: BigNumber.Value };
  /** Seed of the ids the exchange makes up. */
  readonly seed: number;
}

/** First order id: Huobi's ids are 15-digit numbers. */
const FIRST_ORDER_ID = 356_501_383_558_845;

/** Engine state -> Huobi order `state`. */
export function huobiState(order: EngineOrder, meta?: HuobiSimOrderMeta): string {
  if (meta?.cancelledAtEntry !== undefined) return 'canceled';
  switch (order.status) {
    case 'new':
      return 'submitted';
    case 'partially_filled':
      return 'partial-filled';
    case 'filled':
      return 'filled';
    case 'cancelled':
    case 'expired':
    case 'rejected':
      return order.filledAmount.gt(0) ? 'partial-canceled' : 'canceled';
  }
}

function decimals(s: string): number {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** Engine placement of each Huobi order type. */
const TYPES: Readonly<
  Record<string, { side: 'buy' | 'sell'; kind: 'limit' | 'market'; postOnly?: true; tif?: 'IOC' | 'FOK' }>
> = {
  'buy-limit': { side: 'buy', kind: 'limit' },
  'sell-limit': { side: 'sell', kind: 'limit' },
  'buy-limit-maker': { side: 'buy', kind: 'limit', postOnly: true },
  'sell-limit-maker': { side: 'sell', kind: 'limit', postOnly: true },
  'buy-market': { side: 'buy', kind: 'market' },
  'sell-market': { side: 'sell', kind: 'market' },
  'buy-ioc': { side: 'buy', kind: 'limit', tif: 'IOC' },
  'sell-ioc': { side: 'sell', kind: 'limit', tif: 'IOC' },
  'buy-limit-fok': { side: 'buy', kind: 'limit', tif: 'FOK' },
  'sell-limit-fok': { side: 'sell', kind: 'limit', tif: 'FOK' },
};

/** The exchange state and Huobi's order rules on top of the @hb/testing engine. */
export class HuobiSimExchange extends SimExchangeBase<ApiAccount> {
  readonly markets: readonly HuobiSimMarket[];
  /** Called for a limit-maker accepted and cancelled at entry (the engine never saw it rest). */
  onCancelledAtEntry: (meta: HuobiSimOrderMeta, order: EngineOrder) => void = () => undefined;

  private readonly bySymbol = new Map<string, HuobiSimMarket>();
  private readonly metas = new Map<string, HuobiSimOrderMeta>();
  private readonly clientIndex = new Map<string, Map<string, string>>();
  private nextAccountId = 100_009;
  private nextOrderId = FIRST_ORDER_ID;

  constructor(options: HuobiSimExchangeOptions) {
    super('HuobiSimulator', options);
    this.markets = options.symbols.map((info, i) => {
      const amountStep = new BigNumber(1).shiftedBy(-info.amountPrecision);
      const engine = this.createEngine(i, {
        pair: info.symbol,
        baseAsset: info.base.toUpperCase(),
        quoteAsset: info.quote.toUpperCase(),
        // Buyers pay the fee in base, sellers in quote (huobi.md §10).
        feeAssetPolicy: 'received',
        amountStep,
        orderIdFactory: () => String(this.nextOrderId++),
        // Distinct trade id ranges per symbol catch a connector keying fills by id alone.
        firstTradeId: 100_282_808_529 + i * 10_000_000,
      });
      const m: HuobiSimMarket = {
        info,
        pair: `${info.base.toUpperCase()}-${info.quote.toUpperCase()}`,
        baseAsset: info.base.toUpperCase(),
        quoteAsset: info.quote.toUpperCase(),
        tickSize: new BigNumber(1).shiftedBy(-info.pricePrecision),
        amountStep,
        engine,
      };
      this.bySymbol.set(info.symbol, m);
      return m;
    });
  }

  /** A symbol's market, or undefined. */
  market(symbol: string): HuobiSimMarket | undefined {
    return this.bySymbol.get(symbol);
  }

  /**
   * Changes a symbol's trading state (`online`, `suspend`, ...), as the exchange
   * does when it halts a market: the reference data shows it, and orders and
   * market-data subscriptions of a symbol not `online` are refused from then on.
   */
  setSymbolState(symbol: string, state: string): void {
    const m = this.bySymbol.get(symbol);
    if (m === undefined) throw new Error(`HuobiSimulator: no symbol ${symbol}`);
    m.info = { ...m.info, state };
  }

  // ------------------------------------------------------------- accounts

  /** Registers an API key with a spot account (listed after another account) and funds it. */
  createAccount(input: HuobiSimAccountInput): { apiKey: string; spotAccountId: number } {
    const account = this.accounts.register(input, () => {
      const otherAccountId = this.nextAccountId++;
      return {
        apiKey: input.apiKey,
        apiSecret: input.apiSecret,
        otherAccountId,
        spotAccountId: this.nextAccountId++,
      };
    });
    return { apiKey: account.apiKey, spotAccountId: account.spotAccountId };
  }

  /** The secret of a key, for signature checks. */
  readonly secretOf = (apiKey: string): string | undefined => this.accounts.get(apiKey)?.apiSecret;

  /** The spot account id of a key. */
  spotAccountId(apiKey: string): number {
    const a = this.accounts.get(apiKey);
    if (a === undefined) throw new Error(`HuobiSimulator: unknown key ${apiKey}`);
    return a.spotAccountId;
  }

  /** Whether `apiKey` is an API key (not an internal trader). */
  isApiKey(apiKey: string): boolean {
    return this.accounts.has(apiKey);
  }

  /** `GET /v1/account/accounts` rows: an OTC account first, then spot (it is not always first). */
  accountRows(apiKey: string): Record<string, unknown>[] {
    const a = this.accounts.get(apiKey);
    if (a === undefined) return [];
    return [
      { id: a.otherAccountId, type: 'otc', subtype: '', state: 'working' },
      { id: a.spotAccountId, type: 'spot', subtype: '', state: 'working' },
    ];
  }

  // ------------------------------------------------------------- orders

  /** The order a key placed with `clientOrderId` (the latest one: uniqueness is not enforced). */
  orderByClientOrderId(
    apiKey: string,
    clientOrderId: string,
  ): { meta: HuobiSimOrderMeta; order: EngineOrder } | undefined {
    const id = this.clientIndex.get(apiKey)?.get(clientOrderId);
    return id === undefined ? undefined : this.orderById(apiKey, id);
  }

  /** A key's order by exchange id. */
  orderById(apiKey: string, orderId: string): { meta: HuobiSimOrderMeta; order: EngineOrder } | undefined {
    const meta = this.metas.get(orderId);
    if (meta === undefined || meta.apiKey !== apiKey) return undefined;
    const order = meta.cancelledAtEntry ?? meta.market.engine.getOrder(orderId);
    return order === undefined ? undefined : { meta, order };
  }

  /** The meta of any API order (for stream pushes). */
  meta(orderId: string): HuobiSimOrderMeta | undefined {
    return this.metas.get(orderId);
  }

  /** A key's open orders (one symbol or all), newest first. */
  openOrders(apiKey: string, symbol?: string): { meta: HuobiSimOrderMeta; order: EngineOrder }[] {
    const out: { meta: HuobiSimOrderMeta; order: EngineOrder }[] = [];
    for (const m of this.markets) {
      if (symbol !== undefined && m.info.symbol !== symbol) continue;
      for (const order of m.engine.openOrders(apiKey)) {
        const meta = this.metas.get(order.orderId);
        if (meta !== undefined) out.push({ meta, order });
      }
    }
    return out.sort((a, b) => b.meta.createdAt - a.meta.createdAt);
  }

  /** The fills of one order. */
  fills(meta: HuobiSimOrderMeta): AccountTrade[] {
    return meta.market.engine.accountTrades(meta.apiKey, { orderId: meta.orderId });
  }

  /** `POST /v1/order/orders/place`: validates in the exchange's order, then places. */
  place(apiKey: string, body: Readonly<Record<string, unknown>>): string {
    const str = (k: string): string | undefined => {
      const v = body[k];
      return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
    };
    const accountId = str('account-id');
    const symbol = str('symbol');
    const type = str('type');
    const amount = str('amount');
    const price = str('price');
    const clientOrderId = str('client-order-id');
    if (accountId === undefined || symbol === undefined || type === undefined || amount === undefined)
      throw new HuobiSimError(
        'validation-constraints-required',
        'Field is missing: account-id, symbol, type or amount',
      );
    if (Number(accountId) !== this.spotAccountId(apiKey))
      throw new HuobiSimError('account-account-id-inexistent', 'The account does not exist');
    const m = this.bySymbol.get(symbol);
    if (m === undefined) throw new HuobiSimError('base-symbol-error', 'The symbol is invalid');
    if (m.info.state !== 'online')
      throw new HuobiSimError('base-symbol-trade-disabled', 'Trading is disabled for this symbol');
    const spec = TYPES[type];
    if (spec === undefined) throw new HuobiSimError('order-type-invalid', `invalid order type: ${type}`);
    if (clientOrderId !== undefined && !isHuobiClientOrderId(clientOrderId))
      throw new HuobiSimError('invalid-client-order-id', 'Invalid client order id');
    if (!DECIMAL.test(amount) || !new BigNumber(amount).gt(0))
      throw new HuobiSimError(
        'order-orderamount-precision-error',
        `order amount precision error, scale: \`${m.info.amountPrecision}\``,
      );
    const amt = new BigNumber(amount);
    const info = m.info;
    let px: BigNumber | undefined;
    if (spec.kind === 'limit') {
      if (price === undefined || !DECIMAL.test(price) || !new BigNumber(price).gt(0))
        throw new HuobiSimError('order-invalid-price', 'invalid price');
      if (decimals(price) > info.pricePrecision)
        throw new HuobiSimError(
          'order-orderprice-precision-error',
          `order price precision error, scale: \`${info.pricePrecision}\``,
        );
      px = new BigNumber(price);
      if (decimals(amount) > info.amountPrecision)
        throw new HuobiSimError(
          'order-orderamount-precision-error',
          `order amount precision error, scale: \`${info.amountPrecision}\``,
        );
      if (amt.lt(info.minOrderAmt))
        throw new HuobiSimError(
          'order-limitorder-amount-min-error',
          `limit order amount error, min: \`${new BigNumber(info.minOrderAmt).toFixed()}\``,
        );
      if (amt.gt(info.maxOrderAmt))
        throw new HuobiSimError(
          'order-limitorder-amount-max-error',
          `limit order amount error, max: \`${new BigNumber(info.maxOrderAmt).toFixed()}\``,
        );
      if (amt.times(px).lt(info.minOrderValue))
        throw new HuobiSimError(
          'order-value-min-error',
          `order total cannot be lower than: \`${new BigNumber(info.minOrderValue).toFixed()}\``,
        );
    } else if (spec.side === 'buy') {
      if (decimals(amount) > info.valuePrecision)
        throw new HuobiSimError(
          'order-orderamount-precision-error',
          `order amount precision error, scale: \`${info.valuePrecision}\``,
        );
      if (amt.lt(info.minOrderValue))
        throw new HuobiSimError(
          'order-value-min-error',
          `order total cannot be lower than: \`${new BigNumber(info.minOrderValue).toFixed()}\``,
        );
      if (amt.gt(info.buyMarketMaxOrderValue))
        throw new HuobiSimError(
          'order-marketorder-amount-max-error',
          `market order amount error, max: \`${new BigNumber(info.buyMarketMaxOrderValue).toFixed()}\``,
        );
    } else {
      if (decimals(amount) > info.amountPrecision)
        throw new HuobiSimError(
          'order-orderamount-precision-error',
          `order amount precision error, scale: \`${info.amountPrecision}\``,
        );
      if (amt.lt(info.sellMarketMinOrderAmt))
        throw new HuobiSimError(
          'order-marketorder-amount-min-error',
          `market order amount error, min: \`${new BigNumber(info.sellMarketMinOrderAmt).toFixed()}\``,
        );
    }
    // Funds are checked before anything else happens to the book.
    const holdAsset = spec.side === 'buy' ? m.quoteAsset : m.baseAsset;
    const need = spec.side === 'buy' ? (spec.kind === 'market' ? amt : amt.times(px as BigNumber)) : amt;
    if (!this.ledger.canHold(apiKey, holdAsset, need))
      throw new HuobiSimError('order-accountbalance-error', 'account balance insufficient error');

    const createdAt = this.clock.now();
    const orderId = String(this.nextOrderId);
    const meta: HuobiSimOrderMeta = {
      orderId,
      apiKey,
      accountId: this.spotAccountId(apiKey),
      market: m,
      type,
      amount,
      price,
      clientOrderId: clientOrderId ?? '',
      createdAt,
      cancelledAtEntry: undefined,
    };
    // Registered before the engine runs, so the stream pushes its events can find it.
    this.metas.set(orderId, meta);
    if (clientOrderId !== undefined) {
      let idx = this.clientIndex.get(apiKey);
      if (idx === undefined) {
        idx = new Map();
        this.clientIndex.set(apiKey, idx);
      }
      idx.set(clientOrderId, orderId);
    }
    const order = m.engine.place({
      account: apiKey,
      side: spec.side,
      type: spec.kind,
      ...(spec.kind === 'limit'
        ? { price: px, amount: amt }
        : spec.side === 'buy'
          ? { quoteAmount: amt }
          : { amount: amt }),
      ...(spec.tif === undefined ? {} : { timeInForce: spec.tif }),
      ...(spec.postOnly ? { postOnly: true } : {}),
      // Huobi keeps no client-id uniqueness since 2021; the engine's own index is not used.
      selfTradePrevention: 'none',
    });
    if (order.orderId !== orderId) throw new Error('HuobiSimulator: order id out of step with the engine');
    if (order.status === 'rejected') {
      if (order.rejectReason === 'post_only_would_take') {
        // Accepted, then cancelled without resting: the order exists and says `canceled`.
        meta.cancelledAtEntry = order;
        this.onCancelledAtEntry(meta, order);
        return orderId;
      }
      this.metas.delete(orderId);
      if (clientOrderId !== undefined) this.clientIndex.get(apiKey)?.delete(clientOrderId);
      throw new HuobiSimError('order-accountbalance-error', 'account balance insufficient error');
    }
    return orderId;
  }

  /** Cancels by exchange id: the id on success, Huobi's state error otherwise. */
  cancel(apiKey: string, orderId: string): string {
    const found = this.orderById(apiKey, orderId);
    if (found === undefined) throw new HuobiSimError('base-record-invalid', 'record invalid');
    const state = huobiState(found.order, found.meta);
    if (state !== 'submitted' && state !== 'partial-filled')
      throw new HuobiSimError('order-orderstate-error', 'Incorrect order state', 200, {
        'order-state': STATE_CODES[state] ?? -1,
      });
    found.meta.market.engine.cancel(orderId, apiKey);
    return orderId;
  }

  /**
   * `submitCancelClientOrder`: its `data` is a status code: 0 not found, 7 when
   * cancelled now; for an order already final, its state code (5, 6, 7).
   */
  cancelByClientOrderId(apiKey: string, clientOrderId: string): number {
    const found = this.orderByClientOrderId(apiKey, clientOrderId);
    if (found === undefined) return 0;
    const state = huobiState(found.order, found.meta);
    if (state !== 'submitted' && state !== 'partial-filled') return STATE_CODES[state] ?? -1;
    found.meta.market.engine.cancel(found.meta.orderId, apiKey);
    return 7;
  }
}

/** `order-state` codes of cancel answers (huobi.md §7). */
const STATE_CODES: Readonly<Record<string, number>> = {
  'partial-canceled': 5,
  filled: 6,
  canceled: 7,
  canceling: 10,
};
