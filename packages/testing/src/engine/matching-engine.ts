import BigNumber from 'bignumber.js';
import { HbError } from '@hb/core';
import { Observable, Subject } from 'rxjs';
import type { Clock } from '../clock/sim-clock.js';
import type { BalanceLedger } from './balance-ledger.js';
import { BookSideLevels, type PriceLevel } from './book-side.js';
import type {
  BookOrder,
  BookSide,
  BookSnapshot,
  CancelReason,
  EngineEvent,
  EngineFee,
  EngineOrder,
  EngineOrderStatus,
  EngineOrderType,
  EngineSide,
  EngineTrade,
  ExpireReason,
  FeeAssetPolicy,
  PlaceOrderRequest,
  RejectReason,
  SelfTradePrevention,
  TimeInForce,
} from './engine-types.js';
import { FeeSchedule } from './fee-schedule.js';

/** Options for {@link MatchingEngine}. */
export interface MatchingEngineOptions {
  /** The pair's name as the simulator wants it in events (`BTC-USDT`, `BTCUSDT`, ...). */
  readonly pair: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /**
   * Balances to hold, release and settle against. Without a ledger the engine matches
   * without any balance check (pure book tests).
   */
  readonly ledger?: BalanceLedger;
  /** Fee rates per account (zero fees when omitted). */
  readonly fees?: FeeSchedule;
  /** Which asset fees are charged in; default `received`. */
  readonly feeAssetPolicy?: FeeAssetPolicy;
  /** Time source for every timestamp; default `Date.now`. */
  readonly clock?: Clock;
  /** Default self-trade prevention for taker orders; default `expire_maker`. */
  readonly selfTradePrevention?: SelfTradePrevention;
  /**
   * Base amount granularity used when a market order given by quote amount is turned
   * into base amounts (amounts are floored to a multiple); default 0.00000001.
   */
  readonly amountStep?: BigNumber.Value;
  /** First trade id; default 1. */
  readonly firstTradeId?: number;
  /** First order number fed to `orderIdFactory`; default 1. */
  readonly firstOrderNumber?: number;
  /** Turns the order number into the order id; default `String(n)`. Coinbase simulators give UUIDs. */
  readonly orderIdFactory?: (n: number) => string;
  /**
   * How many finished orders of each account stay queryable; default 10 000 (the
   * account's oldest forgotten first). Per account, as an exchange keeps every
   * account's order history: other traders' churn must not make our orders
   * unknown (a lookup would answer "not found" for an order that exists).
   */
  readonly retainClosedOrders?: number;
  /**
   * How many trades stay in the public history, and in each account's own
   * history (`accountTrades`); default 10 000.
   */
  readonly retainTrades?: number;
}

/** Filter for {@link MatchingEngine.accountTrades}. */
export interface AccountTradesQuery {
  /** Only fills of this order. */
  readonly orderId?: string;
  /** Only trades with an id >= this. */
  readonly fromId?: number;
  /** At most this many (the oldest matching first); default all retained. */
  readonly limit?: number;
}

/** A trade seen from one account's side (Binance `myTrades`). */
export interface AccountTrade {
  readonly trade: EngineTrade;
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly side: EngineSide;
  readonly isMaker: boolean;
  readonly fee: EngineFee;
}

interface Order {
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly account: string;
  readonly side: EngineSide;
  readonly type: EngineOrderType;
  readonly timeInForce: TimeInForce;
  readonly postOnly: boolean;
  readonly stp: SelfTradePrevention;
  readonly price: BigNumber | undefined;
  readonly amount: BigNumber | undefined;
  readonly quoteAmount: BigNumber | undefined;
  /** Fee rates fixed at placement, so the hold taken then always covers the fees. */
  readonly makerRate: BigNumber;
  readonly takerRate: BigNumber;
  remaining: BigNumber;
  /** Market-by-quote orders: quote still to spend (buy) or receive (sell). */
  quoteRemaining: BigNumber | undefined;
  filledAmount: BigNumber;
  filledQuote: BigNumber;
  feePaid: BigNumber;
  feeAsset: string | undefined;
  status: EngineOrderStatus;
  onBook: boolean;
  rejectReason: RejectReason | undefined;
  expireReason: ExpireReason | undefined;
  readonly createdAt: number;
  updatedAt: number;
  fillCount: number;
  /** Asset and amount still locked in the ledger for this order. */
  readonly holdAsset: string;
  holdLeft: BigNumber;
}

/** What a taker may still take: by base amount or, for market-by-quote, by quote. */
interface TakeBudget {
  base?: BigNumber;
  quote?: BigNumber;
}

const ZERO = new BigNumber(0);
const MAX_MATCH_STEPS = 1_000_000;

