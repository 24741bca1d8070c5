// The simulator's REST API: Huobi's paths, parameters and envelopes (huobi.md §2-§7).
// Errors are HTTP 200 with `{"status":"error","err-code","err-msg","data":null}`;
// private paths verify Signature V2 over what was received (host header included);
// per-key limits over 2 s windows answer 429 with `too-many-request`.
import BigNumber from 'bignumber.js';
import { Router, type SimClock, type SimHttpRequest, type SimHttpResponse } from '@hb/testing';
import type { AccountTrade, EngineOrder } from '@hb/testing';
import { verifyRestSignature } from './huobi-sim-auth.js';
import {
  HuobiSimError,
  huobiState,
  type HuobiSimExchange,
  type HuobiSimOrderMeta,
} from './huobi-sim-exchange.js';
import type { HuobiSimLimitGroup } from './huobi-sim-types.js';

/** What the REST layer needs. */
export interface HuobiSimRestOptions {
  readonly exchange: HuobiSimExchange;
  readonly clock: SimClock;
  readonly toleranceMs: () => number;
  readonly limits: () => Readonly<Record<HuobiSimLimitGroup, number>>;
  /** The MBP seqNum of a symbol (REST depth's `version` is a different counter on the exchange; ours is the same). */
  readonly depthVersion: (symbol: string) => number;
}

const WINDOW_MS = 2_000;

function ok(data: unknown, extra: Record<string, unknown> = {}): SimHttpResponse {
  return { status: 200, body: { status: 'ok', data, ...extra } };
}

function errorBody(e: HuobiSimError): SimHttpResponse {
  return {
    status: e.httpStatus,
    body: { status: 'error', 'err-code': e.code, 'err-msg': e.message, data: null, ...e.extra },
  };
}

/** Order fields as `getClientOrder` / `orders/{id}` spell them (the docs' examples: `field-*`). */
function orderObject(
  meta: HuobiSimOrderMeta,
  order: EngineOrder,
  spelling: 'field' | 'filled',
): Record<string, unknown> {
  const final = ['filled', 'canceled', 'partial-canceled'].includes(huobiState(order, meta));
  const canceled = ['canceled', 'partial-canceled'].includes(huobiState(order, meta));
  return {
    id: Number(meta.orderId),
    symbol: meta.market.info.symbol,
    'account-id': meta.accountId,
    'client-order-id': meta.clientOrderId,
    amount: new BigNumber(meta.amount).toFixed(18),
    price: meta.price === undefined ? '0.0' : new BigNumber(meta.price).toFixed(18),
    'created-at': meta.createdAt,
    type: meta.type,
    [`${spelling}-amount`]: order.filledAmount.toFixed(18),
    [`${spelling}-cash-amount`]: order.filledQuote.toFixed(18),
    [`${spelling}-fees`]: order.feePaid.toFixed(18),
    'finished-at': final ? order.updatedAt : 0,
    source: 'spot-api',
    state: huobiState(order, meta),
    'canceled-at': canceled ? order.updatedAt : 0,
  };
}

function matchRow(meta: HuobiSimOrderMeta, t: AccountTrade): Record<string, unknown> {
  return {
    id: t.trade.tradeId,
    'order-id': Number(meta.orderId),
    'match-id': t.trade.tradeId,
    'trade-id': t.trade.tradeId,
    symbol: meta.market.info.symbol,
    type: meta.type,
    source: 'spot-api',
    price: t.trade.price.toFixed(),
    'filled-amount': t.trade.amount.toFixed(),
    'filled-fees': t.fee.amount.toFixed(),
    'fee-currency': t.fee.asset.toLowerCase(),
    'created-at': t.trade.timestamp,
    role: t.isMaker ? 'maker' : 'taker',
    'filled-points': '0.0',
    'fee-deduct-currency': '',
    'fee-deduct-state': 'done',
  };
}

