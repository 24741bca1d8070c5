// The simulated exchange behind every endpoint: one matching engine per product on
// a shared balance ledger (fees in quote, Coinbase's default self-trade prevention
// `dc`), the API keys, and Coinbase's order rules (coinbase-pro.md §7): validation
// with its refusals, placement, cancel by id or client_oid, queries, and the purge of
// orders cancelled with no fill. REST and the feed are thin layers in front of it.

import BigNumber from 'bignumber.js';
import {
  SimExchangeBase,
  type MatchingEngine,
  type AccountTrade,
  type EngineEvent,
  type EngineOrder,
  type PlaceOrderRequest,
  type SelfTradePrevention,
  type SimClock,
} from '@hb/testing';
import { isBase64, type KeyRecord } from './coinbase-pro-sim-auth.js';
import { COINBASE_SIM_MSG, CoinbaseSimError, badRequest, notFound } from './coinbase-pro-sim-errors.js';
import type {
  CoinbaseSimAccount,
  CoinbaseSimAccountInput,
  CoinbaseSimProduct,
} from './coinbase-pro-sim-types.js';
import type { OrderExtras } from './coinbase-pro-sim-wire.js';

/** One product of the simulator with its engine. */
export interface SimProductState {
  readonly product: CoinbaseSimProduct;
  readonly engine: MatchingEngine;
}

/** A registered API key. */
interface ApiAccount extends KeyRecord, CoinbaseSimAccount {}

/** What the simulator keeps about an order placed through the API. */
export interface OrderMeta {
  readonly orderId: string;
  readonly account: string;
  readonly market: SimProductState;
  /** Listing cursor: increases with every placement. */
  readonly seq: number;
  readonly extras: OrderExtras;
  /** Set for an order the engine refused (post-only cross): it never entered the engine. */
  rejected: EngineOrder | undefined;
  /** Cancelled with no fill: gone from every query (404), as on Coinbase. */
  purged: boolean;
}

/** A placed order as the REST layer needs it. */
export interface PlacedOrder {
  readonly order: EngineOrder;
  readonly meta: OrderMeta;
}

/** How a cancel or a query names an order: `/orders/{id}` or `/orders/client:{client_oid}`. */
export type OrderRef = { readonly orderId: string } | { readonly clientOid: string };

/** Options of {@link CoinbaseSimExchange}. */
export interface CoinbaseSimExchangeOptions {
  readonly products: readonly CoinbaseSimProduct[];
  readonly clock: SimClock;
  readonly fees: { readonly maker: BigNumber.Value; readonly taker: BigNumber.Value };
  readonly seed: number;
  readonly maxOpenOrdersPerProduct: () => number;
}

/** Order statuses `GET /orders` filters on. */
export const ORDER_LIST_STATUSES = [
  'open',
  'pending',
  'active',
  'done',
  'rejected',
  'received',
  'all',
] as const;

const UUID_V4_LOWER = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** True for a lowercase RFC-4122 variant-1 UUIDv4 (the only client_oid Coinbase processes). */
export function isValidClientOid(s: string): boolean {
  return UUID_V4_LOWER.test(s);
}

/** The exchange state and Coinbase's order rules on top of the @hb/testing engine. */
export class CoinbaseSimExchange extends SimExchangeBase<ApiAccount> {
  /** The products with their engines, in listing order. */
  readonly markets: readonly SimProductState[];

  private readonly byId = new Map<string, SimProductState>();
  private readonly metas = new Map<string, OrderMeta>();
  private readonly metasByAccount = new Map<string, OrderMeta[]>();
  private readonly clientIndex = new Map<string, Map<string, string>>();
  private readonly walletIds = new Map<string, string>();
  private readonly maxOpen: () => number;
  private placing:
    { account: string; market: SimProductState; clientOid: string | undefined; meta?: OrderMeta } | undefined;
  private nextSeq = 1;