/**
 * A single pair's exchange: an order book with price-time priority, limit / market /
 * post-only / IOC / FOK orders, partial fills, cancels, self-trade prevention, fees,
 * and balance holds and settlement through a {@link BalanceLedger}. Every price and
 * amount is an exact BigNumber. Simulators turn its events into their exchange's
 * frames; tests read its true book to check a connector's view of it.
 */
export class MatchingEngine {
  /** The pair's name as given in the options. */
  readonly pair: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;

  private readonly ledger: BalanceLedger | undefined;
  private readonly fees: FeeSchedule;
  private readonly feePolicy: FeeAssetPolicy;
  private readonly clock: Clock;
  private readonly defaultStp: SelfTradePrevention;
  private readonly amountStep: BigNumber;
  private readonly orderIdFactory: (n: number) => string;
  private readonly retainClosed: number;
  private readonly retainTrades: number;

  private readonly bids = new BookSideLevels<Order>('bid');
  private readonly asks = new BookSideLevels<Order>('ask');
  private readonly orders = new Map<string, Order>();
  private readonly openOrdersById = new Map<string, Order>();
  private readonly clientIndex = new Map<string, Map<string, string>>();
  /** Finished order ids per account, oldest first. */
  private readonly closedByAccount = new Map<string, string[]>();
  private readonly tradeHistory: EngineTrade[] = [];
  /** Each account's trades, oldest first (a self-trade once). */
  private readonly tradesByAccount = new Map<string, EngineTrade[]>();

  private nextTradeId: number;
  private nextOrderNumber: number;
  private eventSeq = 0;
  private bookSeq = 0;
  private lastPrice: BigNumber | undefined;

  private readonly pending: EngineEvent[] = [];
  private depth = 0;
  private flushing = false;
  private readonly subject = new Subject<EngineEvent>();

  /**
   * Every engine event, synchronously, in order. Events of one engine call are
   * delivered once that call has finished (see {@link EngineEvent}).
   */
  readonly events$: Observable<EngineEvent> = this.subject.asObservable();

  constructor(options: MatchingEngineOptions) {
    this.pair = options.pair;
    this.baseAsset = options.baseAsset;
    this.quoteAsset = options.quoteAsset;
    this.ledger = options.ledger;
    this.fees = options.fees ?? new FeeSchedule();
    this.feePolicy = options.feeAssetPolicy ?? 'received';
    this.clock = options.clock ?? { now: () => Date.now() };
    this.defaultStp = options.selfTradePrevention ?? 'expire_maker';
    this.amountStep = new BigNumber(options.amountStep ?? '0.00000001');
    if (!this.amountStep.gt(0)) throw new HbError('invalid_order', 'amountStep must be > 0');
    this.nextTradeId = options.firstTradeId ?? 1;
    this.nextOrderNumber = options.firstOrderNumber ?? 1;
    this.orderIdFactory = options.orderIdFactory ?? ((n) => String(n));
    this.retainClosed = options.retainClosedOrders ?? 10_000;
    this.retainTrades = options.retainTrades ?? 10_000;
  }

  // ---------------------------------------------------------------- orders

  /**
   * Places an order and matches it at once. Business refusals (post-only would take,
   * insufficient balance, duplicate client order id) come back as an order with
   * status `rejected` and an `order_rejected` event; malformed requests (missing
   * price, non-positive amount, bad combination) throw `HbError('invalid_order')`,
   * since a simulator should have refused them by its exchange's own rules first.
   */
  place(request: PlaceOrderRequest): EngineOrder {
    return this.run(() => this.placeInner(request));
  }

  /**
   * Cancels an open order. With `account`, only that account's order. Returns the
   * cancelled order, or undefined when no such open order exists (unknown, finished,
   * or another account's).
   */
  cancel(orderId: string, account?: string): EngineOrder | undefined {
    return this.run(() => {
      const order = this.openOrdersById.get(orderId);
      if (order === undefined || (account !== undefined && order.account !== account)) return undefined;
      this.removeFromBook(order);
      this.finish(order, 'cancelled');
      const view = this.view(order);
      this.emit({ type: 'order_cancelled', order: view, reason: 'user' satisfies CancelReason });
      return view;
    });
  }

  /** Cancels the account's open order with that client order id (see {@link cancel}). */
  cancelByClientOrderId(account: string, clientOrderId: string): EngineOrder | undefined {
    const id = this.clientIndex.get(account)?.get(clientOrderId);
    return id === undefined ? undefined : this.cancel(id, account);
  }

  /** Cancels every open order of the account (all accounts when omitted), oldest first. */
  cancelAll(account?: string): EngineOrder[] {
    return this.run(() => {
      const out: EngineOrder[] = [];
      for (const o of [...this.openOrdersById.values()]) {
        if (account !== undefined && o.account !== account) continue;
        const v = this.cancel(o.orderId);
        if (v !== undefined) out.push(v);
      }
      return out;
    });
  }

