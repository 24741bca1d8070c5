// What Huobi says about our orders and account (huobi.md §7, §8): parsers that
// turn Huobi's answers and account-stream pushes into core's OrderUpdate /
// TradeUpdate / BalanceUpdate values. Core owns every state transition; this
// file only maps Huobi's words. The requests we send are in huobi-order-requests.ts.
import BigNumber from 'bignumber.js';
import {
  createWireReaders,
  isUnsignedDecimal,
  type BalanceUpdate,
  type OpenOrder,
  type OrderSide,
  type OrderState,
  type OrderType,
  type OrderUpdate,
  type TradeUpdate,
  type UserStreamUpdate,
  type WireObject,
  type SymbolMap,
} from '@hb/core/connector';
import { HUOBI_EXCHANGE } from './huobi-constants.js';

const wire = createWireReaders(HUOBI_EXCHANGE);

/** Huobi order `state` (REST) / `orderStatus` (stream) -> core state. */
export const HUOBI_ORDER_STATES: Readonly<Record<string, OrderState>> = {
  // `created`: accepted, not yet in matching. The exchange has it: it is open to us.
  created: 'OPEN',
  submitted: 'OPEN',
  'partial-filled': 'PARTIALLY_FILLED',
  filled: 'FILLED',
  // Final with some fills: core ends it CANCELED after counting the fills.
  'partial-canceled': 'CANCELED',
  canceling: 'PENDING_CANCEL',
  canceled: 'CANCELED',
  rejected: 'FAILED',
};

/** Maps a Huobi order state; an unknown word is a malformed answer, not a guess. */
export function toOrderState(state: string): OrderState {
  const s = HUOBI_ORDER_STATES[state];
  if (s === undefined) throw wire.malformed(`order state ${state}`);
  return s;
}

/** Side and hb order type of a Huobi order `type` (`buy-limit-maker`, `sell-ioc`...). */
export function parseHuobiOrderType(type: string): { side: OrderSide; orderType: OrderType } {
  const dash = type.indexOf('-');
  const side = type.slice(0, dash);
  if (side !== 'buy' && side !== 'sell') throw wire.malformed(`order type ${type}`);
  const rest = type.slice(dash + 1);
  const orderType: OrderType =
    rest === 'market' ? 'market' : rest === 'limit-maker' ? 'limit_maker' : 'limit';
  return { side, orderType };
}

// ---------------------------------------------------------------- answers

/**
 * A non-negative decimal, sent as a string (REST, account stream) or, in a few
 * places, a JSON number: either way unsigned and in the wire range (at most 15
 * integer and 18 fraction digits), so a negative, NaN or 401-digit value is a
 * refused frame, never an amount.
 */
function decimal(o: WireObject, key: string, what: string): BigNumber {
  const v = o[key];
  if (typeof v === 'number') {
    const s = Number.isFinite(v) ? new BigNumber(v).toFixed() : '';
    if (!isUnsignedDecimal(s)) throw wire.malformed(`${what}.${key} (not an unsigned decimal in range)`);
    return new BigNumber(s);
  }
  return new BigNumber(wire.readDecimal(o, key, what));
}

/** {@link decimal} that must be above zero (a limit order's price). */
function positiveDecimal(o: WireObject, key: string, what: string): BigNumber {
  const b = decimal(o, key, what);
  if (!b.gt(0)) throw wire.malformed(`${what}.${key} (not above zero)`);
  return b;
}

/** The first of several spellings that is present (`filled-amount` / `field-amount`). */
function decimalEither(o: WireObject, keys: readonly string[], what: string): BigNumber {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return decimal(o, k, what);
  throw wire.malformed(`${what}.${keys[0]} (absent)`);
}

function idString(o: WireObject, key: string, what: string): string {
  const v = o[key];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return v;
  throw wire.malformed(`${what}.${key}`);
}

function envelopeData(body: unknown, what: string): unknown {
  return wire.asObject(body, what)['data'];
}

/** The order id a placement answer carries (`data`, a numeric string). */
export function parsePlaceOrderAnswer(body: unknown): string {
  const data = envelopeData(body, 'place answer');
  if (typeof data !== 'string' || !/^\d+$/.test(data)) throw wire.malformed('place answer.data');
  return data;
}

/**
 * `submitCancelClientOrder`'s `data`: 0 = no such client order id, -1 = closed
 * long ago, 5/6/7/10 = the order's state (partial-canceled, filled, canceled,
 * canceling); anything else = submitted.
 */
export function parseCancelByClientOrderIdAnswer(body: unknown): 'submitted' | 'not_found' | 'final' {
  const data = envelopeData(body, 'cancel answer');
  if (data === 0 || data === '0') return 'not_found';
  if (data === -1 || data === 5 || data === 6) return 'final';
  return 'submitted';
}

