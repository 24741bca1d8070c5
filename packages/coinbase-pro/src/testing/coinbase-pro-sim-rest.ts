// Coinbase Exchange's REST API (coinbase-pro.md §2, §4, §6, §7): public product,
// book, trade, ticker and time endpoints; signed order, account, fill and fee
// endpoints; cursor pagination with CB-BEFORE / CB-AFTER; token-bucket rate limits;
// every refusal as `{"message": ...}`.

import BigNumber from 'bignumber.js';
import { Router, type SimHttpRequest, type SimHttpResponse } from '@hb/testing';
import { authenticate } from './coinbase-pro-sim-auth.js';
import { productCandles, productStats } from './coinbase-pro-sim-market-data.js';
import { COINBASE_SIM_MSG, CoinbaseSimError, badRequest, notFound } from './coinbase-pro-sim-errors.js';
import {
  ORDER_LIST_STATUSES,
  type CoinbaseSimExchange,
  type OrderRef,
  type SimProductState,
} from './coinbase-pro-sim-exchange.js';
import type { FullChannel } from './coinbase-pro-sim-full.js';
import type { RateBucketKind, RateLimiter } from './coinbase-pro-sim-rate-limits.js';
import type { OrderResponseMode } from './coinbase-pro-sim-types.js';
import {
  amount16,
  fillJson,
  isoMicros,
  orderJson,
  price as fmtPrice,
  productJson,
  size8,
  tradeJson,
} from './coinbase-pro-sim-wire.js';

/** What the REST handler needs from the simulator. */
export interface CoinbaseRestContext {
  readonly exchange: CoinbaseSimExchange;
  readonly full: FullChannel;
  readonly limiter: RateLimiter;
  readonly timestampToleranceSec: number;
  readonly orderResponse: OrderResponseMode;
}

/** Pagination defaults: 2025 docs say default and maximum 1000; trades default to 100. */
const MAX_PAGE = 1000;
/** Every request comes from loopback: one public bucket. */
const LOOPBACK = '127.0.0.1';

type Handler = (req: SimHttpRequest, apiKey: string) => { body: unknown; headers?: Record<string, string> };