  /** An order by its engine id (open, or finished and still retained). */
  getOrder(orderId: string): EngineOrder | undefined {
    const o = this.orders.get(orderId);
    return o === undefined ? undefined : this.view(o);
  }

  /**
   * The account's most recent order with this client order id (open, or finished and
   * still retained), as exchanges answer a query by client order id.
   */
  getOrderByClientOrderId(account: string, clientOrderId: string): EngineOrder | undefined {
    const id = this.clientIndex.get(account)?.get(clientOrderId);
    return id === undefined ? undefined : this.getOrder(id);
  }

  /** Open orders of the account (all accounts when omitted), oldest first. */
  openOrders(account?: string): EngineOrder[] {
    const out: EngineOrder[] = [];
    for (const o of this.openOrdersById.values()) {
      if (account === undefined || o.account === account) out.push(this.view(o));
    }
    return out;
  }

  /**
   * What the open orders hold, per account and asset. When one ledger serves only this
   * engine, each account's locked balance must equal this (a test invariant).
   */
  holdsByAccount(): Map<string, Map<string, BigNumber>> {
    const out = new Map<string, Map<string, BigNumber>>();
    for (const o of this.openOrdersById.values()) {
      let m = out.get(o.account);
      if (m === undefined) {
        m = new Map();
        out.set(o.account, m);
      }
      m.set(o.holdAsset, (m.get(o.holdAsset) ?? ZERO).plus(o.holdLeft));
    }
    return out;
  }

  // ---------------------------------------------------------------- book

  /**
   * The true L2 book of one side, best first, as [price, total amount] plain decimal
   * strings (`BigNumber#toFixed()`), at most `depth` levels.
   */
  levels(side: BookSide, depth?: number): [string, string][] {
    const all = this.sideBook(side).all();
    const n = depth === undefined ? all.length : Math.min(depth, all.length);
    const out: [string, string][] = new Array(n);
    for (let i = 0; i < n; i++) {
      const l = all[i] as PriceLevel<Order>;
      out[i] = [l.key, l.total.toFixed()];
    }
    return out;
  }

  /** {@link levels} as numbers, to compare with an `@hb/core` OrderBook. */
  levelsAsNumbers(side: BookSide, depth?: number): [number, number][] {
    return this.levels(side, depth).map(([p, a]) => [Number(p), Number(a)]);
  }

  /** Both sides with the book sequence they correspond to (a snapshot endpoint's answer). */
  snapshot(depth?: number): BookSnapshot {
    return {
      pair: this.pair,
      bookSequence: this.bookSeq,
      timestamp: this.clock.now(),
      bids: this.levels('bid', depth),
      asks: this.levels('ask', depth),
    };
  }

  /** The order-level (L3) book of one side: price priority, then time priority. */
  bookOrders(side: BookSide, depthLevels?: number): BookOrder[] {
    const all = this.sideBook(side).all();
    const n = depthLevels === undefined ? all.length : Math.min(depthLevels, all.length);
    const out: BookOrder[] = [];
    for (let i = 0; i < n; i++) {
      for (const o of (all[i] as PriceLevel<Order>).orders) {
        out.push({
          orderId: o.orderId,
          account: o.account,
          price: o.price as BigNumber,
          remaining: o.remaining,
          createdAt: o.createdAt,
        });
      }
    }
    return out;
  }

  /** Best bid price, if any. */
  bestBid(): BigNumber | undefined {
    return this.bids.best()?.price;
  }

  /** Best ask price, if any. */
  bestAsk(): BigNumber | undefined {
    return this.asks.best()?.price;
  }

  /** Price of the last trade, if any. */
  get lastTradePrice(): BigNumber | undefined {
    return this.lastPrice;
  }

  /** Sequence of the last event emitted (0 before any). */
  get sequence(): number {
    return this.eventSeq;
  }

  /** Sequence of the last book level change (0 before any): a snapshot's update id. */
  get bookSequence(): number {
    return this.bookSeq;
  }

  /** The most recent trades, oldest first (at most `limit`). */
  recentTrades(limit?: number): EngineTrade[] {
    return limit === undefined ? [...this.tradeHistory] : this.tradeHistory.slice(-limit);
  }

  /** The account's retained trades, oldest first. */
  accountTrades(account: string, query: AccountTradesQuery = {}): AccountTrade[] {
    const out: AccountTrade[] = [];
    for (const t of this.tradesByAccount.get(account) ?? []) {
      if (query.fromId !== undefined && t.tradeId < query.fromId) continue;
      // A self-trade shows up twice, once per side, as exchanges list it.
      for (const isMaker of [true, false]) {
        const acct = isMaker ? t.makerAccount : t.takerAccount;
        const orderId = isMaker ? t.makerOrderId : t.takerOrderId;
        if (acct !== account || (query.orderId !== undefined && orderId !== query.orderId)) continue;
        const takerSide = t.takerSide;
        out.push({
          trade: t,
          orderId,
          clientOrderId: isMaker ? t.makerClientOrderId : t.takerClientOrderId,
          side: isMaker ? (takerSide === 'buy' ? 'sell' : 'buy') : takerSide,
          isMaker,
          fee: isMaker ? t.makerFee : t.takerFee,
        });
      }
      if (query.limit !== undefined && out.length >= query.limit) return out.slice(0, query.limit);
    }
    return out;
  }

