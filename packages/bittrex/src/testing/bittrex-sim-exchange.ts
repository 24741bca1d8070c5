// The simulated Bittrex behind REST and the hub: on @hb/testing's SimExchangeBase
// (clock, ledger, fees, API accounts), one matching engine per market, Bittrex's
// order rules and refusals (bittrex.md §7), its
// wire objects (Order, Execution, Balance, book entries), and the sequenced
// publication of book deltas (per market and depth), trades and each account's
// private deltas. Changes of one synchronous engine run go out together at the
// end of the turn (or on `flush()`), as one message per channel.
import BigNumber from 'bignumber.js';
import {
  SimExchangeBase,
  type EngineOrder,
  type EngineTrade,
  type MatchingEngine,
  type SimClock,
} from '@hb/testing';
import { BITTREX_QUANTITY_DECIMALS } from '../bittrex-constants.js';
import type { BittrexSimAccountInput, BittrexSimMarketInput } from './bittrex-sim-types.js';

/** A refusal in Bittrex's shape: HTTP status + `{code, detail?, data?}`. */
export class BittrexSimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail?: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(`${status} ${code}${detail ? `: ${detail}` : ''}`);
  }

  /** The response body. */
  body(): Record<string, unknown> {
    return {
      code: this.code,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(this.data === undefined ? {} : { data: this.data }),
    };
  }
}

/** Depths the server keeps sequenced books for. */
export const SIM_DEPTHS = [1, 25, 500] as const;
/** A depth the server serves. */
export type SimDepth = (typeof SIM_DEPTHS)[number];

/** One market with its engine and its published books. */
export interface SimMarketState {
  readonly input: BittrexSimMarketInput;
  readonly base: string;
  readonly quote: string;
  readonly tick: BigNumber;
  readonly engine: MatchingEngine;
  status: 'ONLINE' | 'OFFLINE';
  /** Per depth: the book as last published and its sequence. */
  readonly books: Map<SimDepth, PublishedBook>;
  tradeSequence: number;
}

/** A book as clients can know it: what was last published at `sequence`. */
export interface PublishedBook {
  sequence: number;
  readonly bids: Map<string, string>;
  readonly asks: Map<string, string>;
}

/** A book-level entry on the wire. */
export interface WireLevel {
  readonly quantity: string;
  readonly rate: string;
}

/** Where the exchange's messages go (the hub). */
export interface SimPublisher {
  /** A public message on a channel (`orderbook_BTC-USDT_25`, `trade_BTC-USDT`). */
  publicMessage(
    channel: string,
    message: string,
    payload: unknown,
    meta: { market: string; depth?: number },
  ): void;
  /** A private message for one account on `order` / `balance` / `execution`. */
  privateMessage(apiKey: string, channel: 'order' | 'balance' | 'execution', payload: unknown): void;
}

/** A Bittrex API account: its secret, account id and private-channel sequences. */
interface Account {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly accountId: string;
  readonly sequences: { order: number; balance: number; execution: number };
  /** Closed order ids, newest last. */
  readonly closed: string[];
}