/** The spot account's id among the user's accounts (it is not always the first). */
export function parseSpotAccountId(body: unknown): string {
  const rows = wire.asArray(envelopeData(body, 'accounts answer'), 'accounts answer.data');
  for (const raw of rows) {
    const a = wire.asObject(raw, 'account');
    if (a['type'] === 'spot' && a['state'] === 'working') return idString(a, 'id', 'account');
  }
  throw wire.malformed('accounts answer (no working spot account)');
}

/** `trade` (available) and `frozen` (locked) rows per currency -> absolute balances. */
export function parseBalances(body: unknown, timestamp: number): BalanceUpdate[] {
  const data = wire.asObject(envelopeData(body, 'balance answer'), 'balance answer.data');
  const rows = wire.asArray(data['list'], 'balance answer.data.list');
  const byAsset = new Map<string, { trade: BigNumber; frozen: BigNumber }>();
  for (const raw of rows) {
    const r = wire.asObject(raw, 'balance row');
    const asset = wire.readString(r, 'currency', 'balance row').toUpperCase();
    const type = wire.readString(r, 'type', 'balance row');
    const amount = decimal(r, 'balance', 'balance row');
    const entry = byAsset.get(asset) ?? { trade: new BigNumber(0), frozen: new BigNumber(0) };
    if (type === 'trade') entry.trade = amount;
    else if (type === 'frozen') entry.frozen = amount;
    else continue; // loan, interest, lock...: not spot trading balances
    byAsset.set(asset, entry);
  }
  return [...byAsset].map(([asset, b]) => ({
    asset,
    total: b.trade.plus(b.frozen),
    available: b.trade,
    timestamp,
  }));
}

/** One order object (`getClientOrder`, `orders/{id}`, an open-orders row) -> update. */
export function parseOrderObject(raw: unknown, symbols: SymbolMap): OrderUpdate {
  const o = wire.asObject(raw, 'order');
  const symbol = wire.readString(o, 'symbol', 'order');
  const filled = decimalEither(o, ['filled-amount', 'field-amount'], 'order');
  const clientOrderId = wire.readOptionalString(o, 'client-order-id', 'order');
  return {
    ...(clientOrderId === undefined || clientOrderId === '' ? {} : { clientOrderId }),
    exchangeOrderId: idString(o, 'id', 'order'),
    tradingPair: symbols.toPair(symbol),
    newState: toOrderState(wire.readString(o, 'state', 'order')),
    timestamp: wire.readNumber(o, 'created-at', 'order'),
    // `filled-amount` is base for every type (a market buy's `amount` is quote, not this).
    cumulativeFilledAmount: filled,
  };
}

/** An order lookup answer (the whole envelope). */
export function parseOrderAnswer(body: unknown, symbols: SymbolMap): OrderUpdate {
  return parseOrderObject(envelopeData(body, 'order answer'), symbols);
}

/** `GET /v1/order/openOrders` -> open orders. */
export function parseOpenOrders(body: unknown, symbols: SymbolMap): OpenOrder[] {
  const rows = wire.asArray(envelopeData(body, 'open orders answer'), 'open orders answer.data');
  return rows.map((raw) => {
    const o = wire.asObject(raw, 'open order');
    const update = parseOrderObject(o, symbols);
    const { side, orderType } = parseHuobiOrderType(wire.readString(o, 'type', 'open order'));
    return {
      clientOrderId: update.clientOrderId,
      exchangeOrderId: update.exchangeOrderId ?? '',
      tradingPair: update.tradingPair,
      side,
      orderType,
      price: orderType === 'market' ? new BigNumber(NaN) : positiveDecimal(o, 'price', 'open order'),
      amount: decimal(o, 'amount', 'open order'),
      filledAmount: update.cumulativeFilledAmount ?? new BigNumber(0),
      state: update.newState,
      timestamp: update.timestamp,
    };
  });
}

/** `matchresults` rows -> fills with the fee charged (`filled-fees` in `fee-currency`). */
export function parseMatchResults(body: unknown, symbols: SymbolMap): TradeUpdate[] {
  const rows = wire.asArray(envelopeData(body, 'matchresults answer'), 'matchresults answer.data');
  return rows.map((raw) => {
    const r = wire.asObject(raw, 'match result');
    const price = decimal(r, 'price', 'match result');
    const amount = decimal(r, 'filled-amount', 'match result');
    if (!amount.gt(0) || !price.gt(0)) throw wire.malformed('match result (non-positive fill)');
    return {
      tradeId: idString(r, 'trade-id', 'match result'),
      exchangeOrderId: idString(r, 'order-id', 'match result'),
      tradingPair: symbols.toPair(wire.readString(r, 'symbol', 'match result')),
      fillBaseAmount: amount,
      fillQuoteAmount: price.times(amount),
      fillPrice: price,
      fee: {
        amount: decimal(r, 'filled-fees', 'match result'),
        asset: wire.readString(r, 'fee-currency', 'match result').toUpperCase(),
      },
      isMaker: r['role'] === 'maker',
      timestamp: wire.readNumber(r, 'created-at', 'match result'),
    };
  });
}