  /** The fee schedule in use (shared with other engines when it was passed in). */
  get feeSchedule(): FeeSchedule {
    return this.fees;
  }

  // ---------------------------------------------------------------- internals

  private placeInner(req: PlaceOrderRequest): EngineOrder {
    const order = this.newOrder(req);

    const reject = (reason: RejectReason): EngineOrder => {
      order.status = 'rejected';
      order.rejectReason = reason;
      order.remaining = ZERO;
      const view = this.view(order);
      this.emit({ type: 'order_rejected', order: view, reason });
      return view;
    };

    if (order.clientOrderId !== undefined) {
      const prev = this.clientIndex.get(order.account)?.get(order.clientOrderId);
      if (prev !== undefined && this.openOrdersById.has(prev)) return reject('duplicate_client_order_id');
    }
    if (order.postOnly && this.crossesBook(order.side, order.price as BigNumber)) {
      return reject('post_only_would_take');
    }
    if (this.ledger !== undefined) {
      const hold = this.initialHold(order);
      if (!this.ledger.canHold(order.account, order.holdAsset, hold)) return reject('insufficient_balance');
      this.ledger.hold(order.account, order.holdAsset, hold);
      order.holdLeft = hold;
    }

    this.index(order);
    this.openOrdersById.set(order.orderId, order);
    this.emit({ type: 'order_accepted', order: this.view(order) });

    if (order.timeInForce === 'FOK') {
      const can = this.simulateTake(order, { base: order.remaining });
      if (can.base.lt(order.remaining)) {
        this.expire(order, 'fill_or_kill');
        return this.view(order);
      }
    }

    const outcome = this.match(order);

    if (order.status === 'filled' || order.status === 'expired') {
      // Finished inside match (fully filled, or expired by self-trade prevention).
    } else if (outcome === 'dust' && order.filledAmount.gt(0)) {
      // A market-by-quote order whose leftover quote cannot buy one more amount step
      // is done, as exchanges report it: FILLED.
      this.markLastTakerFillFinal(order);
      this.finish(order, 'filled');
    } else if (order.type === 'limit' && order.timeInForce === 'GTC' && order.remaining.gt(0)) {
      this.rest(order);
    } else {
      this.expire(order, 'time_in_force');
    }
    return this.view(order);
  }

  private newOrder(req: PlaceOrderRequest): Order {
    if (req.side !== 'buy' && req.side !== 'sell') throw invalid(`side must be buy or sell`);
    if (req.type !== 'limit' && req.type !== 'market') throw invalid(`type must be limit or market`);
    const isLimit = req.type === 'limit';
    const price = isLimit ? decimal(req.price, 'price') : undefined;
    if (isLimit && req.amount === undefined) throw invalid('a limit order needs an amount');
    if (isLimit && req.quoteAmount !== undefined) throw invalid('quoteAmount is for market orders only');
    if (!isLimit && (req.amount === undefined) === (req.quoteAmount === undefined)) {
      throw invalid('a market order needs exactly one of amount and quoteAmount');
    }
    if (!isLimit && req.postOnly === true) throw invalid('post-only is for limit orders only');
    const tif: TimeInForce = isLimit ? (req.timeInForce ?? 'GTC') : 'IOC';
    if (req.postOnly === true && tif !== 'GTC') throw invalid('post-only orders must be GTC');
    const amount = req.amount === undefined ? undefined : decimal(req.amount, 'amount');
    const quoteAmount = req.quoteAmount === undefined ? undefined : decimal(req.quoteAmount, 'quoteAmount');
    const rates = this.fees.get(req.account);
    const now = this.clock.now();
    const holdAsset = req.side === 'buy' ? this.quoteAsset : this.baseAsset;
    return {
      orderId: this.orderIdFactory(this.nextOrderNumber++),
      clientOrderId: req.clientOrderId,
      account: req.account,
      side: req.side,
      type: req.type,
      timeInForce: tif,
      postOnly: req.postOnly === true,
      stp: req.selfTradePrevention ?? this.defaultStp,
      price,
      amount,
      quoteAmount,
      makerRate: rates.maker,
      takerRate: rates.taker,
      remaining: amount ?? ZERO,
      quoteRemaining: quoteAmount,
      filledAmount: ZERO,
      filledQuote: ZERO,
      feePaid: ZERO,
      feeAsset: undefined,
      status: 'new',
      onBook: false,
      rejectReason: undefined,
      expireReason: undefined,
      createdAt: now,
      updatedAt: now,
      fillCount: 0,
      holdAsset,
      holdLeft: ZERO,
    };
  }