  constructor(options: CoinbaseSimExchangeOptions) {
    super('CoinbaseProSimulator', options);
    this.maxOpen = options.maxOpenOrdersPerProduct;
    this.markets = options.products.map((product, i) => {
      const listing = {
        pair: product.id,
        id: product.id,
        baseAsset: product.baseCurrency,
        quoteAsset: product.quoteCurrency,
        tickSize: product.quoteIncrement,
        midPrice: product.midPrice,
        // 100 000 base increments (0.001 BTC): whole orders worth a few dollars.
        activityStepSize: new BigNumber(product.baseIncrement).times(100_000),
      };
      const engine = this.listMarket(i, listing, {
        // Coinbase charges every fee in quote; a limit buy holds price x size x (1 + fee).
        feeAssetPolicy: 'quote',
        selfTradePrevention: 'decrement_and_cancel',
        amountStep: product.baseIncrement,
        orderIdFactory: () => this.uuid(),
      });
      const state = { product, engine };
      this.byId.set(product.id, state);
      // Subscribed before the feed, so an order's meta exists when its `received` goes out.
      engine.events$.subscribe((ev) => this.onEngineEvent(state, ev));
      return state;
    });
  }

  /** A product by id. */
  market(productId: string): SimProductState | undefined {
    return this.byId.get(productId);
  }

  /** The product named in a path or parameter; 404 NotFound when unknown. */
  requireProduct(productId: string | undefined): SimProductState {
    const m = productId === undefined ? undefined : this.byId.get(productId);
    if (m === undefined) throw notFound();
    return m;
  }

