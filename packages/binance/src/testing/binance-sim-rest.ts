// Binance's spot REST API (shared/exchanges/binance.md §3, §4, §6, §7, §9): the
// public market data endpoints and the SIGNED order and account endpoints, with
// parameters read from the query string and the form body (the query wins), request
// weights and their headers on every answer, and Binance's `{code, msg}` refusals.

import type { SimHttpHandler, SimHttpRequest, SimHttpResponse } from '@hb/testing';
import type {
  BinanceAccount,
  BinanceDepthSnapshot,
  BinanceExchangeInfo,
  BinanceSymbolInfo,
} from '../binance-types.js';
import { authenticateRest } from './binance-sim-auth.js';
import { klines, ticker24hr } from './binance-sim-market-data.js';
import { BinanceSimError, illegalChars, invalidSymbol, mandatoryParam } from './binance-sim-errors.js';
import type { BinanceSimExchange, OrderRef, SimMarketState } from './binance-sim-exchange.js';
import { parseClientOrderId, parseId, parseNewOrder } from './binance-sim-orders.js';
import type { BinanceSimLimits, OrderRateCounter, RequestWeightLimiter } from './binance-sim-weights.js';
import { restWeight } from './binance-sim-weights.js';
import {
  cancelResponse,
  dec,
  myTrade,
  orderAck,
  orderFull,
  orderResult,
  queryOrder,
  recentTrade,
} from './binance-sim-wire.js';

/** What the REST handler needs from the simulator. */
export interface BinanceRestContext {
  readonly exchange: BinanceSimExchange;
  readonly weights: RequestWeightLimiter;
  readonly orders: OrderRateCounter;
  readonly limits: () => BinanceSimLimits;
  /** The depth snapshot to serve (the live book, or a stale one under a fault). */
  readonly depthSnapshot: (m: SimMarketState, limit: number) => BinanceDepthSnapshot;
}

interface RestCall {
  readonly params: Readonly<Record<string, string>>;
  /** The authenticated API key (SIGNED routes only; empty otherwise). */
  readonly apiKey: string;
  /** Response headers to add. */
  readonly headers: Record<string, string>;
}

interface Route {
  readonly method: string;
  readonly path: string;
  readonly signed: boolean;
  readonly handle: (call: RestCall) => unknown;
}

/** Builds the REST handler to pass to `startHttpServer`. */
export function createBinanceRestHandler(ctx: BinanceRestContext): SimHttpHandler {
  const routes = buildRoutes(ctx);
  return (req: SimHttpRequest): SimHttpResponse => {
    const route = routes.find((r) => r.method === req.method && r.path === req.path);
    if (route === undefined) {
      return {
        status: 404,
        headers: { 'Content-Type': 'text/html' },
        body: '<html><body><h2>404 Not found</h2></body></html>',
      };
    }
    const params = mergeParams(req);
    const headers: Record<string, string> = {};
    const verdict = ctx.weights.consume(restWeight(req.method, req.path, params));
    headers['X-MBX-USED-WEIGHT'] = String(verdict.used);
    headers['X-MBX-USED-WEIGHT-1M'] = String(verdict.used);
    if (!verdict.ok) return errorResponse(verdict.error, headers);
    try {
      let apiKey = '';
      if (route.signed) {
        const header = req.headers['x-mbx-apikey'];
        apiKey = authenticateRest(
          {
            apiKey: Array.isArray(header) ? header[0] : header,
            rawQuery: req.rawQuery,
            body: req.body,
            params,
          },
          ctx.exchange.secretFor,
          ctx.exchange.clock.now(),
        );
      }
      const body = route.handle({ params, apiKey, headers });
      return { status: 200, headers, body };
    } catch (e) {
      if (e instanceof BinanceSimError) return errorResponse(e, headers);
      return errorResponse(
        new BinanceSimError(-1000, 'An unknown error occured while processing the request.', 500),
        headers,
      );
    }
  };
}

function errorResponse(e: BinanceSimError, headers: Record<string, string>): SimHttpResponse {
  return { status: e.status, headers: { ...headers, ...e.headers }, body: e.body };
}

/** Query-string and form-body parameters; a key in both takes the query's value. */
export function mergeParams(req: SimHttpRequest): Record<string, string> {
  const out: Record<string, string> = {};
  if (req.body !== '') for (const [k, v] of new URLSearchParams(req.body)) out[k] = v;
  for (const [k, v] of req.searchParams) out[k] = v;
  return out;
}

