// Radar's REST API (v3 paths, shared/exchanges/radar-relay.md §3-§9) over the
// relayer's order store: the Feed API (tokens, markets, book, ticker, fills) and
// the Trade API (limit and market order helpers, POST /orders, order and account
// lookups), with Radar's per-IP limits (120 reads a minute, 2 trade requests a
// second) answered with 429 and Retry-After.
import BigNumber from 'bignumber.js';
import { ZeroAddress } from 'ethers';
import {
  Router,
  type SimClock,
  type SimHttpHandler,
  type SimHttpRequest,
  type SimHttpResponse,
} from '@hb/testing';
import {
  human,
  marketBaseJson,
  priceString,
  toUnits,
  type RadarSimMarket,
  type RadarSimOrder,
  type RadarSimOrderStore,
} from './radar-relay-sim-orders.js';
import type { RadarSimDeployment } from './radar-relay-sim-chain.js';
import {
  RADAR_SIM_REASONS as R,
  SRA_ERROR,
  SRA_FIELD_ERROR as F,
  type RadarSimErrorBody,
  type RadarSimFieldError,
  type RadarSimRateLimits,
  type RadarSimTokenJson,
} from './radar-relay-sim-types.js';
import { validationFailed, type RadarSimOrderRules } from './radar-relay-sim-validation.js';

/** The REST prefix of Radar's v3 API. */
export const RADAR_SIM_REST_PREFIX = '/v3';

/** What the REST API needs of the simulator. */
export interface RadarRestContext {
  readonly deployment: RadarSimDeployment;
  readonly markets: readonly RadarSimMarket[];
  readonly store: RadarSimOrderStore;
  readonly rules: RadarSimOrderRules;
  readonly clock: SimClock;
  /** The chain's time, seconds. */
  chainNow(): number;
  /** Validates and stores a posted order (the parsed JSON body). */
  submitOrder(
    body: unknown,
  ): Promise<
    { readonly ok: true; readonly hash: string } | { readonly ok: false; readonly body: RadarSimErrorBody }
  >;
  /** Checks a listed order again as a posting would be (status, signature, funds) now. */
  revalidate(
    hash: string,
  ): Promise<{ readonly ok: true } | { readonly ok: false; readonly body: RadarSimErrorBody }>;
  /** The current request limits; undefined = unlimited. */
  limits(): RadarSimRateLimits | undefined;
}

const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

const json = (status: number, body?: unknown): SimHttpResponse =>
  body === undefined ? { status } : { status, body };
const notFound = (): SimHttpResponse => json(404, { code: 404, reason: 'Not found' });
const badRequest = (errors: RadarSimFieldError[]): SimHttpResponse => json(400, validationFailed(errors));

