import BigNumber from 'bignumber.js';
import { HbError } from '../../src/errors/hb-error.js';
import { InFlightOrder, type InFlightOrderJson } from '../../src/orders/in-flight-order.js';
import type { TradeUpdate } from '../../src/orders/order-types.js';

const bn = (v: BigNumber.Value): BigNumber => new BigNumber(v);

function limitBuy(): InFlightOrder {
  return new InFlightOrder({
    clientOrderId: 'c1',
    tradingPair: 'BTC-USDT',
    side: 'buy',
    orderType: 'limit',
    price: bn('20000.5'),
    amount: bn('1'),
    creationTimestamp: 1_000,
  });
}

function trade(
  tradeId: string,
  base: string,
  price: string,
  fee: [string, string] = ['0.001', 'BNB'],
): TradeUpdate {
  return {
    tradeId,
    clientOrderId: 'c1',
    tradingPair: 'BTC-USDT',
    fillBaseAmount: bn(base),
    fillPrice: bn(price),
    fillQuoteAmount: bn(base).times(price),
    fee: { amount: bn(fee[0]), asset: fee[1] },
    timestamp: 2_000,
  };
}

function roundTrip(o: InFlightOrder): InFlightOrder {
  return InFlightOrder.fromJSON(JSON.parse(JSON.stringify(o.toJSON())) as InFlightOrderJson);
}