/** Builds the router. */
export function createHuobiRestRouter(options: HuobiSimRestOptions): Router {
  const { exchange, clock } = options;
  const windows = new Map<string, number[]>();
  const router = new Router();

  /** Counts one call of `group` for `apiKey`; throws the 429 refusal when over the limit. */
  const charge = (apiKey: string, group: HuobiSimLimitGroup): void => {
    const key = `${apiKey} ${group}`;
    const now = clock.baseNow();
    const list = (windows.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (list.length >= options.limits()[group])
      throw new HuobiSimError('too-many-request', 'Exceeded rate limit: too many requests', 429);
    list.push(now);
    windows.set(key, list);
  };

  /** A private route: signature checked, then the handler with the key. */
  const signed =
    (group: HuobiSimLimitGroup, handler: (r: SimHttpRequest, apiKey: string) => SimHttpResponse) =>
    (r: SimHttpRequest): SimHttpResponse => {
      try {
        const host = r.headers['host'];
        const check = verifyRestSignature({
          method: r.method,
          host: Array.isArray(host) ? host[0] : host,
          path: r.path,
          rawQuery: r.rawQuery,
          secretOf: exchange.secretOf,
          now: clock.now(),
          toleranceMs: options.toleranceMs(),
        });
        if (!check.ok) throw new HuobiSimError(check.error.code, check.error.message);
        charge(check.apiKey, group);
        return handler(r, check.apiKey);
      } catch (e) {
        if (e instanceof HuobiSimError) return errorBody(e);
        throw e;
      }
    };

  const jsonBody = (r: SimHttpRequest): Record<string, unknown> => {
    if (r.body === '') return {};
    try {
      const v: unknown = JSON.parse(r.body);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new HuobiSimError('invalid-parameter', 'invalid json body');
  };

  const symbolParam = (r: SimHttpRequest): string => {
    const symbol = r.query['symbol'];
    if (symbol === undefined || exchange.market(symbol) === undefined)
      throw new HuobiSimError('invalid-parameter', 'invalid symbol');
    return symbol;
  };
  const publicRoute =
    (handler: (r: SimHttpRequest) => SimHttpResponse) =>
    (r: SimHttpRequest): SimHttpResponse => {
      try {
        return handler(r);
      } catch (e) {
        if (e instanceof HuobiSimError) return errorBody(e);
        throw e;
      }
    };

  router.get('/v1/common/timestamp', () => ok(clock.now()));

  router.get('/v1/common/symbols', () =>
    ok(
      exchange.markets.map(({ info }) => ({
        'base-currency': info.base,
        'quote-currency': info.quote,
        symbol: info.symbol,
        state: info.state,
        'price-precision': info.pricePrecision,
        'amount-precision': info.amountPrecision,
        'value-precision': info.valuePrecision,
        'symbol-partition': 'main',
        'min-order-amt': Number(info.minOrderAmt),
        'max-order-amt': Number(info.maxOrderAmt),
        'min-order-value': Number(info.minOrderValue),
        'limit-order-min-order-amt': Number(info.minOrderAmt),
        'limit-order-max-order-amt': Number(info.maxOrderAmt),
        'sell-market-min-order-amt': Number(info.sellMarketMinOrderAmt),
        'sell-market-max-order-amt': Number(info.maxOrderAmt),
        'buy-market-max-order-value': Number(info.buyMarketMaxOrderValue),
        'api-trading': 'enabled',
      })),
    ),
  );

  router.get('/v1/settings/common/market-symbols', () => ({
    status: 200,
    body: {
      status: 'ok',
      data: exchange.markets.map(({ info }) => ({
        symbol: info.symbol,
        state: info.state,
        bc: info.base,
        qc: info.quote,
        pp: info.pricePrecision,
        ap: info.amountPrecision,
        vp: info.valuePrecision,
        sp: 'main',
        minoa: Number(info.minOrderAmt),
        maxoa: Number(info.maxOrderAmt),
        minov: Number(info.minOrderValue),
        lominoa: Number(info.minOrderAmt),
        lomaxoa: Number(info.maxOrderAmt),
        smminoa: Number(info.sellMarketMinOrderAmt),
        bmmaxov: Number(info.buyMarketMaxOrderValue),
        at: 'enabled',
        tags: '',
      })),
      ts: String(clock.now()),
      full: 1,
    },
  }));

  router.get(
    '/market/depth',
    publicRoute((r) => {
      const symbol = symbolParam(r);
      const type = r.query['type'];
      if (type !== 'step0') throw new HuobiSimError('invalid-parameter', 'invalid type');
      const engine = exchange.market(symbol)!.engine;
      const depth = r.query['depth'] === undefined ? 150 : Number(r.query['depth']);
      if (![5, 10, 20, 150].includes(depth)) throw new HuobiSimError('invalid-parameter', 'invalid depth');
      const now = clock.now();
      return {
        status: 200,
        body: {
          ch: `market.${symbol}.depth.step0`,
          status: 'ok',
          ts: now,
          tick: {
            ts: now,
            version: options.depthVersion(symbol),
            bids: engine.levelsAsNumbers('bid', depth),
            asks: engine.levelsAsNumbers('ask', depth),
          },
        },
      };
    }),
  );

  router.get(
    '/market/history/trade',
    publicRoute((r) => {
      const symbol = symbolParam(r);
      const size = r.query['size'] === undefined ? 1 : Number(r.query['size']);
      if (!Number.isInteger(size) || size < 1 || size > 2000)
        throw new HuobiSimError('invalid-parameter', 'invalid size');
      const trades = exchange.market(symbol)!.engine.recentTrades(size).slice().reverse();
      return {
        status: 200,
        body: {
          ch: `market.${symbol}.trade.detail`,
          status: 'ok',
          ts: clock.now(),
          data: trades.map((t) => ({
            id: t.tradeId,
            ts: t.timestamp,
            data: [
              {
                id: t.tradeId,
                'trade-id': t.tradeId,
                price: t.price.toNumber(),
                amount: t.amount.toNumber(),
                direction: t.takerSide,
                ts: t.timestamp,
              },
            ],
          })),
        },
      };
    }),
  );

  router.get(
    '/v1/account/accounts',
    signed('account', (_r, apiKey) => ok(exchange.accountRows(apiKey))),
  );

  router.get(
    '/v1/account/accounts/:id/balance',
    signed('account', (r, apiKey) => {
      const spot = exchange.spotAccountId(apiKey);
      if (Number(r.params['id']) !== spot)
        throw new HuobiSimError('account-account-id-inexistent', 'The account does not exist');
      const list: Record<string, string>[] = [];
      // Every traded currency (zero or not), then any other the account holds; Huobi writes them lower-case.
      for (const asset of exchange.accountAssets(apiKey)) {
        const b = exchange.ledger.balance(apiKey, asset);
        const currency = asset.toLowerCase();
        list.push({ currency, type: 'trade', balance: b.free.toFixed(10) });
        list.push({ currency, type: 'frozen', balance: b.locked.toFixed(10) });
      }
      return ok({ id: spot, type: 'spot', state: 'working', list });
    }),
  );

  router.post(
    '/v1/order/orders/place',
    signed('place', (r, apiKey) => ok(exchange.place(apiKey, jsonBody(r)))),
  );

  router.post(
    '/v1/order/orders/submitCancelClientOrder',
    signed('cancel', (r, apiKey) => {
      const id = jsonBody(r)['client-order-id'];
      if (typeof id !== 'string' || id === '')
        throw new HuobiSimError('validation-constraints-required', 'Field is missing: client-order-id');
      return ok(exchange.cancelByClientOrderId(apiKey, id));
    }),
  );

  router.post(
    '/v1/order/orders/:id/submitcancel',
    signed('cancel', (r, apiKey) => ok(exchange.cancel(apiKey, r.params['id'] ?? ''))),
  );

  router.get(
    '/v1/order/orders/getClientOrder',
    signed('orderQuery', (r, apiKey) => {
      const id = r.query['clientOrderId'];
      if (id === undefined)
        throw new HuobiSimError('validation-constraints-required', 'Field is missing: clientOrderId');
      const found = exchange.orderByClientOrderId(apiKey, id);
      if (found === undefined) throw new HuobiSimError('base-record-invalid', 'record invalid');
      return ok(orderObject(found.meta, found.order, 'field'));
    }),
  );

  router.get(
    '/v1/order/orders/:id/matchresults',
    signed('matchResults', (r, apiKey) => {
      const found = exchange.orderById(apiKey, r.params['id'] ?? '');
      if (found === undefined) throw new HuobiSimError('base-record-invalid', 'record invalid');
      return ok(exchange.fills(found.meta).map((t) => matchRow(found.meta, t)));
    }),
  );

  router.get(
    '/v1/order/orders/:id',
    signed('orderQuery', (r, apiKey) => {
      const found = exchange.orderById(apiKey, r.params['id'] ?? '');
      if (found === undefined) throw new HuobiSimError('base-record-invalid', 'record invalid');
      return ok(orderObject(found.meta, found.order, 'field'));
    }),
  );

  router.get(
    '/v1/order/openOrders',
    signed('openOrders', (r, apiKey) => {
      const accountId = r.query['account-id'];
      if (accountId === undefined || Number(accountId) !== exchange.spotAccountId(apiKey))
        throw new HuobiSimError('account-account-id-inexistent', 'The account does not exist');
      const symbol = r.query['symbol'];
      if (symbol !== undefined && exchange.market(symbol) === undefined)
        throw new HuobiSimError('invalid-parameter', 'invalid symbol');
      return ok(
        exchange.openOrders(apiKey, symbol).map(({ meta, order }) => orderObject(meta, order, 'filled')),
      );
    }),
  );

  // Paths are case-sensitive; an unknown one is refused as the exchange does.
  router.notFound(() => ({
    status: 405,
    body: { status: 'error', 'err-code': 'method-not-allowed', 'err-msg': 'method not allowed', data: null },
  }));
  return router;
}