  /** A random (seeded) UUIDv4, lowercase. */
  uuid(): string {
    const b: number[] = [];
    for (let i = 0; i < 16; i++) b.push(this.prng.int(0, 255));
    b[6] = ((b[6] as number) & 0x0f) | 0x40;
    b[8] = ((b[8] as number) & 0x3f) | 0x80;
    const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // ------------------------------------------------------------- accounts

  /** Registers an API key and deposits its balances. */
  createAccount(input: CoinbaseSimAccountInput): CoinbaseSimAccount {
    if (!isBase64(input.apiSecret)) throw new Error('CoinbaseProSimulator: apiSecret must be base64');
    const acct = this.accounts.register(input, () => {
      let userId = '';
      for (let i = 0; i < 24; i++) userId += this.prng.int(0, 15).toString(16);
      return {
        apiKey: input.apiKey,
        apiSecret: input.apiSecret,
        passphrase: input.passphrase,
        userId,
        profileId: this.uuid(),
      };
    });
    return { apiKey: acct.apiKey, userId: acct.userId, profileId: acct.profileId };
  }

  /** Secret and passphrase of a key, for the signature check. */
  readonly keyRecord = (apiKey: string): KeyRecord | undefined => this.accounts.get(apiKey);

  /** user_id / profile_id of an API key; undefined for internal traders. */
  account(apiKey: string): CoinbaseSimAccount | undefined {
    return this.accounts.get(apiKey);
  }

  /** A stable account (wallet) id per key and currency. */
  walletId(apiKey: string, currency: string): string {
    const key = `${apiKey}\u0000${currency}`;
    let id = this.walletIds.get(key);
    if (id === undefined) {
      id = this.uuid();
      this.walletIds.set(key, id);
    }
    return id;
  }

  // ------------------------------------------------------------- orders

  /** `POST /orders`: validates the body as Coinbase does, then places it. */
  placeOrder(apiKey: string, body: unknown): PlacedOrder {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw badRequest('Invalid request body');
    const b = body as Record<string, unknown>;
    const productId = b['product_id'];
    if (typeof productId !== 'string' || productId === '') throw badRequest('product_id is required');
    const market = this.byId.get(productId);
    if (market === undefined) throw badRequest(COINBASE_SIM_MSG.productNotFound);
    const p = market.product;
    const side = b['side'];
    if (side !== 'buy' && side !== 'sell') throw badRequest('Invalid side');
    const type = b['type'] ?? 'limit';
    if (type !== 'limit' && type !== 'market')
      throw badRequest(`Invalid type: ${String(type)} orders are not supported`);
    if (p.tradingDisabled || p.status !== 'online')
      throw new CoinbaseSimError(403, COINBASE_SIM_MSG.tradingDisabled);
    if (p.cancelOnly) throw badRequest(COINBASE_SIM_MSG.cancelOnly);
    const postOnlyRaw = b['post_only'];
    if (postOnlyRaw !== undefined && typeof postOnlyRaw !== 'boolean') throw badRequest('Invalid post_only');
    const postOnly = postOnlyRaw === true;
    if (type === 'market' && p.limitOnly) throw badRequest(COINBASE_SIM_MSG.limitOnlyMode);
    if (p.postOnly && !(type === 'limit' && postOnly)) throw badRequest(COINBASE_SIM_MSG.postOnlyMode);

    const stp = parseStp(b['stp']);
    const clientOidRaw = b['client_oid'];
    // A malformed client_oid is accepted and silently not processed (§7).
    const clientOid =
      typeof clientOidRaw === 'string' && isValidClientOid(clientOidRaw) ? clientOidRaw : undefined;

    const base = { account: apiKey, side, selfTradePrevention: stp } as const;
    let req: PlaceOrderRequest;
    if (type === 'limit') {
      const price = decimalField(b, 'price', p.quoteIncrement, 'price');
      const size = decimalField(b, 'size', p.baseIncrement, 'size');
      if (price === undefined) throw badRequest('price is required');
      if (size === undefined) throw badRequest('size is required');
      const tif = b['time_in_force'] ?? 'GTC';
      if (tif === 'GTT' || tif === 'GTD') throw badRequest(`Invalid time_in_force: ${tif} is not supported`);
      if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') throw badRequest('Invalid time_in_force');
      if (postOnly && tif !== 'GTC')
        throw badRequest('Invalid post_only: only valid with time_in_force GTC or GTT');
      checkMinSize(p, size);
      if (price.times(size).lt(p.minMarketFunds)) {
        throw badRequest(`size is too small. Minimum order value is ${p.minMarketFunds} ${p.quoteCurrency}`);
      }
      req = { ...base, type: 'limit', price, amount: size, timeInForce: tif, postOnly };
    } else {
      if (postOnly) throw badRequest('Invalid post_only: only valid for limit orders');
      const size = decimalField(b, 'size', p.baseIncrement, 'size');
      const funds = decimalField(b, 'funds', p.quoteIncrement, 'funds');
      if ((size === undefined) === (funds === undefined))
        throw badRequest('Market orders must specify either size or funds');
      if (size !== undefined) {
        checkMinSize(p, size);
        req = { ...base, type: 'market', amount: size };
      } else {
        const f = funds as BigNumber;
        if (f.lt(p.minMarketFunds))
          throw badRequest(`funds is too small. Minimum funds is ${p.minMarketFunds}`);
        req = { ...base, type: 'market', quoteAmount: f };
      }
    }
    if (market.engine.openOrders(apiKey).length >= this.maxOpen())
      throw badRequest(COINBASE_SIM_MSG.tooManyOpenOrders);

    this.placing = { account: apiKey, market, clientOid };
    let order: EngineOrder;
    let meta: OrderMeta | undefined;
    try {
      order = market.engine.place(req);
      meta = this.placing.meta;
    } finally {
      this.placing = undefined;
    }
    if (meta === undefined) throw new CoinbaseSimError(500, COINBASE_SIM_MSG.internal);
    if (order.status === 'rejected') {
      if (order.rejectReason === 'post_only_would_take') {
        meta.rejected = order;
        return { order, meta };
      }
      // Nothing was held or placed: forget it.
      this.dropMeta(meta);
      throw badRequest(COINBASE_SIM_MSG.insufficientFunds);
    }
    return { order, meta };
  }

  /** The account's order by id or client_oid (404 NotFound when unknown, another account's, or purged). */
  findOrder(apiKey: string, ref: OrderRef): { order: EngineOrder; meta: OrderMeta } {
    const id = 'orderId' in ref ? ref.orderId : this.clientIndex.get(apiKey)?.get(ref.clientOid);
    const meta = id === undefined ? undefined : this.metas.get(id);
    if (meta === undefined || meta.account !== apiKey || meta.purged) throw notFound();
    const order = meta.rejected ?? meta.market.engine.getOrder(meta.orderId);
    if (order === undefined) throw notFound();
    return { order, meta };
  }

  /**
   * `DELETE /orders/{id}`: cancels an open order. 404 NotFound when unknown (or, with
   * `productId`, on another product); 400 "Order already done" when finished.
   */
  cancelOrder(apiKey: string, ref: OrderRef, productId?: string): EngineOrder {
    const { order, meta } = this.findOrder(apiKey, ref);
    if (productId !== undefined && meta.market.product.id !== productId) throw notFound();
    if (order.status !== 'new' && order.status !== 'partially_filled')
      throw badRequest(COINBASE_SIM_MSG.orderAlreadyDone);
    const cancelled = meta.market.engine.cancel(order.orderId, apiKey);
    if (cancelled === undefined) throw badRequest(COINBASE_SIM_MSG.orderAlreadyDone);
    return cancelled;
  }

  /** `DELETE /orders`: cancels every open order of the key (on one product when given). */
  cancelAll(apiKey: string, productId?: string): string[] {
    const markets = productId === undefined ? this.markets : [this.requireProduct(productId)];
    const ids: string[] = [];
    for (const m of markets) for (const o of m.engine.cancelAll(apiKey)) ids.push(o.orderId);
    return ids;
  }

  /**
   * The key's orders with one of `statuses`, newest first. `open`/`pending`/`active`
   * all name resting orders (the simulator has no pending window and no stops).
   */
  listOrders(apiKey: string, statuses: readonly string[], productId?: string): PlacedOrder[] {
    const all = statuses.includes('all');
    const wantOpen =
      all || statuses.some((s) => s === 'open' || s === 'pending' || s === 'active' || s === 'received');
    const wantDone = all || statuses.includes('done');
    const wantRejected = all || statuses.includes('rejected');
    const out: PlacedOrder[] = [];
    const list = this.metasByAccount.get(apiKey) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const meta = list[i] as OrderMeta;
      if (meta.purged || (productId !== undefined && meta.market.product.id !== productId)) continue;
      const order = meta.rejected ?? meta.market.engine.getOrder(meta.orderId);
      if (order === undefined) continue;
      const open = order.status === 'new' || order.status === 'partially_filled';
      const rejected = order.status === 'rejected';
      if ((open && wantOpen) || (rejected && wantRejected) || (!open && !rejected && wantDone))
        out.push({ order, meta });
    }
    return out;
  }