/** Builds the REST handler (router behind the rate limiter). */
export function createRadarRestHandler(ctx: RadarRestContext): SimHttpHandler {
  const router = new Router();
  const p = RADAR_SIM_REST_PREFIX;
  const marketOf = (id: string | undefined): RadarSimMarket | undefined =>
    ctx.markets.find((m) => m.id === id);

  router.get(`${p}/tokens`, () => json(200, tokensJson(ctx)));

  router.get(`${p}/markets`, (r) => {
    const include = includes(r);
    const ids = r.query['ids']?.split(',').filter((s) => s.length > 0);
    const list = ctx.markets.filter((m) => ids === undefined || ids.includes(m.id));
    return json(
      200,
      page(r, list).map((m) => marketJson(ctx, m, include)),
    );
  });

  router.get(`${p}/markets/:id`, (r) => {
    const m = marketOf(r.params['id']);
    return m === undefined ? notFound() : json(200, marketJson(ctx, m, includes(r)));
  });

  router.get(`${p}/markets/:id/book`, (r) => {
    const m = marketOf(r.params['id']);
    if (m === undefined) return notFound();
    const { bids, asks } = ctx.store.book(m.id);
    return json(200, {
      baseTokenAddress: m.base.address,
      quoteTokenAddress: m.quote.address,
      bids: bids.map((o) => o.toJson()),
      asks: asks.map((o) => o.toJson()),
    });
  });

  router.get(`${p}/markets/:id/ticker`, (r) => {
    const m = marketOf(r.params['id']);
    return m === undefined ? notFound() : json(200, tickerJson(ctx, m));
  });

  router.get(`${p}/markets/:id/fills`, (r) => {
    const m = marketOf(r.params['id']);
    if (m === undefined) return notFound();
    return json(
      200,
      page(r, ctx.store.fills({ market: m.id })).map((f) => f.fill),
    );
  });

  router.post(`${p}/markets/:id/order/limit`, (r) => {
    const m = marketOf(r.params['id']);
    if (m === undefined) return notFound();
    return limitOrder(ctx, m, r);
  });

  router.post(`${p}/markets/:id/order/market`, (r) => {
    const m = marketOf(r.params['id']);
    if (m === undefined) return notFound();
    return marketOrder(ctx, m, r);
  });

  router.post(`${p}/orders`, async (r) => {
    const body = parseJson(r.body);
    if (body === PARSE_FAILED) return json(400, { code: SRA_ERROR.malformedJson, reason: 'Malformed JSON' });
    const result = await ctx.submitOrder(body);
    return result.ok ? json(201) : json(400, result.body);
  });

  // 200 valid (the order), 400 invalid (why, as a posting would be refused), 404 unknown.
  router.get(`${p}/orders/:hash/validate`, async (r) => {
    const hash = r.params['hash'] ?? '';
    if (!HASH.test(hash))
      return badRequest([{ field: 'orderHash', code: F.incorrectFormat, reason: R.format }]);
    const o = ctx.store.get(hash);
    if (o === undefined) return notFound();
    const v = await ctx.revalidate(o.hash);
    return v.ok ? json(200, o.toJson()) : json(400, v.body);
  });

  router.get(`${p}/orders/:hash`, (r) => {
    const hash = r.params['hash'] ?? '';
    if (!HASH.test(hash))
      return badRequest([{ field: 'orderHash', code: F.incorrectFormat, reason: R.format }]);
    const o = ctx.store.get(hash);
    return o === undefined ? notFound() : json(200, o.toJson());
  });

  router.get(`${p}/accounts/:address/orders`, (r) => {
    const address = r.params['address'] ?? '';
    if (!ADDRESS.test(address)) {
      return badRequest([{ field: 'address', code: F.invalidAddress, reason: R.invalidAddress }]);
    }
    const market = r.query['market'];
    const orders = ctx.store.ofMaker(address).filter((o) => market === undefined || o.market.id === market);
    return json(
      200,
      page(r, orders).map((o) => o.toJson()),
    );
  });

  router.get(`${p}/accounts/:address/fills`, (r) => {
    const address = r.params['address'] ?? '';
    if (!ADDRESS.test(address)) {
      return badRequest([{ field: 'address', code: F.invalidAddress, reason: R.invalidAddress }]);
    }
    return json(
      200,
      page(r, ctx.store.fills({ address })).map((f) => ({ ...f.fill, market: f.market })),
    );
  });

  router.notFound(() => notFound());

  const limiter = new RequestLimiter(ctx);
  return (request: SimHttpRequest) => limiter.check(request) ?? router.handle(request);
}

/** Per-IP windows: every client of a loopback simulator is 127.0.0.1, so one window per kind. */
class RequestLimiter {
  private readonly feed: number[] = [];
  private readonly trade: number[] = [];

  constructor(private readonly ctx: RadarRestContext) {}