/** Builds the REST router to pass to `startHttpServer`. */
export function createCoinbaseRestRouter(ctx: CoinbaseRestContext): Router {
  const ex = ctx.exchange;
  const router = new Router();
  router.notFound(() => ({ status: 404, body: { message: COINBASE_SIM_MSG.notFound } }));

  const run = (req: SimHttpRequest, bucket: RateBucketKind | undefined, h: Handler): SimHttpResponse => {
    try {
      let apiKey = '';
      if (bucket === undefined) {
        ctx.limiter.consume('public', LOOPBACK);
      } else {
        apiKey = authenticate(
          {
            key: header(req, 'cb-access-key'),
            passphrase: header(req, 'cb-access-passphrase'),
            timestamp: header(req, 'cb-access-timestamp'),
            signature: header(req, 'cb-access-sign'),
            method: req.method,
            requestPath: req.url,
            body: req.body,
          },
          ex.keyRecord,
          ex.clock.now(),
          ctx.timestampToleranceSec,
        );
        ctx.limiter.consume(bucket, apiKey);
      }
      const r = h(req, apiKey);
      const body = typeof r.body === 'string' ? JSON.stringify(r.body) : r.body;
      return { status: 200, headers: { 'Content-Type': 'application/json', ...(r.headers ?? {}) }, body };
    } catch (e) {
      if (e instanceof CoinbaseSimError) return { status: e.status, body: e.body };
      return { status: 500, body: { message: COINBASE_SIM_MSG.internal } };
    }
  };
  const pub = (h: Handler) => (req: SimHttpRequest) => run(req, undefined, h);
  const priv =
    (h: Handler, bucket: RateBucketKind = 'private') =>
    (req: SimHttpRequest) =>
      run(req, bucket, h);
  const product = (req: SimHttpRequest): SimProductState => ex.requireProduct(req.params['id']);

  // ---------------------------------------------------------------- public

  router.get(
    '/time',
    pub(() => {
      const now = ex.clock.now();
      return { body: { iso: new Date(now).toISOString(), epoch: now / 1000 } };
    }),
  );
  router.get(
    '/products',
    pub(() => ({ body: ex.markets.map((m) => productJson(m.product)) })),
  );
  router.get(
    '/products/:id',
    pub((req) => ({ body: productJson(product(req).product) })),
  );
  router.get(
    '/products/:id/book',
    pub((req) => {
      const m = product(req);
      const level = req.query['level'] ?? '1';
      if (level !== '1' && level !== '2' && level !== '3') throw badRequest('Invalid level');
      return { body: book(m, Number(level), ctx.full.sequence(m.product.id)) };
    }),
  );
  router.get(
    '/products/:id/trades',
    pub((req) => {
      const m = product(req);
      const trades = m.engine.recentTrades().reverse();
      const page = paginate(trades, (t) => t.tradeId, req, 100);
      return { body: page.items.map(tradeJson), headers: page.headers };
    }),
  );
  router.get(
    '/products/:id/ticker',
    pub((req) => {
      const m = product(req);
      const e = m.engine;
      const last = e.recentTrades(1)[0];
      const now = ex.clock.now();
      const volume = e
        .recentTrades()
        .filter((t) => t.timestamp >= now - 86_400_000)
        .reduce((s, t) => s.plus(t.amount), new BigNumber(0));
      const bid = e.bestBid();
      const ask = e.bestAsk();
      return {
        body: {
          trade_id: last?.tradeId ?? 0,
          price: last === undefined ? '0' : fmtPrice(m.product, last.price),
          size: last === undefined ? '0' : size8(last.amount),
          time: isoMicros(last?.timestamp ?? now),
          bid: bid === undefined ? '' : fmtPrice(m.product, bid),
          ask: ask === undefined ? '' : fmtPrice(m.product, ask),
          volume: size8(volume),
        },
      };
    }),
  );

  router.get(
    '/products/:id/stats',
    pub((req) => ({ body: productStats(product(req), ex.clock.now()) })),
  );
  router.get(
    '/products/:id/candles',
    pub((req) => ({
      body: productCandles(
        product(req),
        req.query['granularity'],
        req.query['start'],
        req.query['end'],
        ex.clock.now(),
      ),
    })),
  );

  // ---------------------------------------------------------------- private

  router.get(
    '/accounts',
    priv((_req, apiKey) => ({ body: accounts(ex, apiKey) })),
  );
  router.get(
    '/accounts/:id',
    priv((req, apiKey) => {
      const row = accounts(ex, apiKey).find((a) => a.id === req.params['id']);
      if (row === undefined) throw notFound();
      return { body: row };
    }),
  );
  router.get(
    '/fees',
    priv((_req, apiKey) => {
      const r = ex.fees.get(apiKey);
      return {
        body: { maker_fee_rate: r.maker.toFixed(4), taker_fee_rate: r.taker.toFixed(4), usd_volume: '0.00' },
      };
    }),
  );
  router.post(
    '/orders',
    priv((req, apiKey) => {
      let body: unknown;
      try {
        body = JSON.parse(req.body === '' ? 'null' : req.body);
      } catch {
        throw badRequest('Invalid JSON');
      }
      const placed = ex.placeOrder(apiKey, body);
      return { body: orderJson(placed.order, placed.meta.extras, ctx.orderResponse === 'pending') };
    }),
  );
  router.delete(
    '/orders',
    priv((req, apiKey) => {
      const productId = req.query['product_id'];
      if (productId !== undefined && ex.market(productId) === undefined)
        throw badRequest(COINBASE_SIM_MSG.productNotFound);
      return { body: ex.cancelAll(apiKey, productId) };
    }),
  );
  router.delete(
    '/orders/:id',
    priv((req, apiKey) => {
      const ref = orderRef(req.params['id'] ?? '');
      const cancelled = ex.cancelOrder(apiKey, ref, req.query['product_id']);
      // The answer names the order as the request did: its id, or the client_oid.
      return { body: 'clientOid' in ref ? ref.clientOid : cancelled.orderId };
    }),
  );
  router.get(
    '/orders',
    priv((req, apiKey) => {
      const statuses = req.searchParams.getAll('status');
      for (const s of statuses) {
        if (!(ORDER_LIST_STATUSES as readonly string[]).includes(s)) throw badRequest(`Invalid status: ${s}`);
      }
      const productId = req.query['product_id'];
      if (productId !== undefined && ex.market(productId) === undefined)
        throw badRequest(COINBASE_SIM_MSG.productNotFound);
      const rows = ex.listOrders(
        apiKey,
        statuses.length === 0 ? ['open', 'pending', 'active'] : statuses,
        productId,
      );
      const page = paginate(rows, (r) => r.meta.seq, req, MAX_PAGE);
      return { body: page.items.map((r) => orderJson(r.order, r.meta.extras)), headers: page.headers };
    }),
  );
  router.get(
    '/orders/:id',
    priv((req, apiKey) => {
      const { order, meta } = ex.findOrder(apiKey, orderRef(req.params['id'] ?? ''));
      return { body: orderJson(order, meta.extras) };
    }),
  );
  router.get(
    '/fills',
    priv((req, apiKey) => {
      const orderId = req.query['order_id'];
      const productId = req.query['product_id'];
      if (orderId === undefined && productId === undefined)
        throw badRequest('required parameter product_id or order_id');
      if (productId !== undefined && ex.market(productId) === undefined)
        throw badRequest(COINBASE_SIM_MSG.productNotFound);
      const rows = ex.fills(apiKey, {
        ...(orderId === undefined ? {} : { orderId }),
        ...(productId === undefined ? {} : { productId }),
      });
      const page = paginate(rows, (r) => r.row.trade.tradeId, req, MAX_PAGE);
      const acct = ex.account(apiKey);
      const ids = { userId: acct?.userId ?? '', profileId: acct?.profileId ?? '' };
      return { body: page.items.map((r) => fillJson(r.market.product, r.row, ids)), headers: page.headers };
    }, 'fills'),
  );

  return router;
}