  /** The key's fills, newest first, of one order or one product. */
  fills(
    apiKey: string,
    query: { orderId?: string; productId?: string },
  ): { market: SimProductState; row: AccountTrade }[] {
    let markets: readonly SimProductState[];
    if (query.orderId !== undefined) {
      const meta = this.metas.get(query.orderId);
      if (meta === undefined || meta.account !== apiKey) return [];
      if (query.productId !== undefined && meta.market.product.id !== query.productId) return [];
      markets = [meta.market];
    } else {
      markets = [this.requireProduct(query.productId)];
    }
    const out: { market: SimProductState; row: AccountTrade }[] = [];
    for (const market of markets) {
      const rows = market.engine.accountTrades(
        apiKey,
        query.orderId === undefined ? {} : { orderId: query.orderId },
      );
      for (const row of rows) out.push({ market, row });
    }
    return out.reverse();
  }

  /** The meta of an API order by engine id (undefined for internal traders' orders). */
  metaOf(orderId: string): OrderMeta | undefined {
    return this.metas.get(orderId);
  }

  /** The key's order by client_oid (any status, purged included), for truth accessors. */
  override findOrderByClientId(apiKey: string, clientOid: string): EngineOrder | undefined {
    const id = this.clientIndex.get(apiKey)?.get(clientOid);
    const meta = id === undefined ? undefined : this.metas.get(id);
    if (meta === undefined) return undefined;
    return meta.rejected ?? meta.market.engine.getOrder(meta.orderId);
  }