  check(r: SimHttpRequest): SimHttpResponse | undefined {
    const limits = this.ctx.limits();
    if (limits === undefined) return undefined;
    const now = this.ctx.clock.now();
    const trade = r.method !== 'GET';
    const window = trade ? this.trade : this.feed;
    const span = trade ? 1_000 : 60_000;
    const max = trade ? limits.tradePerSecond : limits.feedPerMinute;
    while (window.length > 0 && (window[0] as number) <= now - span) window.shift();
    if (window.length >= max) {
      const retryAfterSec = Math.max(1, Math.ceil(((window[0] as number) + span - now) / 1000));
      return {
        status: 429,
        headers: { 'Retry-After': String(retryAfterSec) },
        body: { code: SRA_ERROR.throttled, reason: 'Throttled' },
      };
    }
    window.push(now);
    return undefined;
  }
}

const PARSE_FAILED = Symbol('parse failed');

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return PARSE_FAILED;
  }
}

function includes(r: SimHttpRequest): Set<string> {
  return new Set((r.query['include'] ?? '').split(',').filter((s) => s.length > 0));
}

/** `page` (1-based, default 1) and `perPage` (default 20, at most 100) of a list. */
function page<T>(r: SimHttpRequest, list: readonly T[]): T[] {
  const pageNo = Math.max(1, Number.parseInt(r.query['page'] ?? '1', 10) || 1);
  const perPage = Math.min(100, Math.max(1, Number.parseInt(r.query['perPage'] ?? '20', 10) || 20));
  return list.slice((pageNo - 1) * perPage, pageNo * perPage);
}

function tokensJson(ctx: RadarRestContext): RadarSimTokenJson[] {
  return [...ctx.deployment.tokens.values()].map((t) => ({
    address: t.address,
    symbol: t.symbol,
    name: t.name,
    decimals: t.decimals,
    // Radar sent its booleans as 0/1 integers.
    zeroex_official: 1,
    active: 1,
    createdDate: '2018-09-19 00:00:00',
    quote: t.quote ? 1 : 0,
  }));
}

function marketJson(ctx: RadarRestContext, m: RadarSimMarket, include: Set<string>): Record<string, unknown> {
  const base = include.has('base') ? marketBaseJson(m) : { id: m.id };
  return {
    ...base,
    ...(include.has('ticker') ? { ticker: tickerJson(ctx, m) } : {}),
    ...(include.has('stats') ? { stats: statsJson(ctx, m) } : {}),
    ...(include.has('history') ? { history: { price24Hour: [] } } : {}),
  };
}

function tickerJson(ctx: RadarRestContext, m: RadarSimMarket): Record<string, unknown> {
  const last = ctx.store.fills({ market: m.id })[0];
  const { bids, asks } = ctx.store.book(m.id);
  const bestBid = bids[0]?.price;
  const bestAsk = asks[0]?.price;
  const spread =
    bestBid !== undefined && bestAsk !== undefined && bestAsk.gt(0)
      ? bestAsk.minus(bestBid).div(bestAsk).times(100)
      : undefined;
  const lastPrice =
    last === undefined
      ? undefined
      : new BigNumber(last.fill.filledQuoteTokenAmount).div(last.fill.filledBaseTokenAmount);
  return {
    transactionHash: last?.fill.transactionHash ?? '',
    price: lastPrice === undefined ? '0' : priceString(lastPrice),
    size: last?.fill.filledBaseTokenAmount ?? '0',
    timestamp: last?.fill.timestamp ?? 0,
    bestBid: bestBid === undefined ? '0' : priceString(bestBid),
    bestAsk: bestAsk === undefined ? '0' : priceString(bestAsk),
    spreadPercentage: spread === undefined ? '0' : spread.decimalPlaces(8).toFixed(),
  };
}