describe('InFlightOrder', () => {
  it('starts in PENDING_CREATE with nothing executed and assets taken from the pair', () => {
    const o = limitBuy();
    expect(o.state).toBe('PENDING_CREATE');
    expect(o.baseAsset).toBe('BTC');
    expect(o.quoteAsset).toBe('USDT');
    expect(o.exchangeOrderId).toBeUndefined();
    expect(o.executedBaseAmount.isZero()).toBe(true);
    expect(o.remainingAmount.toFixed()).toBe('1');
    expect(o.averageExecutedPrice.isNaN()).toBe(true);
    expect(o.isOpen).toBe(false);
    expect(o.isDone).toBe(false);
    expect(o.lastUpdateTimestamp).toBe(1_000);
  });

  it('uses a NaN price for market orders', () => {
    const o = new InFlightOrder({
      clientOrderId: 'm',
      tradingPair: 'ETH-BTC',
      side: 'sell',
      orderType: 'market',
      amount: bn('3'),
      creationTimestamp: 0,
    });
    expect(o.price.isNaN()).toBe(true);
    expect(roundTrip(o).price.isNaN()).toBe(true);
  });

  it('sums fills exactly and keeps fees per asset', () => {
    const o = limitBuy();
    expect(o.applyTrade(trade('1', '0.1', '20000.1'))).toBe(true);
    expect(o.applyTrade(trade('2', '0.2', '20000.2', ['0.5', 'USDT']))).toBe(true);
    expect(o.applyTrade(trade('3', '0.0000001', '20000.3'))).toBe(true);
    expect(o.executedBaseAmount.toFixed()).toBe('0.3000001');
    expect(o.executedQuoteAmount.toFixed()).toBe('6000.05200003');
    expect(o.remainingAmount.toFixed()).toBe('0.6999999');
    expect(o.feesPaid.map((f) => [f.asset, f.amount.toFixed()])).toEqual([
      ['BNB', '0.002'],
      ['USDT', '0.5'],
    ]);
    expect(o.averageExecutedPrice.toFixed(6)).toBe(bn('6000.05200003').div('0.3000001').toFixed(6));
    expect(o.lastUpdateTimestamp).toBe(2_000);
  });

  it('counts a trade id once', () => {
    const o = limitBuy();
    expect(o.applyTrade(trade('7', '0.4', '1'))).toBe(true);
    expect(o.applyTrade(trade('7', '0.4', '1'))).toBe(false);
    expect(o.executedBaseAmount.toFixed()).toBe('0.4');
    expect([...o.fills.keys()]).toEqual(['7']);
  });

  it('never leaves a terminal state', () => {
    const o = limitBuy();
    expect(o.setState('OPEN')).toBe(true);
    expect(o.isOpen).toBe(true);
    expect(o.setState('CANCELED')).toBe(true);
    expect(o.isDone).toBe(true);
    expect(o.setState('OPEN')).toBe(false);
    expect(o.state).toBe('CANCELED');
  });

  it('takes an exchange order id once; a different one throws', () => {
    const o = limitBuy();
    o.exchangeOrderId = 'x1';
    o.exchangeOrderId = 'x1';
    expect(o.exchangeOrderId).toBe('x1');
    expect(() => {
      o.exchangeOrderId = 'x2';
    }).toThrow(HbError);
    expect(o.exchangeOrderId).toBe('x1');
  });

  it('keeps only the largest reported executed amount and reports what is missing', () => {
    const o = limitBuy();
    expect(o.missingFillAmount.isZero()).toBe(true);
    o.noteReportedExecutedAmount(bn('0.5'));
    o.noteReportedExecutedAmount(bn('0.3'));
    expect(o.reportedExecutedAmount?.toFixed()).toBe('0.5');
    o.applyTrade(trade('1', '0.2', '1'));
    expect(o.missingFillAmount.toFixed()).toBe('0.3');
  });

  it('round-trips through JSON exactly, seen trade ids included', () => {
    const o = limitBuy();
    o.exchangeOrderId = '88';
    o.setState('PARTIALLY_FILLED');
    // Numeric trade ids, out of numeric order: an object keyed by id would reorder them.
    o.applyTrade(trade('30', '0.1', '20000.123456789012345678'));
    o.applyTrade({ ...trade('4', '0.00000001', '20000', ['1e-8', 'BTC']), isMaker: true });
    o.noteReportedExecutedAmount(bn('0.5'));
    o.incrementNotFound();
    o.markCreatedEventEmitted();
    o.markAwaitingFills(5_000);
    const json = o.toJSON();
    const text = JSON.stringify(json);
    const back = InFlightOrder.fromJSON(JSON.parse(text) as InFlightOrderJson);
    expect(back.toJSON()).toEqual(json);
    expect(JSON.stringify(back.toJSON())).toBe(text);
    expect([...back.fills.keys()]).toEqual(['30', '4']);
    expect(back.executedBaseAmount.toFixed()).toBe('0.10000001');
    expect(back.feesPaid.map((f) => [f.asset, f.amount.toFixed()])).toEqual([
      ['BNB', '0.001'],
      ['BTC', '0.00000001'],
    ]);
    expect(back.fills.get('4')?.isMaker).toBe(true);
    expect(back.fills.get('30')?.price.toFixed()).toBe('20000.123456789012345678');
    expect(back.state).toBe('PARTIALLY_FILLED');
    expect(back.exchangeOrderId).toBe('88');
    expect(back.notFoundCount).toBe(1);
    expect(back.createdEventEmitted).toBe(true);
    expect(back.terminalEventEmitted).toBe(false);
    expect(back.awaitingFillsSince).toBe(5_000);
    // A replayed fill after the restart is still a duplicate.
    expect(back.applyTrade(trade('30', '0.1', '20000.123456789012345678'))).toBe(false);
  });

  it('writes plain decimals, not exponents', () => {
    const o = new InFlightOrder({
      clientOrderId: 'tiny',
      tradingPair: 'SHIB-USDT',
      side: 'buy',
      orderType: 'limit',
      price: bn('0.00000000123'),
      amount: bn('123456789012345678901234'),
      creationTimestamp: 0,
    });
    const json = o.toJSON();
    expect(json.price).toBe('0.00000000123');
    expect(json.amount).toBe('123456789012345678901234');
    expect(json).not.toHaveProperty('exchangeOrderId');
  });

  it.each<[string, (j: Record<string, unknown>) => void]>([
    ['a missing client id', (j) => delete j.clientOrderId],
    ['a bad state', (j) => (j.state = 'DONE')],
    ['a bad side', (j) => (j.side = 'long')],
    ['a non-numeric amount', (j) => (j.amount = 'lots')],
    ['a NaN amount', (j) => (j.amount = 'NaN')],
    ['fills that are not an array', (j) => (j.fills = {})],
    ['a repeated trade id', (j) => (j.fills = [fillJson('1'), fillJson('1')])],
  ])('rejects saved state with %s', (_name, spoil) => {
    const j = limitBuy().toJSON() as unknown as Record<string, unknown>;
    spoil(j);
    expect(() => InFlightOrder.fromJSON(j as unknown as InFlightOrderJson)).toThrow(
      expect.objectContaining({ reason: 'malformed_message' }),
    );
  });
});

function fillJson(tradeId: string): Record<string, unknown> {
  return {
    tradeId,
    price: '1',
    baseAmount: '1',
    quoteAmount: '1',
    feeAmount: '0',
    feeAsset: 'USDT',
    timestamp: 1,
  };
}
