// The simulator's REST API under `/v3` (bittrex.md §2-§4, §6, §7, §9): Bittrex's
// paths, the `Sequence` header on snapshot endpoints (and HEAD variants), the
// Api-* signature and content-hash checks with Bittrex's error codes, the
// per-minute request limit with 429 THROTTLED, and errors as `{code, detail}`.
import { createHash, createHmac } from 'node:crypto';
import { Router, type SimHttpRequest, type SimHttpResponse } from '@hb/testing';
import {
  BittrexSimError,
  SIM_DEPTHS,
  type BittrexSimExchange,
  type SimDepth,
} from './bittrex-sim-exchange.js';

/** Options of {@link createBittrexRestRouter}. */
export interface BittrexRestOptions {
  readonly exchange: BittrexSimExchange;
  /** Calls per key (or per client without a key) per calendar minute. */
  readonly requestsPerMinute: () => number;
  readonly timestampToleranceMs: number;
}

/** Counts calls per key in fixed one-minute windows, as Bittrex documents. */
class MinuteCounter {
  private window = -1;
  private readonly counts = new Map<string, number>();

  hit(key: string, now: number, limit: number): boolean {
    const w = Math.floor(now / 60_000);
    if (w !== this.window) {
      this.window = w;
      this.counts.clear();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n <= limit;
  }
}

function header(r: SimHttpRequest, name: string): string | undefined {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function err(e: BittrexSimError): SimHttpResponse {
  return { status: e.status, body: e.body() };
}

/** The `/v3` router of the simulator. */
export function createBittrexRestRouter(options: BittrexRestOptions): Router {
  const ex = options.exchange;
  const limiter = new MinuteCounter();
  const router = new Router();

  /** Every call: the rate limit, then (for private ones) the signature; errors in Bittrex's shape. */
  const route =
    (signed: boolean, handler: (r: SimHttpRequest, apiKey: string) => SimHttpResponse) =>
    (r: SimHttpRequest): SimHttpResponse => {
      try {
        const key = header(r, 'api-key') ?? 'anonymous';
        if (!limiter.hit(key, ex.clock.now(), options.requestsPerMinute()))
          throw new BittrexSimError(429, 'THROTTLED');
        const apiKey = signed ? verify(r) : '';
        return handler(r, apiKey);
      } catch (e) {
        if (e instanceof BittrexSimError) return err(e);
        throw e;
      }
    };

  /** §6: key known, timestamp near, content hash of the exact body, signature over the full URI. */
  const verify = (r: SimHttpRequest): string => {
    const apiKey = header(r, 'api-key');
    const secret = apiKey === undefined ? undefined : ex.secretFor(apiKey);
    if (apiKey === undefined || secret === undefined) throw new BittrexSimError(401, 'APIKEY_INVALID');
    const ts = header(r, 'api-timestamp') ?? '';
    if (!/^\d+$/.test(ts) || Math.abs(ex.clock.now() - Number(ts)) > options.timestampToleranceMs)
      throw new BittrexSimError(401, 'INVALID_TIMESTAMP', 'Api-Timestamp is too far from the server time');
    const contentHash = header(r, 'api-content-hash') ?? '';
    const actual = createHash('sha512').update(r.body, 'utf8').digest('hex');
    if (contentHash.toLowerCase() !== actual)
      throw new BittrexSimError(401, 'INVALID_SIGNATURE', 'Api-Content-Hash does not match the request body');
    const uri = `http://${header(r, 'host') ?? ''}${r.url}`;
    const subaccount = header(r, 'api-subaccount-id') ?? '';
    const expected = createHmac('sha512', secret)
      .update(`${ts}${uri}${r.method}${contentHash}${subaccount}`, 'utf8')
      .digest('hex');
    if ((header(r, 'api-signature') ?? '').toLowerCase() !== expected)
      throw new BittrexSimError(401, 'INVALID_SIGNATURE');
    return apiKey;
  };

  const json = (body: unknown, sequence?: number, status = 200): SimHttpResponse => ({
    status,
    body,
    ...(sequence === undefined ? {} : { headers: { Sequence: String(sequence) } }),
  });

  router
    .get(
      '/v3/ping',
      route(false, () => json({ serverTime: Math.floor(ex.clock.now() / 1000) * 1000 })),
    )
    .get(
      '/v3/markets',
      route(false, () => json(ex.marketObjects())),
    )
    .get(
      '/v3/markets/tickers',
      route(false, () => json(ex.markets.map((m) => ticker(ex, m.input.symbol)))),
    )
    .get(
      '/v3/markets/:symbol',
      route(false, (r) => json(ex.marketObject(ex.requireMarket(r.params['symbol'])))),
    )
    .get(
      '/v3/markets/:symbol/ticker',
      route(false, (r) => json(ticker(ex, r.params['symbol']))),
    );
  for (const method of ['GET', 'HEAD']) {
    router.add(
      method,
      '/v3/markets/:symbol/orderbook',
      route(false, (r) => {
        const m = ex.requireMarket(r.params['symbol']);
        const depth = Number(r.query['depth'] ?? '25');
        if (!SIM_DEPTHS.includes(depth as SimDepth)) throw new BittrexSimError(400, 'BAD_REQUEST', 'depth');
        const book = ex.bookAt(m, depth as SimDepth);
        return json(method === 'HEAD' ? undefined : { bid: book.bid, ask: book.ask }, book.sequence);
      }),
    );
    router.add(
      method,
      '/v3/balances',
      route(true, (_r, k) => {
        // Pending deltas go out first, so the snapshot is exactly at its Sequence.
        ex.flush();
        return json(method === 'HEAD' ? undefined : ex.balanceObjects(k), ex.privateSequence(k, 'balance'));
      }),
    );
    router.add(
      method,
      '/v3/orders/open',
      route(true, (r, k) => {
        ex.flush();
        const rows = ex.openOrders(k, r.query['marketSymbol']).map((o) => ex.orderObject(o));
        return json(method === 'HEAD' ? undefined : rows, ex.privateSequence(k, 'order'));
      }),
    );
  }
  router
    .get(
      '/v3/markets/:symbol/trades',
      route(false, (r) => {
        const m = ex.requireMarket(r.params['symbol']);
        return json(
          m.engine
            .recentTrades(100)
            .map((t) => ex.tradeObject(t))
            .reverse(),
          m.tradeSequence,
        );
      }),
    )
    .get(
      '/v3/balances/:currency',
      route(true, (r, k) => {
        const row = ex.balanceObjects(k).find((b) => b['currencySymbol'] === r.params['currency']);
        if (!row) throw new BittrexSimError(404, 'CURRENCY_DOES_NOT_EXIST');
        return json(row);
      }),
    )
    .post(
      '/v3/orders',
      route(true, (r, k) => {
        let body: unknown;
        try {
          body = JSON.parse(r.body);
        } catch {
          throw new BittrexSimError(400, 'BAD_REQUEST', 'body is not JSON');
        }
        return json(ex.placeOrder(k, body), undefined, 201);
      }),
    )
    .delete(
      '/v3/orders/open',
      route(true, (r, k) => json(ex.cancelOpen(k, r.query['marketSymbol']))),
    )
    .get(
      '/v3/orders/closed',
      route(true, (r, k) => {
        const size = Math.min(200, Math.max(1, Number(r.query['pageSize'] ?? '100') || 100));
        return json(
          ex
            .closedOrders(k, r.query['marketSymbol'])
            .slice(0, size)
            .map((o) => ex.orderObject(o)),
        );
      }),
    )
    .get(
      '/v3/orders/:id',
      route(true, (r, k) => json(ex.orderObject(ex.requireOrder(k, r.params['id'] ?? '')))),
    )
    .delete(
      '/v3/orders/:id',
      route(true, (r, k) => json(ex.cancelOrder(k, r.params['id'] ?? ''))),
    )
    .get(
      '/v3/orders/:id/executions',
      route(true, (r, k) => {
        const o = ex.requireOrder(k, r.params['id'] ?? '');
        return json(ex.executions(k, { orderId: o.orderId, marketSymbol: o.pair }));
      }),
    )
    .get(
      '/v3/executions',
      route(true, (r, k) => json(ex.executions(k, { marketSymbol: r.query['marketSymbol'] }))),
    )
    .get(
      '/v3/executions/last-id',
      route(true, (_r, k) => {
        ex.flush();
        const last = ex.executions(k, {})[0];
        return json({ lastId: last?.['id'] ?? null }, ex.privateSequence(k, 'execution'));
      }),
    )
    .get(
      '/v3/account/fees/trading',
      route(true, (_r, k) => {
        const rates = ex.fees.get(k);
        return json(
          ex.markets.map((m) => ({
            marketSymbol: m.input.symbol,
            makerRate: rates.maker.toFixed(8),
            takerRate: rates.taker.toFixed(8),
          })),
        );
      }),
    )
    .notFound(() => ({ status: 404, body: { code: 'NOT_FOUND' } }));
  return router;
}

function ticker(ex: BittrexSimExchange, symbol: string | undefined): Record<string, unknown> {
  const m = ex.requireMarket(symbol);
  const f = (v: { toFixed(n: number): string } | undefined): string =>
    v === undefined ? '0.00000000' : v.toFixed(8);
  return {
    symbol: m.input.symbol,
    lastTradeRate: f(m.engine.lastTradePrice),
    bidRate: f(m.engine.bestBid()),
    askRate: f(m.engine.bestAsk()),
  };
}