function statsJson(ctx: RadarRestContext, m: RadarSimMarket): Record<string, unknown> {
  const { bids, asks } = ctx.store.book(m.id);
  const sum = (orders: RadarSimOrder[], pick: (o: RadarSimOrder) => bigint, decimals: number): string =>
    human(
      orders.reduce((a, o) => a + pick(o), 0n),
      decimals,
    ).toFixed();
  const dayAgo = Math.floor(ctx.clock.now() / 1000) - 86_400;
  const volume = ctx.store
    .fills({ market: m.id })
    .filter((f) => f.fill.timestamp >= dayAgo)
    .reduce((a, f) => a.plus(f.fill.filledBaseTokenAmount), new BigNumber(0));
  return {
    numBidsWithinRange: bids.length,
    numAsksWithinRange: asks.length,
    baseTokenAvailable: sum(asks, (o) => o.remainingBase, m.base.decimals),
    quoteTokenAvailable: sum(bids, (o) => o.remainingQuote, m.quote.decimals),
    volume24Hour: volume.toFixed(),
    percentChange24Hour: '0',
  };
}

const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** Reads a positive decimal string (or number) field; pushes a field error otherwise. */
function positiveDecimal(
  raw: Record<string, unknown>,
  field: string,
  errors: RadarSimFieldError[],
): BigNumber | undefined {
  const v = raw[field];
  if (v === undefined || v === null) {
    errors.push({ field, code: F.requiredField, reason: R.required });
    return undefined;
  }
  const s = typeof v === 'number' ? new BigNumber(v).toFixed() : v;
  if (typeof s !== 'string' || !DECIMAL.test(s)) {
    errors.push({ field, code: F.incorrectFormat, reason: R.format });
    return undefined;
  }
  const n = new BigNumber(s);
  if (n.lte(0)) {
    errors.push({ field, code: F.valueOutOfRange, reason: R.nonZero });
    return undefined;
  }
  return n;
}

function userType(raw: Record<string, unknown>, errors: RadarSimFieldError[]): 'BUY' | 'SELL' | undefined {
  const t = raw['type'];
  if (t === undefined) errors.push({ field: 'type', code: F.requiredField, reason: R.required });
  else if (t !== 'BUY' && t !== 'SELL')
    errors.push({ field: 'type', code: F.incorrectFormat, reason: R.format });
  else return t;
  return undefined;
}

/** The JSON object body of a request, or the 400 answer for anything else. */
function requestObject(
  r: SimHttpRequest,
):
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly response: SimHttpResponse } {
  const body = parseJson(r.body);
  if (body === PARSE_FAILED) {
    return { ok: false, response: json(400, { code: SRA_ERROR.malformedJson, reason: 'Malformed JSON' }) };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      response: badRequest([{ field: 'body', code: F.incorrectFormat, reason: R.format }]),
    };
  }
  return { ok: true, value: body as Record<string, unknown> };
}