  /** The hold taken at placement. */
  private initialHold(o: Order): BigNumber {
    if (o.side === 'sell') {
      if (o.amount !== undefined) return o.amount;
      // Market sell by quote: exactly the base the match will use (same walk).
      return this.simulateTake(o, { quote: o.quoteAmount as BigNumber }).base;
    }
    if (o.type === 'limit') return this.limitBuyHold(o, o.remaining);
    if (o.quoteAmount !== undefined) return o.quoteAmount;
    // Market buy by base: what the walk will cost, fee included when the buyer pays it in quote.
    const cost = this.simulateTake(o, { base: o.amount as BigNumber }).quote;
    return this.feePolicy === 'quote' ? cost.times(o.takerRate.plus(1)) : cost;
  }

  private limitBuyHold(o: Order, remaining: BigNumber): BigNumber {
    const notional = (o.price as BigNumber).times(remaining);
    if (this.feePolicy !== 'quote') return notional;
    return notional.times(BigNumber.max(o.makerRate, o.takerRate).plus(1));
  }

  private crossesBook(side: EngineSide, price: BigNumber): boolean {
    const best = side === 'buy' ? this.asks.best() : this.bids.best();
    if (best === undefined) return false;
    return side === 'buy' ? price.gte(best.price) : price.lte(best.price);
  }

  private canTakeAt(o: Order, levelPrice: BigNumber): boolean {
    if (o.price === undefined) return true;
    return o.side === 'buy' ? o.price.gte(levelPrice) : o.price.lte(levelPrice);
  }

  /**
   * Walks the opposite book exactly as {@link match} would, without changing anything:
   * how much base the order would fill and for how much quote (before fees). Used for
   * FOK and for the hold of market orders, so holds are exact.
   */
  private simulateTake(o: Order, budget: TakeBudget): { base: BigNumber; quote: BigNumber } {
    let base = ZERO;
    let quote = ZERO;
    let baseLeft = budget.base;
    let quoteLeft = budget.quote;
    const opp = o.side === 'buy' ? this.asks : this.bids;
    for (const level of opp.all()) {
      if (!this.canTakeAt(o, level.price)) break;
      for (const maker of level.orders) {
        if (maker.account === o.account && o.stp !== 'none') {
          if (o.stp === 'expire_maker') continue;
          if (o.stp === 'decrement_and_cancel') {
            // Same outcome as decrementAndCancel: a quote budget cancels the maker; a
            // base size no larger than the maker's ends the walk; a larger one shrinks.
            if (baseLeft === undefined) continue;
            if (baseLeft.lte(maker.remaining)) return { base, quote };
            baseLeft = baseLeft.minus(maker.remaining);
            continue;
          }
          return { base, quote };
        }
        const q = this.fillQuantity(o, level.price, maker.remaining, baseLeft, quoteLeft);
        if (q.lte(0)) return { base, quote };
        const notional = level.price.times(q);
        base = base.plus(q);
        quote = quote.plus(notional);
        if (baseLeft !== undefined) baseLeft = baseLeft.minus(q);
        if (quoteLeft !== undefined) quoteLeft = quoteLeft.minus(this.quoteConsumed(o, notional));
        if ((baseLeft !== undefined && baseLeft.lte(0)) || (quoteLeft !== undefined && quoteLeft.lte(0))) {
          return { base, quote };
        }
      }
    }
    return { base, quote };
  }

  /** How much of a quote budget a fill of `notional` uses up. */
  private quoteConsumed(o: Order, notional: BigNumber): BigNumber {
    if (o.side === 'buy' && this.feePolicy === 'quote') return notional.times(o.takerRate.plus(1));
    return notional;
  }

  /** The base amount of the next fill against a maker with `makerRemaining` at `price`. */
  private fillQuantity(
    o: Order,
    price: BigNumber,
    makerRemaining: BigNumber,
    baseLeft: BigNumber | undefined,
    quoteLeft: BigNumber | undefined,
  ): BigNumber {
    if (baseLeft !== undefined) return BigNumber.min(baseLeft, makerRemaining);
    const budget = quoteLeft as BigNumber;
    const unit = o.side === 'buy' && this.feePolicy === 'quote' ? price.times(o.takerRate.plus(1)) : price;
    let q = budget.div(unit).div(this.amountStep).integerValue(BigNumber.ROUND_FLOOR).times(this.amountStep);
    // Division rounds at 20 decimals; step back once if that rounding overshot the budget.
    if (q.times(unit).gt(budget)) q = q.minus(this.amountStep);
    return BigNumber.min(BigNumber.max(q, ZERO), makerRemaining);
  }