  // ------------------------------------------------------------- internals

  private onEngineEvent(market: SimProductState, ev: EngineEvent): void {
    const pl = this.placing;
    if (
      (ev.type === 'order_accepted' || ev.type === 'order_rejected') &&
      pl !== undefined &&
      pl.meta === undefined &&
      pl.market === market &&
      ev.order.account === pl.account
    ) {
      pl.meta = this.addMeta(pl.account, market, ev.order.orderId, pl.clientOid);
      return;
    }
    // Cancelled without a single fill (by the user, or an IOC/FOK/STP remainder):
    // Coinbase purges the order (§7 Query).
    if ((ev.type === 'order_cancelled' || ev.type === 'order_expired') && ev.order.filledAmount.isZero()) {
      const meta = this.metas.get(ev.order.orderId);
      if (meta !== undefined) meta.purged = true;
    }
  }

  private addMeta(
    account: string,
    market: SimProductState,
    orderId: string,
    clientOid: string | undefined,
  ): OrderMeta {
    const acct = this.accounts.get(account);
    const meta: OrderMeta = {
      orderId,
      account,
      market,
      seq: this.nextSeq++,
      extras: {
        product: market.product,
        profileId: acct?.profileId ?? '',
        clientOid,
        takerFeeRate: this.fees.get(account).taker,
      },
      rejected: undefined,
      purged: false,
    };
    this.metas.set(orderId, meta);
    let list = this.metasByAccount.get(account);
    if (list === undefined) {
      list = [];
      this.metasByAccount.set(account, list);
    }
    list.push(meta);
    if (clientOid !== undefined) {
      let m = this.clientIndex.get(account);
      if (m === undefined) {
        m = new Map();
        this.clientIndex.set(account, m);
      }
      m.set(clientOid, orderId);
    }
    return meta;
  }

  private dropMeta(meta: OrderMeta): void {
    this.metas.delete(meta.orderId);
    const list = this.metasByAccount.get(meta.account);
    if (list !== undefined && list[list.length - 1] === meta) list.pop();
    const oid = meta.extras.clientOid;
    if (oid !== undefined && this.clientIndex.get(meta.account)?.get(oid) === meta.orderId) {
      this.clientIndex.get(meta.account)?.delete(oid);
    }
  }
}

function parseStp(v: unknown): SelfTradePrevention {
  switch (v) {
    case undefined:
    case 'dc':
      return 'decrement_and_cancel';
    case 'co':
      return 'expire_maker';
    case 'cn':
      return 'expire_taker';
    case 'cb':
      return 'expire_both';
    default:
      throw badRequest('Invalid stp');
  }
}

/**
 * A decimal-string field that must be a positive multiple of `increment`. Coinbase
 * sends decimals as strings; numbers are accepted too, as its API does.
 */
function decimalField(
  b: Record<string, unknown>,
  name: string,
  increment: string,
  label: string,
): BigNumber | undefined {
  const raw = b[name];
  if (raw === undefined || raw === null) return undefined;
  const text = typeof raw === 'number' ? new BigNumber(raw).toFixed() : raw;
  if (typeof text !== 'string' || !DECIMAL.test(text)) throw badRequest(`Invalid ${label}`);
  const v = new BigNumber(text);
  if (!v.gt(0)) throw badRequest(`${label} is too small. Minimum ${label} is ${increment}`);
  if (!v.mod(increment).isZero()) throw badRequest(`${label} is too accurate. Smallest unit is ${increment}`);
  return v;
}

function checkMinSize(p: CoinbaseSimProduct, size: BigNumber): void {
  if (p.baseMinSize !== undefined && size.lt(p.baseMinSize)) {
    throw badRequest(`size is too small. Minimum size is ${p.baseMinSize}`);
  }
}