// ---------------------------------------------------------------- account stream

/**
 * One account-stream push -> updates. `orders#` sequences the order's state,
 * `trade.clearing#` carries each fill with its fee, `accounts.update#2` the
 * balance and available amount of one currency.
 */
export function parseAccountStreamPush(frame: unknown, symbols: SymbolMap): UserStreamUpdate[] {
  const f = wire.asObject(frame, 'account push');
  const ch = wire.readString(f, 'ch', 'account push');
  const d = wire.asObject(f['data'], `${ch} data`);
  if (ch.startsWith('orders#')) return parseOrdersPush(d, symbols);
  if (ch.startsWith('trade.clearing#')) return parseClearingPush(d, symbols);
  if (ch.startsWith('accounts.update#')) return parseAccountsPush(d);
  // Only those three channels are subscribed: anything else is not Huobi's stream.
  throw wire.malformed(`account push on an unknown channel ${ch.slice(0, 40)}`);
}

/** A push's optional time: absent or null reads as unknown; anything else must be a finite number. */
function optionalTime(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw wire.malformed(`${what} time (not a finite number)`);
  return v;
}

function parseOrdersPush(d: WireObject, symbols: SymbolMap): UserStreamUpdate[] {
  const what = 'orders push';
  const eventType = wire.readString(d, 'eventType', what);
  const status = wire.readOptionalString(d, 'orderStatus', what);
  if (status === undefined) return [];
  const clientOrderId = wire.readOptionalString(d, 'clientOrderId', what);
  const tradingPair = symbols.toPair(wire.readString(d, 'symbol', what));
  const type = wire.readOptionalString(d, 'type', what);
  const quoteSized = type === 'buy-market';
  const time = optionalTime(d['tradeTime'] ?? d['lastActTime'] ?? d['orderCreateTime'], what);
  const update: OrderUpdate = {
    ...(clientOrderId === undefined || clientOrderId === '' ? {} : { clientOrderId }),
    exchangeOrderId: idString(d, 'orderId', what),
    tradingPair,
    newState: toOrderState(status),
    timestamp: time ?? Date.now(),
    // execAmt is base except for a market buy, where it is quote.
    ...(eventType === 'trade' && !quoteSized && d['execAmt'] !== undefined
      ? { cumulativeFilledAmount: decimal(d, 'execAmt', what) }
      : {}),
    ...(eventType === 'trigger' || eventType === 'deletion'
      ? { reason: wire.readOptionalString(d, 'errMessage', what) ?? eventType }
      : {}),
  };
  return [{ kind: 'order', update }];
}

function parseClearingPush(d: WireObject, symbols: SymbolMap): UserStreamUpdate[] {
  const what = 'trade.clearing push';
  if (wire.readString(d, 'eventType', what) !== 'trade') return [];
  const price = decimal(d, 'tradePrice', what);
  const amount = decimal(d, 'tradeVolume', what);
  if (!price.gt(0) || !amount.gt(0)) throw wire.malformed(`${what} (non-positive fill)`);
  const clientOrderId = wire.readOptionalString(d, 'clientOrderId', what);
  return [
    {
      kind: 'trade',
      update: {
        tradeId: idString(d, 'tradeId', what),
        ...(clientOrderId === undefined || clientOrderId === '' ? {} : { clientOrderId }),
        exchangeOrderId: idString(d, 'orderId', what),
        tradingPair: symbols.toPair(wire.readString(d, 'symbol', what)),
        fillBaseAmount: amount,
        fillQuoteAmount: price.times(amount),
        fillPrice: price,
        fee: {
          amount: decimal(d, 'transactFee', what),
          asset: wire.readString(d, 'feeCurrency', what).toUpperCase(),
        },
        isMaker: !wire.readFlag(d, 'aggressor', what),
        timestamp: wire.readNumber(d, 'tradeTime', what),
      },
    },
  ];
}

function parseAccountsPush(d: WireObject): UserStreamUpdate[] {
  const what = 'accounts.update push';
  // Mode 2 sends both values; a frame missing either (mode 1) cannot make an absolute balance.
  if (d['balance'] === undefined || d['available'] === undefined) return [];
  const accountType = wire.readOptionalString(d, 'accountType', what);
  if (accountType !== undefined && accountType !== 'trade') return [];
  const time = optionalTime(d['changeTime'], what);
  return [
    {
      kind: 'balance',
      update: {
        asset: wire.readString(d, 'currency', what).toUpperCase(),
        total: decimal(d, 'balance', what),
        available: decimal(d, 'available', what),
        timestamp: time ?? Date.now(),
      },
    },
  ];
}