  /** Matches a taker against the book. 'dust': a quote budget too small for one more step. */
  private match(taker: Order): 'done' | 'no_liquidity' | 'limit' | 'dust' | 'stp' {
    const opp = taker.side === 'buy' ? this.asks : this.bids;
    for (let guard = 0; guard < MAX_MATCH_STEPS; guard++) {
      if (taker.quoteRemaining === undefined ? taker.remaining.lte(0) : taker.quoteRemaining.lte(0))
        return 'done';
      const level = opp.best();
      if (level === undefined) return 'no_liquidity';
      if (!this.canTakeAt(taker, level.price)) return 'limit';
      const maker = level.orders[0] as Order;
      if (maker.account === taker.account && taker.stp !== 'none') {
        if (taker.stp === 'decrement_and_cancel') {
          if (this.decrementAndCancel(taker, maker, level)) return 'stp';
          continue;
        }
        if (taker.stp === 'expire_maker' || taker.stp === 'expire_both') {
          this.removeFromBook(maker);
          this.expire(maker, 'self_trade_prevention');
        }
        if (taker.stp === 'expire_taker' || taker.stp === 'expire_both') {
          this.expire(taker, 'self_trade_prevention');
          return 'stp';
        }
        continue;
      }
      const q = this.fillQuantity(
        taker,
        level.price,
        maker.remaining,
        taker.quoteRemaining === undefined ? taker.remaining : undefined,
        taker.quoteRemaining,
      );
      if (q.lte(0)) return 'dust';
      this.execute(taker, maker, level, q);
    }
    throw new HbError('unknown', 'matching engine: runaway match loop');
  }

  /**
   * Coinbase's `dc` between a taker and its own resting order: the smaller is expired,
   * the larger decremented by the smaller's size. Returns true when the taker is done.
   */
  private decrementAndCancel(taker: Order, maker: Order, level: PriceLevel<Order>): boolean {
    if (taker.quoteRemaining !== undefined || taker.remaining.gte(maker.remaining)) {
      const sameSize = taker.quoteRemaining === undefined && taker.remaining.eq(maker.remaining);
      const makerSize = maker.remaining;
      this.removeFromBook(maker);
      this.expire(maker, 'self_trade_prevention');
      if (taker.quoteRemaining !== undefined) return false;
      if (sameSize) {
        this.expire(taker, 'self_trade_prevention');
        return true;
      }
      this.decrement(taker, makerSize, undefined);
      return false;
    }
    this.decrement(maker, taker.remaining, level);
    this.expire(taker, 'self_trade_prevention');
    return true;
  }

  /** Shrinks an open order by `by` (less than its remaining), releasing the hold it no longer needs. */
  private decrement(o: Order, by: BigNumber, level: PriceLevel<Order> | undefined): void {
    const oldRemaining = o.remaining;
    o.remaining = o.remaining.minus(by);
    o.updatedAt = this.clock.now();
    if (this.ledger !== undefined) {
      let release = ZERO;
      if (o.side === 'sell') release = by;
      else if (o.type === 'limit')
        release = BigNumber.max(o.holdLeft.minus(this.limitBuyHold(o, o.remaining)), ZERO);
      // A market buy by base keeps its hold until it finishes (finish releases the rest).
      if (release.gt(0)) {
        this.ledger.release(o.account, o.holdAsset, release);
        o.holdLeft = o.holdLeft.minus(release);
      }
    }
    this.emit({
      type: 'order_changed',
      order: this.view(o),
      oldRemaining,
      newRemaining: o.remaining,
      reason: 'self_trade_prevention',
    });
    if (level !== undefined && o.onBook) {
      level.total = level.total.minus(by);
      this.emitLevel(o.side === 'buy' ? 'bid' : 'ask', level);
    }
  }