function buildRoutes(ctx: BinanceRestContext): Route[] {
  const ex = ctx.exchange;
  const now = (): number => ex.clock.now();

  const orderRef = (p: Readonly<Record<string, string>>): OrderRef => {
    const orderId = parseId(p, 'orderId');
    const origClientOrderId = parseClientOrderId(p, 'origClientOrderId');
    if (orderId === undefined && origClientOrderId === undefined) {
      throw new BinanceSimError(
        -1102,
        "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
      );
    }
    return {
      ...(orderId === undefined ? {} : { orderId }),
      ...(origClientOrderId === undefined ? {} : { origClientOrderId }),
    };
  };

  const intParam = (p: Readonly<Record<string, string>>, name: string, dflt: number, max: number): number => {
    const raw = p[name];
    if (raw === undefined) return dflt;
    if (!/^[0-9]{1,10}$/.test(raw) || Number(raw) < 1) throw illegalChars(name, `1..${max}`);
    // Binance answers at most `max` rather than refusing a larger limit.
    return Math.min(Number(raw), max);
  };

  return [
    { method: 'GET', path: '/api/v3/ping', signed: false, handle: () => ({}) },
    { method: 'GET', path: '/api/v3/time', signed: false, handle: () => ({ serverTime: now() }) },
    {
      method: 'GET',
      path: '/api/v3/exchangeInfo',
      signed: false,
      handle: ({ params }) => exchangeInfo(ex, ctx.limits(), params),
    },
    {
      method: 'GET',
      path: '/api/v3/depth',
      signed: false,
      handle: ({ params }) =>
        ctx.depthSnapshot(ex.requireSymbol(params['symbol']), intParam(params, 'limit', 100, 5000)),
    },
    {
      method: 'GET',
      path: '/api/v3/trades',
      signed: false,
      handle: ({ params }) => {
        const m = ex.requireSymbol(params['symbol']);
        return m.engine.recentTrades(intParam(params, 'limit', 500, 1000)).map(recentTrade);
      },
    },
    {
      method: 'GET',
      path: '/api/v3/ticker/24hr',
      signed: false,
      handle: ({ params }) => {
        // No symbol: every symbol, as an array (weight 80).
        if (params['symbol'] === undefined) return ex.markets.map((m) => ticker24hr(m, now()));
        return ticker24hr(ex.requireSymbol(params['symbol']), now());
      },
    },
    {
      method: 'GET',
      path: '/api/v3/klines',
      signed: false,
      handle: ({ params }) => {
        return klines(ex.requireSymbol(params['symbol']), params, now());
      },
    },
    {
      method: 'POST',
      path: '/api/v3/order',
      signed: true,
      handle: ({ params, apiKey, headers }) => {
        const setCounts = (): void => {
          const c = ctx.orders.counts(apiKey);
          headers['X-MBX-ORDER-COUNT-10S'] = String(c.tenSeconds);
          headers['X-MBX-ORDER-COUNT-1D'] = String(c.day);
        };
        try {
          const m = ex.requireSymbol(params['symbol']);
          const spec = parseNewOrder(params);
          ctx.orders.check(apiKey);
          const placed = ex.placeOrder(apiKey, m, spec);
          ctx.orders.add(apiKey);
          const t = now();
          const symbol = m.market.symbol;
          if (spec.respType === 'ACK') return orderAck(symbol, placed.order, t);
          if (spec.respType === 'RESULT') return orderResult(symbol, placed.order, t);
          return orderFull(symbol, placed.order, t, placed.fills);
        } finally {
          setCounts();
        }
      },
    },
    {
      method: 'POST',
      path: '/api/v3/order/test',
      signed: true,
      handle: ({ params }) => {
        ex.requireSymbol(params['symbol']);
        parseNewOrder(params);
        return {};
      },
    },
    {
      method: 'DELETE',
      path: '/api/v3/order',
      signed: true,
      handle: ({ params, apiKey }) => {
        const m = ex.requireSymbol(params['symbol']);
        const ref = orderRef(params);
        const cancelId = parseClientOrderId(params, 'newClientOrderId');
        const r = ex.cancelOrder(apiKey, m, ref, cancelId, params['cancelRestrictions']);
        return cancelResponse(m.market.symbol, r.order, r.cancelId, now());
      },
    },
    {
      method: 'GET',
      path: '/api/v3/order',
      signed: true,
      handle: ({ params, apiKey }) => {
        const m = ex.requireSymbol(params['symbol']);
        return queryOrder(m.market.symbol, ex.queryOrder(apiKey, m, orderRef(params)));
      },
    },
    {
      method: 'GET',
      path: '/api/v3/openOrders',
      signed: true,
      handle: ({ params, apiKey }) => {
        const markets = params['symbol'] === undefined ? ex.markets : [ex.requireSymbol(params['symbol'])];
        return markets.flatMap((m) => m.engine.openOrders(apiKey).map((o) => queryOrder(m.market.symbol, o)));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v3/openOrders',
      signed: true,
      handle: ({ params, apiKey }) => {
        const m = ex.requireSymbol(params['symbol']);
        const t = now();
        return ex.cancelAll(apiKey, m).map((r) => cancelResponse(m.market.symbol, r.order, r.cancelId, t));
      },
    },
    {
      method: 'GET',
      path: '/api/v3/account',
      signed: true,
      handle: ({ params, apiKey }) => account(ex, apiKey, params['omitZeroBalances'] === 'true'),
    },
    {
      method: 'GET',
      path: '/api/v3/myTrades',
      signed: true,
      handle: ({ params, apiKey }) => {
        const m = ex.requireSymbol(params['symbol']);
        const orderId = parseId(params, 'orderId');
        const fromId = parseId(params, 'fromId');
        const limit = intParam(params, 'limit', 500, 1000);
        const startTime = parseId(params, 'startTime');
        const endTime = parseId(params, 'endTime');
        let rows = m.engine.accountTrades(apiKey, {
          ...(orderId === undefined ? {} : { orderId: String(orderId) }),
          ...(fromId === undefined ? {} : { fromId }),
        });
        if (startTime !== undefined) rows = rows.filter((r) => r.trade.timestamp >= startTime);
        if (endTime !== undefined) rows = rows.filter((r) => r.trade.timestamp <= endTime);
        // From an id: the oldest `limit` from there; otherwise the most recent `limit`.
        rows = fromId !== undefined ? rows.slice(0, limit) : rows.slice(-limit);
        return rows.map((r) => myTrade(m.market.symbol, r));
      },
    },
  ];
}

/** `GET /api/v3/exchangeInfo` (all symbols, or `symbol=` / `symbols=[...]`). */
export function exchangeInfo(
  ex: BinanceSimExchange,
  limits: BinanceSimLimits,
  params: Readonly<Record<string, string>> = {},
): BinanceExchangeInfo {
  let wanted: SimMarketState[] = [...ex.markets];
  if (params['symbol'] !== undefined) {
    wanted = [ex.requireSymbol(params['symbol'])];
  } else if (params['symbols'] !== undefined) {
    let list: unknown;
    try {
      list = JSON.parse(params['symbols']);
    } catch {
      throw mandatoryParam('symbols');
    }
    if (!Array.isArray(list)) throw mandatoryParam('symbols');
    wanted = list.map((s) => {
      const m = typeof s === 'string' ? ex.market(s) : undefined;
      if (m === undefined || m.market.symbol !== s) throw invalidSymbol();
      return m;
    });
  }
  return {
    timezone: 'UTC',
    serverTime: ex.clock.now(),
    rateLimits: [
      {
        rateLimitType: 'REQUEST_WEIGHT',
        interval: 'MINUTE',
        intervalNum: 1,
        limit: limits.requestWeightPerMinute,
      },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: limits.ordersPerDay },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: limits.rawRequestsPer5m },
    ],
    exchangeFilters: [],
    symbols: wanted.map(({ market: m }): BinanceSymbolInfo => ({
      symbol: m.symbol,
      status: m.status,
      baseAsset: m.baseAsset,
      baseAssetPrecision: 8,
      quoteAsset: m.quoteAsset,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
      icebergAllowed: false,
      ocoAllowed: false,
      quoteOrderQtyMarketAllowed: true,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: false,
      filters: [
        {
          filterType: 'PRICE_FILTER',
          minPrice: dec(m.minPrice),
          maxPrice: dec(m.maxPrice),
          tickSize: dec(m.tickSize),
        },
        { filterType: 'LOT_SIZE', minQty: dec(m.minQty), maxQty: dec(m.maxQty), stepSize: dec(m.stepSize) },
        {
          filterType: 'NOTIONAL',
          minNotional: dec(m.minNotional),
          applyMinToMarket: true,
          maxNotional: dec(m.maxNotional),
          applyMaxToMarket: false,
          avgPriceMins: 5,
        },
        { filterType: 'MARKET_LOT_SIZE', minQty: dec(0), maxQty: dec(m.marketMaxQty), stepSize: dec(0) },
        { filterType: 'MAX_NUM_ORDERS', maxNumOrders: m.maxNumOrders },
      ],
      permissions: [],
      permissionSets: [['SPOT']],
      defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
      allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
    })),
  };
}

/** `GET /api/v3/account`. */
export function account(ex: BinanceSimExchange, apiKey: string, omitZero: boolean): BinanceAccount {
  const rates = ex.fees.get(apiKey);
  const balances = ex
    .accountAssets(apiKey)
    .map((asset) => {
      const b = ex.ledger.balance(apiKey, asset);
      return { asset, free: dec(b.free), locked: dec(b.locked), zero: b.total.isZero() };
    })
    .filter((b) => !(omitZero && b.zero))
    .map(({ asset, free, locked }) => ({ asset, free, locked }));
  return {
    makerCommission: rates.maker.times(10_000).integerValue().toNumber(),
    takerCommission: rates.taker.times(10_000).integerValue().toNumber(),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: dec(rates.maker), taker: dec(rates.taker), buyer: dec(0), seller: dec(0) },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    accountType: 'SPOT',
    updateTime: ex.clock.now(),
    balances,
    permissions: ['SPOT'],
    uid: ex.uidOf(apiKey),
  };
}