interface OrderMeta {
  readonly market: SimMarketState;
  readonly timeInForce: string;
  readonly type: 'LIMIT' | 'MARKET';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^[0-9]+(\.[0-9]+)?$/;
const TIME_IN_FORCE = new Set([
  'GOOD_TIL_CANCELLED',
  'IMMEDIATE_OR_CANCEL',
  'FILL_OR_KILL',
  'POST_ONLY_GOOD_TIL_CANCELLED',
  'BUY_NOW',
  'INSTANT',
]);

/** A deterministic UUID-shaped id: `kind` tells orders, trades and accounts apart. */
export function simUuid(kind: number, n: number): string {
  const a = kind.toString(16).padStart(8, '0');
  const b = n.toString(16).padStart(12, '0');
  return `${a}-0000-4000-8000-${b}`;
}

/** A decimal with Bittrex's 8 places. */
export function d8(v: BigNumber.Value): string {
  return new BigNumber(v).toFixed(8);
}

function decimalsOf(s: string): number {
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

/** Options of {@link BittrexSimExchange}. */
export interface BittrexSimExchangeOptions {
  readonly markets: readonly BittrexSimMarketInput[];
  readonly clock: SimClock;
  readonly fees: { readonly maker: BigNumber.Value; readonly taker: BigNumber.Value };
  /** Seed of the ids the exchange makes up. */
  readonly seed: number;
  readonly publisher: SimPublisher;
}

/** The simulated exchange. */
export class BittrexSimExchange extends SimExchangeBase<Account> {
  readonly markets: readonly SimMarketState[];

  private readonly bySymbol = new Map<string, SimMarketState>();
  private readonly meta = new Map<string, OrderMeta>();
  /** Orders the engine opened but Bittrex refused (a fill-or-kill that could not fill). */
  private readonly refusedOrders = new Set<string>();
  private readonly publisher: SimPublisher;
  // What changed since the last flush.
  private readonly dirtyBooks = new Set<SimMarketState>();
  private readonly pendingTrades = new Map<SimMarketState, EngineTrade[]>();
  private readonly dirtyOrders = new Map<string, Map<string, EngineOrder>>();
  private readonly pendingExecutions = new Map<string, Record<string, unknown>[]>();
  private readonly dirtyBalances = new Map<string, Set<string>>();
  private flushQueued = false;
  private nextAccount = 1;

  constructor(options: BittrexSimExchangeOptions) {
    super('BittrexSimulator', options);
    this.publisher = options.publisher;
    this.markets = options.markets.map((input, i) => {
      const [base, quote] = input.symbol.split('-') as [string, string];
      const engine: MatchingEngine = this.createEngine(i, {
        pair: input.symbol,
        baseAsset: base,
        quoteAsset: quote,
        // Bittrex charges commission in the quote currency.
        feeAssetPolicy: 'quote',
        amountStep: new BigNumber(10).pow(-BITTREX_QUANTITY_DECIMALS),
        orderIdFactory: (n) => simUuid(0x0a000000 + i, n),
        firstTradeId: 1,
        retainClosedOrders: 10_000,
      });
      const books = new Map<SimDepth, PublishedBook>();
      for (const d of SIM_DEPTHS)
        books.set(d, { sequence: 1000 * (i + 1) + d, bids: new Map(), asks: new Map() });
      const state: SimMarketState = {
        input,
        base,
        quote,
        tick: new BigNumber(10).pow(-input.precision),
        engine,
        status: input.status ?? 'ONLINE',
        books,
        tradeSequence: 100 * (i + 1),
      };
      this.bySymbol.set(input.symbol, state);
      engine.events$.subscribe((ev) => {
        switch (ev.type) {
          case 'book_level_changed':
            this.dirtyBooks.add(state);
            break;
          case 'trade':
            this.pendingTrades.set(state, [...(this.pendingTrades.get(state) ?? []), ev.trade]);
            break;
          case 'order_partially_filled':
          case 'order_filled':
            this.noteExecution(ev.order, ev.trade, ev.isMaker);
            this.noteOrder(ev.order);
            break;
          case 'order_accepted':
          case 'order_opened':
          case 'order_cancelled':
          case 'order_expired':
          case 'order_changed':
            this.noteOrder(ev.order);
            break;
          case 'order_rejected':
            break;
        }
        this.queueFlush();
      });
      return state;
    });
    this.ledger.changes$.subscribe((c) => {
      const acct = this.accounts.get(c.account);
      if (!acct) return;
      const set = this.dirtyBalances.get(acct.apiKey) ?? new Set<string>();
      set.add(c.asset);
      this.dirtyBalances.set(acct.apiKey, set);
      this.queueFlush();
    });
    this.publishAll();
  }

  // ------------------------------------------------------------- accounts

  /** Registers an API account and funds it (throws for a key already registered). */
  createAccount(input: BittrexSimAccountInput): void {
    this.accounts.register(input, () => ({
      apiKey: input.apiKey,
      apiSecret: input.apiSecret,
      accountId: simUuid(0x0c000000, this.nextAccount++),
      sequences: { order: 1, balance: 1, execution: 1 },
      closed: [],
    }));
  }

  /** The secret of a key, undefined when the key is unknown. */
  secretFor(apiKey: string): string | undefined {
    return this.accounts.get(apiKey)?.apiSecret;
  }

  /** The current sequence of an account's private channel (the REST `Sequence` header). */
  privateSequence(apiKey: string, channel: 'order' | 'balance' | 'execution'): number {
    return this.accounts.get(apiKey)?.sequences[channel] ?? 0;
  }

  // ------------------------------------------------------------- markets

  /** A market by symbol; 404 MARKET_DOES_NOT_EXIST (400 MARKET_NAME_REVERSED for `QUOTE-BASE`). */
  requireMarket(symbol: string | undefined): SimMarketState {
    const m = symbol === undefined ? undefined : this.bySymbol.get(symbol);
    if (m) return m;
    const [a, b] = (symbol ?? '').split('-');
    if (b !== undefined && this.bySymbol.has(`${b}-${a}`))
      throw new BittrexSimError(400, 'MARKET_NAME_REVERSED');
    throw new BittrexSimError(404, 'MARKET_DOES_NOT_EXIST');
  }

  /** The market, or undefined. */
  market(symbol: string): SimMarketState | undefined {
    return this.bySymbol.get(symbol);
  }

  /** `/markets` rows. */
  marketObjects(): Record<string, unknown>[] {
    return this.markets.map((m) => this.marketObject(m));
  }

  /** One `/markets` row. */
  marketObject(m: SimMarketState): Record<string, unknown> {
    return {
      symbol: m.input.symbol,
      baseCurrencySymbol: m.base,
      quoteCurrencySymbol: m.quote,
      minTradeSize: d8(m.input.minTradeSize),
      precision: m.input.precision,
      status: m.status,
      createdAt: '2015-12-11T06:31:40.633Z',
      notice: '',
      prohibitedIn: [],
      associatedTermsOfService: [],
      tags: [],
    };
  }

  /** The published book at a depth, best first, with its sequence (after a flush, so it is current). */
  bookAt(m: SimMarketState, depth: SimDepth): { sequence: number; bid: WireLevel[]; ask: WireLevel[] } {
    this.flush();
    const book = m.books.get(depth)!;
    const side = (map: Map<string, string>, desc: boolean): WireLevel[] =>
      [...map.entries()]
        .sort((x, y) => (desc ? -1 : 1) * new BigNumber(x[0]).comparedTo(y[0])!)
        .map(([rate, quantity]) => ({ quantity: d8(quantity), rate: d8(rate) }));
    return { sequence: book.sequence, bid: side(book.bids, true), ask: side(book.asks, false) };
  }

  /** A public trade as Bittrex sends it. */
  tradeObject(t: EngineTrade): Record<string, unknown> {
    return {
      id: simUuid(0x0b000000 + this.markets.findIndex((m) => m.input.symbol === t.pair), t.tradeId),
      executedAt: new Date(t.timestamp).toISOString(),
      quantity: d8(t.amount),
      rate: d8(t.price),
      takerSide: t.takerSide === 'buy' ? 'BUY' : 'SELL',
    };
  }

  // ------------------------------------------------------------- orders

  /** `POST /orders`: Bittrex's checks, then the engine. Returns the Order object. */
  placeOrder(apiKey: string, body: unknown): Record<string, unknown> {
    const acct = this.requireAccount(apiKey);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new BittrexSimError(400, 'BAD_REQUEST', 'body is not a NewOrder object');
    const b = body as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
    const m = this.requireMarket(str('marketSymbol'));
    const direction = str('direction');
    if (direction !== 'BUY' && direction !== 'SELL')
      throw new BittrexSimError(400, 'BAD_REQUEST', 'direction');
    const type = str('type');
    if (type === 'CEILING_LIMIT' || type === 'CEILING_MARKET')
      throw new BittrexSimError(400, 'INVALID_ORDER_TYPE', 'ceiling orders are not simulated');
    if (type !== 'LIMIT' && type !== 'MARKET') throw new BittrexSimError(400, 'INVALID_ORDER_TYPE');
    const tif = str('timeInForce');
    if (tif === undefined || !TIME_IN_FORCE.has(tif))
      throw new BittrexSimError(400, 'BAD_REQUEST', 'timeInForce');
    if (type === 'MARKET' && (tif === 'GOOD_TIL_CANCELLED' || tif === 'POST_ONLY_GOOD_TIL_CANCELLED'))
      throw new BittrexSimError(400, 'INVALID_MARKET_ORDER');
    const quantity = str('quantity');
    if (quantity === undefined || !DECIMAL.test(quantity) || !new BigNumber(quantity).gt(0))
      throw new BittrexSimError(400, 'BAD_REQUEST', 'quantity');
    if (decimalsOf(quantity) > BITTREX_QUANTITY_DECIMALS && !new BigNumber(quantity).dp(8).eq(quantity))
      throw new BittrexSimError(400, 'BAD_REQUEST', 'quantity precision');
    const limit = str('limit');
    if (type === 'LIMIT') {
      if (limit === undefined || !DECIMAL.test(limit) || !new BigNumber(limit).gt(0))
        throw new BittrexSimError(400, 'BAD_REQUEST', 'limit');
      if (!new BigNumber(limit).dp(m.input.precision).eq(limit))
        throw new BittrexSimError(400, 'RATE_PRECISION_NOT_ALLOWED');
    } else if (limit !== undefined) {
      throw new BittrexSimError(400, 'BAD_REQUEST', 'limit is not allowed for market orders');
    }
    const clientOrderId = str('clientOrderId');
    if (clientOrderId !== undefined && !UUID.test(clientOrderId))
      throw new BittrexSimError(400, 'BAD_REQUEST', 'clientOrderId must be a UUID');
    if (m.status !== 'ONLINE') throw new BittrexSimError(409, 'MARKET_OFFLINE');
    if (new BigNumber(quantity).lt(m.input.minTradeSize))
      throw new BittrexSimError(400, 'MIN_TRADE_REQUIREMENT_NOT_MET');
    if (clientOrderId !== undefined) {
      const existing = this.orderByClientId(apiKey, clientOrderId);
      if (existing)
        throw new BittrexSimError(409, 'CLIENTORDERID_ALREADY_EXISTS', undefined, {
          existingOrderId: existing.orderId,
        });
    }
    const order = m.engine.place({
      account: acct.apiKey,
      side: direction === 'BUY' ? 'buy' : 'sell',
      type: type === 'LIMIT' ? 'limit' : 'market',
      ...(type === 'LIMIT' ? { price: limit } : {}),
      amount: quantity,
      timeInForce: tif === 'IMMEDIATE_OR_CANCEL' ? 'IOC' : tif === 'FILL_OR_KILL' ? 'FOK' : 'GTC',
      postOnly: tif === 'POST_ONLY_GOOD_TIL_CANCELLED',
      ...(clientOrderId === undefined ? {} : { clientOrderId }),
    });
    if (order.status === 'rejected') {
      if (order.rejectReason === 'insufficient_balance') throw new BittrexSimError(409, 'INSUFFICIENT_FUNDS');
      if (order.rejectReason === 'post_only_would_take') throw new BittrexSimError(409, 'POST_ONLY');
      throw new BittrexSimError(409, 'CLIENTORDERID_ALREADY_EXISTS');
    }
    if (order.expireReason === 'fill_or_kill') {
      // Refused, not created: Bittrex answers 409 FILL_OR_KILL and the order is in
      // no list and no `order` delta (the engine had opened it to try the fill).
      this.refusedOrders.add(order.orderId);
      this.dirtyOrders.get(acct.apiKey)?.delete(order.orderId);
      const closedAt = acct.closed.indexOf(order.orderId);
      if (closedAt >= 0) acct.closed.splice(closedAt, 1);
      throw new BittrexSimError(409, 'FILL_OR_KILL');
    }
    this.meta.set(order.orderId, { market: m, timeInForce: tif, type });
    this.noteOrder(order);
    return this.orderObject(order);
  }

  /** `DELETE /orders/{id}`. */
  cancelOrder(apiKey: string, orderId: string): Record<string, unknown> {
    const order = this.requireOrder(apiKey, orderId);
    if (!isOpen(order)) throw new BittrexSimError(409, 'ORDER_NOT_OPEN');
    const m = this.meta.get(orderId)?.market ?? this.requireMarket(order.pair);
    const cancelled = m.engine.cancel(orderId, apiKey);
    return this.orderObject(cancelled ?? m.engine.getOrder(orderId) ?? order);
  }

  /** `DELETE /orders/open[?marketSymbol=]`. */
  cancelOpen(apiKey: string, marketSymbol: string | undefined): Record<string, unknown>[] {
    return this.openOrders(apiKey, marketSymbol).map((o) => {
      const m = this.requireMarket(o.pair);
      const done = m.engine.cancel(o.orderId, apiKey) ?? o;
      return { id: o.orderId, statusCode: 'SUCCESS', result: this.orderObject(done) };
    });
  }

  /** An account's order by exchange id; 404 ORDER_DOES_NOT_EXIST otherwise. */
  requireOrder(apiKey: string, orderId: string): EngineOrder {
    const m = this.meta.get(orderId)?.market;
    const o = m?.engine.getOrder(orderId);
    if (!o || o.account !== apiKey) throw new BittrexSimError(404, 'ORDER_DOES_NOT_EXIST');
    return o;
  }

  /** An account's open orders (one market or all), oldest first. */
  openOrders(apiKey: string, marketSymbol?: string): EngineOrder[] {
    const ms = marketSymbol === undefined ? this.markets : [this.requireMarket(marketSymbol)];
    return ms.flatMap((m) => m.engine.openOrders(apiKey));
  }

  /** An account's closed orders, newest first. */
  closedOrders(apiKey: string, marketSymbol?: string): EngineOrder[] {
    const acct = this.requireAccount(apiKey);
    const out: EngineOrder[] = [];
    for (let i = acct.closed.length - 1; i >= 0; i--) {
      const id = acct.closed[i]!;
      const m = this.meta.get(id)?.market;
      if (!m || (marketSymbol !== undefined && m.input.symbol !== marketSymbol)) continue;
      const o = m.engine.getOrder(id);
      if (o) out.push(o);
    }
    return out;
  }

  /** An account's order by client order id on any market. */
  orderByClientId(apiKey: string, clientOrderId: string): EngineOrder | undefined {
    for (const m of this.markets) {
      const o = m.engine.getOrderByClientOrderId(apiKey, clientOrderId);
      if (o && !this.refusedOrders.has(o.orderId)) return o;
    }
    return undefined;
  }

  /** The Order object of an engine order. */
  orderObject(o: EngineOrder): Record<string, unknown> {
    const meta = this.meta.get(o.orderId);
    const open = isOpen(o);
    return {
      id: o.orderId,
      marketSymbol: o.pair,
      direction: o.side === 'buy' ? 'BUY' : 'SELL',
      type: meta?.type ?? (o.type === 'limit' ? 'LIMIT' : 'MARKET'),
      ...(o.amount === undefined ? {} : { quantity: d8(o.amount) }),
      ...(o.price === undefined ? {} : { limit: d8(o.price) }),
      timeInForce: meta?.timeInForce ?? 'GOOD_TIL_CANCELLED',
      ...(o.clientOrderId === undefined ? {} : { clientOrderId: o.clientOrderId }),
      fillQuantity: d8(o.filledAmount),
      commission: d8(o.feePaid),
      proceeds: d8(o.filledQuote),
      status: open ? 'OPEN' : 'CLOSED',
      createdAt: new Date(o.createdAt).toISOString(),
      updatedAt: new Date(o.updatedAt).toISOString(),
      ...(open ? {} : { closedAt: new Date(o.updatedAt).toISOString() }),
    };
  }

  /** Every execution of an account (one order, or one market), newest first. */
  executions(apiKey: string, filter: { orderId?: string; marketSymbol?: string }): Record<string, unknown>[] {
    const ms = filter.marketSymbol === undefined ? this.markets : [this.requireMarket(filter.marketSymbol)];
    const rows = ms.flatMap((m) =>
      m.engine
        .accountTrades(apiKey, filter.orderId === undefined ? {} : { orderId: filter.orderId })
        .map((t) => this.executionObject(t.trade, t.orderId, !t.isMaker, t.fee.amount)),
    );
    return rows.reverse();
  }

  /** An Execution object. */
  executionObject(
    t: EngineTrade,
    orderId: string,
    isTaker: boolean,
    commission: BigNumber,
  ): Record<string, unknown> {
    const mi = this.markets.findIndex((m) => m.input.symbol === t.pair);
    return {
      id: simUuid(0x0e000000 + mi * 2 + (isTaker ? 1 : 0), t.tradeId),
      marketSymbol: t.pair,
      executedAt: new Date(t.timestamp).toISOString(),
      quantity: d8(t.amount),
      rate: d8(t.price),
      orderId,
      commission: d8(commission),
      isTaker,
    };
  }

  /** Balance objects of an account (every asset it ever held). */
  balanceObjects(apiKey: string): Record<string, unknown>[] {
    this.requireAccount(apiKey);
    return Object.entries(this.ledger.balances(apiKey)).map(([asset, b]) => this.balanceObject(asset, b));
  }

  /** One Balance object. */
  balanceObject(asset: string, b: { free: BigNumber; locked: BigNumber }): Record<string, unknown> {
    return {
      currencySymbol: asset,
      total: d8(b.free.plus(b.locked)),
      available: d8(b.free),
      updatedAt: new Date(this.clock.now()).toISOString(),
    };
  }

  // ------------------------------------------------------------- publication

  /** Sends everything that changed since the last flush, now. */
  flush(): void {
    this.flushQueued = false;
    for (const m of this.dirtyBooks) this.publishBook(m);
    this.dirtyBooks.clear();
    for (const [m, trades] of this.pendingTrades) {
      m.tradeSequence += 1;
      this.publisher.publicMessage(
        `trade_${m.input.symbol}`,
        'trade',
        {
          sequence: m.tradeSequence,
          marketSymbol: m.input.symbol,
          deltas: trades.map((t) => this.tradeObject(t)),
        },
        { market: m.input.symbol },
      );
    }
    this.pendingTrades.clear();
    // Executions before the order that they fill, balances last.
    for (const [apiKey, deltas] of this.pendingExecutions) {
      const acct = this.accounts.get(apiKey)!;
      acct.sequences.execution += 1;
      this.publisher.privateMessage(apiKey, 'execution', {
        accountId: acct.accountId,
        sequence: acct.sequences.execution,
        deltas,
      });
    }
    this.pendingExecutions.clear();
    for (const [apiKey, orders] of this.dirtyOrders) {
      const acct = this.accounts.get(apiKey)!;
      for (const o of orders.values()) {
        acct.sequences.order += 1;
        this.publisher.privateMessage(apiKey, 'order', {
          accountId: acct.accountId,
          sequence: acct.sequences.order,
          delta: this.orderObject(o),
        });
      }
    }
    this.dirtyOrders.clear();
    for (const [apiKey, assets] of this.dirtyBalances) {
      const acct = this.accounts.get(apiKey)!;
      const all = this.ledger.balances(apiKey);
      for (const asset of assets) {
        const b = all[asset];
        if (!b) continue;
        acct.sequences.balance += 1;
        this.publisher.privateMessage(apiKey, 'balance', {
          accountId: acct.accountId,
          sequence: acct.sequences.balance,
          delta: this.balanceObject(asset, b),
        });
      }
    }
    this.dirtyBalances.clear();
  }

  private publishAll(): void {
    for (const m of this.markets) this.publishBook(m);
  }

  /** Diffs the engine's top levels against what was published, per depth; a change is one delta message. */
  private publishBook(m: SimMarketState): void {
    for (const depth of SIM_DEPTHS) {
      const book = m.books.get(depth)!;
      const bidDeltas = diffSide(book.bids, m.engine.levels('bid', depth));
      const askDeltas = diffSide(book.asks, m.engine.levels('ask', depth));
      if (bidDeltas.length === 0 && askDeltas.length === 0) continue;
      book.sequence += 1;
      this.publisher.publicMessage(
        `orderbook_${m.input.symbol}_${depth}`,
        'orderBook',
        { marketSymbol: m.input.symbol, depth, sequence: book.sequence, bidDeltas, askDeltas },
        { market: m.input.symbol, depth },
      );
    }
  }

  private noteOrder(o: EngineOrder): void {
    const acct = this.accounts.get(o.account);
    if (!acct || this.refusedOrders.has(o.orderId)) return;
    const map = this.dirtyOrders.get(acct.apiKey) ?? new Map<string, EngineOrder>();
    map.set(o.orderId, o);
    this.dirtyOrders.set(acct.apiKey, map);
    if (!isOpen(o) && o.status !== 'rejected' && !acct.closed.includes(o.orderId))
      acct.closed.push(o.orderId);
    this.queueFlush();
  }

  private noteExecution(o: EngineOrder, t: EngineTrade, isMaker: boolean): void {
    if (!this.accounts.has(o.account)) return;
    const fee = isMaker ? t.makerFee.amount : t.takerFee.amount;
    const list = this.pendingExecutions.get(o.account) ?? [];
    list.push(this.executionObject(t, o.orderId, !isMaker, fee));
    this.pendingExecutions.set(o.account, list);
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      if (this.flushQueued) this.flush();
    });
  }

  private requireAccount(apiKey: string): Account {
    const a = this.accounts.get(apiKey);
    if (!a) throw new BittrexSimError(401, 'APIKEY_INVALID');
    return a;
  }
}

function isOpen(o: EngineOrder): boolean {
  return o.status === 'new' || o.status === 'partially_filled';
}

/** Absolute quantities for changed levels, "0" for levels gone (or pushed out of the depth). */
function diffSide(published: Map<string, string>, now: [string, string][]): WireLevel[] {
  const out: WireLevel[] = [];
  const seen = new Set<string>();
  for (const [price, amount] of now) {
    seen.add(price);
    if (published.get(price) !== amount) {
      published.set(price, amount);
      out.push({ quantity: d8(amount), rate: d8(price) });
    }
  }
  for (const price of [...published.keys()]) {
    if (seen.has(price)) continue;
    published.delete(price);
    out.push({ quantity: d8(0), rate: d8(price) });
  }
  return out;
}