  private execute(taker: Order, maker: Order, level: PriceLevel<Order>, q: BigNumber): void {
    const price = level.price;
    const notional = price.times(q);
    const now = this.clock.now();
    const buyer = taker.side === 'buy' ? taker : maker;
    const seller = taker.side === 'buy' ? maker : taker;
    const buyerRate = buyer === maker ? maker.makerRate : taker.takerRate;
    const sellerRate = seller === maker ? maker.makerRate : taker.takerRate;
    const quoteFees = this.feePolicy === 'quote';
    const buyerFee: EngineFee = quoteFees
      ? { asset: this.quoteAsset, amount: notional.times(buyerRate) }
      : { asset: this.baseAsset, amount: q.times(buyerRate) };
    const sellerFee: EngineFee = { asset: this.quoteAsset, amount: notional.times(sellerRate) };

    let buyerPaid = notional.plus(quoteFees ? buyerFee.amount : ZERO);
    let sellerPaid = q;
    if (this.ledger !== undefined) {
      const r = this.ledger.settleTrade({
        buyer: buyer.account,
        seller: seller.account,
        baseAsset: this.baseAsset,
        quoteAsset: this.quoteAsset,
        baseAmount: q,
        quoteAmount: notional,
        buyerFee,
        sellerFee,
      });
      buyerPaid = r.buyerPaid;
      sellerPaid = r.sellerPaid;
    }

    // Order state.
    for (const o of [buyer, seller]) {
      const fee = o === buyer ? buyerFee : sellerFee;
      o.filledAmount = o.filledAmount.plus(q);
      o.filledQuote = o.filledQuote.plus(notional);
      o.feePaid = o.feePaid.plus(fee.amount);
      o.feeAsset = fee.asset;
      o.fillCount += 1;
      o.updatedAt = now;
      if (o.quoteRemaining !== undefined) {
        o.quoteRemaining = o.quoteRemaining.minus(o === buyer ? buyerPaid : notional);
      } else {
        o.remaining = o.remaining.minus(q);
      }
      if (this.ledger !== undefined) {
        o.holdLeft = o.holdLeft.minus(o === buyer ? buyerPaid : sellerPaid);
        if (o.type === 'limit' && o.side === 'buy') {
          // Release price improvement and unused fee reserve at once, so locked
          // always equals what the rest of the order can still need.
          const excess = o.holdLeft.minus(this.limitBuyHold(o, o.remaining));
          if (excess.gt(0)) {
            this.ledger.release(o.account, o.holdAsset, excess);
            o.holdLeft = o.holdLeft.minus(excess);
          }
        }
      }
    }
    maker.status = maker.remaining.lte(0) ? 'filled' : 'partially_filled';
    const takerDone =
      taker.quoteRemaining === undefined ? taker.remaining.lte(0) : taker.quoteRemaining.lte(0);
    taker.status = takerDone ? 'filled' : 'partially_filled';

    // Book state.
    level.total = level.total.minus(q);
    if (maker.remaining.lte(0)) {
      level.orders.shift();
      maker.onBook = false;
      if (level.orders.length === 0) (maker.side === 'buy' ? this.bids : this.asks).dropLevel(level);
    }

    const trade: EngineTrade = {
      tradeId: this.nextTradeId++,
      pair: this.pair,
      price,
      amount: q,
      quoteAmount: notional,
      takerSide: taker.side,
      makerOrderId: maker.orderId,
      takerOrderId: taker.orderId,
      makerClientOrderId: maker.clientOrderId,
      takerClientOrderId: taker.clientOrderId,
      makerAccount: maker.account,
      takerAccount: taker.account,
      makerFee: maker === buyer ? buyerFee : sellerFee,
      takerFee: taker === buyer ? buyerFee : sellerFee,
      timestamp: now,
    };
    this.lastPrice = price;
    this.tradeHistory.push(trade);
    if (this.tradeHistory.length > this.retainTrades)
      this.tradeHistory.splice(0, this.tradeHistory.length - this.retainTrades);
    this.recordAccountTrade(maker.account, trade);
    if (taker.account !== maker.account) this.recordAccountTrade(taker.account, trade);

    this.emit({ type: 'trade', trade });
    this.emitFill(maker, trade, true);
    this.emitFill(taker, trade, false);
    this.emitLevel(maker.side === 'buy' ? 'bid' : 'ask', level);
    if (maker.status === 'filled') this.finish(maker, 'filled');
    if (taker.status === 'filled') this.finish(taker, 'filled');
  }

  private lastTakerFillIndex = -1;

  private emitFill(o: Order, trade: EngineTrade, isMaker: boolean): void {
    const type = o.status === 'filled' ? 'order_filled' : 'order_partially_filled';
    this.emit({ type, order: this.view(o), trade, isMaker });
    if (!isMaker) this.lastTakerFillIndex = this.pending.length - 1;
  }

  /**
   * Rewrites the taker's last queued fill event as `order_filled` when the order turns
   * out to be finished only after the loop (market-by-quote dust). Safe because events
   * are queued until the engine call returns.
   */
  private markLastTakerFillFinal(o: Order): void {
    const i = this.lastTakerFillIndex;
    const ev = this.pending[i];
    if (ev === undefined || ev.type !== 'order_partially_filled' || ev.order.orderId !== o.orderId) return;
    this.pending[i] = { ...ev, type: 'order_filled', order: { ...ev.order, status: 'filled' } };
  }

  private rest(o: Order): void {
    const side = o.side === 'buy' ? this.bids : this.asks;
    const level = side.add(o.price as BigNumber, o);
    o.onBook = true;
    this.emit({ type: 'order_opened', order: this.view(o) });
    this.emitLevel(side.side, level);
  }

  private removeFromBook(o: Order): void {
    if (!o.onBook) return;
    const side = o.side === 'buy' ? this.bids : this.asks;
    const level = side.remove(o.price as BigNumber, o);
    o.onBook = false;
    if (level !== undefined) this.emitLevel(side.side, level);
  }