/** POST /markets/{id}/order/limit: the unsigned order for a BUY/SELL of `quantity` at `price`. */
function limitOrder(ctx: RadarRestContext, m: RadarSimMarket, r: SimHttpRequest): SimHttpResponse {
  const parsed = requestObject(r);
  if (!parsed.ok) return parsed.response;
  const req = parsed.value;
  const errors: RadarSimFieldError[] = [];
  const type = userType(req, errors);
  const quantity = positiveDecimal(req, 'quantity', errors);
  const price = positiveDecimal(req, 'price', errors);
  const exp = req['expiration'];
  let expiration: bigint | undefined;
  if (exp === undefined) errors.push({ field: 'expiration', code: F.requiredField, reason: R.required });
  else if (
    (typeof exp === 'number' && Number.isSafeInteger(exp)) ||
    (typeof exp === 'string' && /^[0-9]+$/.test(exp))
  ) {
    expiration = BigInt(exp);
    if (expiration <= BigInt(Math.floor(ctx.chainNow() + ctx.rules.minSecondsToExpiry))) {
      errors.push({ field: 'expiration', code: F.valueOutOfRange, reason: R.expiresTooSoon });
    }
  } else errors.push({ field: 'expiration', code: F.incorrectFormat, reason: R.format });
  if (
    type === undefined ||
    quantity === undefined ||
    price === undefined ||
    expiration === undefined ||
    errors.length > 0
  ) {
    return badRequest(errors);
  }
  const baseUnits = toUnits(quantity, m.base.decimals);
  if (baseUnits === undefined) {
    return badRequest([{ field: 'quantity', code: F.incorrectFormat, reason: R.format }]);
  }
  if (quantity.lt(m.spec.minOrderSize)) {
    return badRequest([{ field: 'quantity', code: F.valueOutOfRange, reason: R.belowMinimum }]);
  }
  if (quantity.gt(m.spec.maxOrderSize ?? '1000000000')) {
    return badRequest([{ field: 'quantity', code: F.valueOutOfRange, reason: R.aboveMaximum }]);
  }
  // quote = quantity × price in quote units, truncated (radar-relay.md §6 / zero-ex.md §3).
  const quoteUnits = BigInt(
    quantity.times(price).shiftedBy(m.quote.decimals).integerValue(BigNumber.ROUND_DOWN).toFixed(),
  );
  if (quoteUnits === 0n) return badRequest([{ field: 'price', code: F.valueOutOfRange, reason: R.nonZero }]);
  const sell = type === 'SELL';
  return json(200, {
    chainId: ctx.rules.chainId,
    exchangeAddress: ctx.rules.exchangeAddress,
    makerAddress: 'SET',
    takerAddress: ZeroAddress,
    feeRecipientAddress: ctx.rules.feeRecipientAddress,
    senderAddress: ZeroAddress,
    makerAssetAmount: (sell ? baseUnits : quoteUnits).toString(),
    takerAssetAmount: (sell ? quoteUnits : baseUnits).toString(),
    makerFee: ctx.rules.makerFee.toString(),
    takerFee: ctx.rules.takerFee.toString(),
    makerFeeAssetData: '0x',
    takerFeeAssetData: '0x',
    makerAssetData: sell ? m.base.assetData : m.quote.assetData,
    takerAssetData: sell ? m.quote.assetData : m.base.assetData,
    salt: String(ctx.clock.now()),
    expirationTimeSeconds: expiration.toString(),
    signature: 'SET',
  });
}

/** POST /markets/{id}/order/market: the best open orders covering `quantity` base, with price figures. */
function marketOrder(ctx: RadarRestContext, m: RadarSimMarket, r: SimHttpRequest): SimHttpResponse {
  const parsed = requestObject(r);
  if (!parsed.ok) return parsed.response;
  const req = parsed.value;
  const errors: RadarSimFieldError[] = [];
  const type = userType(req, errors);
  const quantity = positiveDecimal(req, 'quantity', errors);
  if (type === undefined || quantity === undefined || errors.length > 0) return badRequest(errors);
  const { bids, asks } = ctx.store.book(m.id);
  const now = ctx.chainNow();
  const side = (type === 'BUY' ? asks : bids).filter((o) => Number(o.expirationTimeSeconds) > now);
  const chosen: RadarSimOrder[] = [];
  let left = quantity;
  let quoteTotal = new BigNumber(0);
  for (const o of side) {
    if (left.lte(0)) break;
    const avail = human(o.remainingBase, m.base.decimals);
    if (avail.lte(0)) continue;
    const take = BigNumber.min(avail, left);
    chosen.push(o);
    quoteTotal = quoteTotal.plus(take.times(o.price));
    left = left.minus(take);
  }
  if (chosen.length === 0) {
    return badRequest([{ field: 'quantity', code: F.valueOutOfRange, reason: 'Insufficient liquidity' }]);
  }
  const filled = quantity.minus(left);
  const best = (type === 'BUY' ? asks : bids)[0]?.price;
  const other = (type === 'BUY' ? bids : asks)[0]?.price;
  return json(200, {
    averagePrice: priceString(quoteTotal.div(filled)),
    bestPrice: priceString(chosen[0]!.price),
    worstPrice: priceString(chosen[chosen.length - 1]!.price),
    spread: best !== undefined && other !== undefined ? priceString(best.minus(other).abs()) : '0',
    orders: chosen.map((o) => o.signed),
  });
}