function header(req: SimHttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function orderRef(raw: string): OrderRef {
  if (raw.startsWith('client:')) return { clientOid: raw.slice('client:'.length) };
  return { orderId: raw };
}

/**
 * Cursor pagination over `items` sorted newest first: `after` gives older items
 * (cursor below it), `before` newer ones (the `limit` closest above it). CB-BEFORE /
 * CB-AFTER carry the cursors of the page's first and last item.
 */
export function paginate<T>(
  items: readonly T[],
  cursorOf: (item: T) => number,
  req: SimHttpRequest,
  defaultLimit: number,
): { items: T[]; headers: Record<string, string> } {
  const limitRaw = req.query['limit'];
  let limit = defaultLimit;
  if (limitRaw !== undefined) {
    if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1) throw badRequest('Invalid limit');
    limit = Math.min(Number(limitRaw), MAX_PAGE);
  }
  const cursor = (name: string): number | undefined => {
    const v = req.query[name];
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw badRequest(`Invalid ${name}`);
    return Number(v);
  };
  const after = cursor('after');
  const before = cursor('before');
  let rows = items.filter((it) => {
    const c = cursorOf(it);
    return (after === undefined || c < after) && (before === undefined || c > before);
  });
  rows =
    before !== undefined && after === undefined
      ? rows.slice(Math.max(0, rows.length - limit))
      : rows.slice(0, limit);
  const headers: Record<string, string> = {};
  if (rows.length > 0) {
    headers['CB-BEFORE'] = String(cursorOf(rows[0] as T));
    headers['CB-AFTER'] = String(cursorOf(rows[rows.length - 1] as T));
  }
  return { items: rows, headers };
}

/** `GET /products/{id}/book?level=N` with the product's current feed sequence. */
export function book(m: SimProductState, level: number, sequence: number): unknown {
  const p = m.product;
  const side = (s: 'bid' | 'ask'): unknown[] => {
    const orders = m.engine.bookOrders(s);
    if (level === 3) return orders.map((o) => [fmtPrice(p, o.price), size8(o.remaining), o.orderId]);
    const levels: [string, BigNumber, number][] = [];
    for (const o of orders) {
      const key = fmtPrice(p, o.price);
      const last = levels[levels.length - 1];
      if (last !== undefined && last[0] === key) {
        last[1] = last[1].plus(o.remaining);
        last[2] += 1;
      } else {
        if (level === 1 && levels.length === 1) break;
        levels.push([key, o.remaining, 1]);
      }
    }
    return levels.map(([px, sz, n]) => [px, size8(sz), n]);
  };
  return { sequence, bids: side('bid'), asks: side('ask'), auction_mode: false, auction: null };
}

/** `GET /accounts`: one row per currency, `balance = available + hold`. */
export function accounts(
  ex: CoinbaseSimExchange,
  apiKey: string,
): { id: string; currency: string; balance: string; available: string; hold: string; profile_id: string }[] {
  const profileId = ex.account(apiKey)?.profileId ?? '';
  return ex.accountAssets(apiKey).map((currency) => {
    const b = ex.ledger.balance(apiKey, currency);
    return {
      id: ex.walletId(apiKey, currency),
      currency,
      balance: amount16(b.total),
      available: amount16(b.free),
      hold: amount16(b.locked),
      profile_id: profileId,
    };
  });
}