  private expire(o: Order, reason: ExpireReason): void {
    o.expireReason = reason;
    this.finish(o, 'expired');
    this.emit({ type: 'order_expired', order: this.view(o), reason });
  }

  /** Moves an order to a final status: releases what it still holds, updates indexes. */
  private finish(o: Order, status: EngineOrderStatus): void {
    o.status = status;
    o.updatedAt = this.clock.now();
    o.onBook = false;
    if (this.ledger !== undefined && o.holdLeft.gt(0)) {
      this.ledger.release(o.account, o.holdAsset, o.holdLeft);
      o.holdLeft = ZERO;
    }
    if (this.openOrdersById.delete(o.orderId)) {
      let closed = this.closedByAccount.get(o.account);
      if (closed === undefined) this.closedByAccount.set(o.account, (closed = []));
      closed.push(o.orderId);
      while (closed.length > this.retainClosed) this.forget(closed.shift() as string);
    }
  }

  private recordAccountTrade(account: string, trade: EngineTrade): void {
    let trades = this.tradesByAccount.get(account);
    if (trades === undefined) this.tradesByAccount.set(account, (trades = []));
    trades.push(trade);
    if (trades.length > this.retainTrades) trades.splice(0, trades.length - this.retainTrades);
  }

  private forget(orderId: string): void {
    const o = this.orders.get(orderId);
    if (o === undefined) return;
    this.orders.delete(orderId);
    if (o.clientOrderId !== undefined) {
      const m = this.clientIndex.get(o.account);
      if (m?.get(o.clientOrderId) === orderId) m.delete(o.clientOrderId);
    }
  }

  private index(o: Order): void {
    this.orders.set(o.orderId, o);
    if (o.clientOrderId !== undefined) {
      let m = this.clientIndex.get(o.account);
      if (m === undefined) {
        m = new Map();
        this.clientIndex.set(o.account, m);
      }
      m.set(o.clientOrderId, o.orderId);
    }
  }

  private sideBook(side: BookSide): BookSideLevels<Order> {
    return side === 'bid' ? this.bids : this.asks;
  }

  private emitLevel(side: BookSide, level: PriceLevel<Order>): void {
    // A dropped level is reported with amount 0; its total is 0 by then anyway.
    const live = this.sideBook(side).get(level.price) === level;
    this.bookSeq += 1;
    this.emit({
      type: 'book_level_changed',
      side,
      price: level.key,
      amount: live ? level.total.toFixed() : '0',
      bookSequence: this.bookSeq,
    });
  }

  private emit(partial: DistributiveOmit<EngineEvent, 'pair' | 'sequence' | 'timestamp'>): void {
    this.eventSeq += 1;
    this.pending.push({
      ...partial,
      pair: this.pair,
      sequence: this.eventSeq,
      timestamp: this.clock.now(),
    } as EngineEvent);
  }

  private run<T>(fn: () => T): T {
    this.depth += 1;
    try {
      return fn();
    } finally {
      this.depth -= 1;
      if (this.depth === 0 && !this.flushing) this.flush();
    }
  }

  private flush(): void {
    this.flushing = true;
    try {
      // A listener may call the engine; its events join this queue and keep their order.
      let i = 0;
      while (i < this.pending.length) {
        const ev = this.pending[i] as EngineEvent;
        i += 1;
        this.subject.next(ev);
      }
      this.pending.length = 0;
    } finally {
      this.flushing = false;
      this.lastTakerFillIndex = -1;
    }
  }

  private view(o: Order): EngineOrder {
    return {
      orderId: o.orderId,
      clientOrderId: o.clientOrderId,
      account: o.account,
      pair: this.pair,
      side: o.side,
      type: o.type,
      timeInForce: o.timeInForce,
      postOnly: o.postOnly,
      selfTradePrevention: o.stp,
      price: o.price,
      amount: o.amount,
      quoteAmount: o.quoteAmount,
      remaining: o.status === 'new' || o.status === 'partially_filled' ? o.remaining : ZERO,
      filledAmount: o.filledAmount,
      filledQuote: o.filledQuote,
      feePaid: o.feePaid,
      feeAsset: o.feeAsset,
      status: o.status,
      onBook: o.onBook,
      rejectReason: o.rejectReason,
      expireReason: o.expireReason,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
      fillCount: o.fillCount,
    };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function invalid(message: string): HbError {
  return new HbError('invalid_order', `matching engine: ${message}`, { retryable: false });
}

function decimal(value: BigNumber.Value | undefined, what: string): BigNumber {
  if (value === undefined) throw invalid(`${what} is required`);
  const b = new BigNumber(value);
  if (!b.isFinite() || !b.gt(0)) throw invalid(`${what} must be a positive number`);
  return b;
}
