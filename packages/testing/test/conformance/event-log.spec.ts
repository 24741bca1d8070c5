import BigNumber from 'bignumber.js';
import type { MarketEvent } from '@hb/core';
import { ConformanceFailure } from '../../src/conformance/conformance-failure.js';
import { validateOrderEvents } from '../../src/conformance/event-log.js';

const base = { timestamp: 1, clientOrderId: 'c1', tradingPair: 'BTC-USDT' } as const;
const created: MarketEvent = {
  ...base,
  type: 'BuyOrderCreated',
  exchangeOrderId: '1',
  orderType: 'limit',
  amount: new BigNumber(2),
  price: new BigNumber(100),
};
const fill = (tradeId: string, amount: number): MarketEvent => ({
  ...base,
  type: 'OrderFilled',
  exchangeOrderId: '1',
  tradeId,
  side: 'buy',
  orderType: 'limit',
  price: new BigNumber(100),
  amount: new BigNumber(amount),
  fee: { amount: new BigNumber('0.001'), asset: 'BTC' },
  fees: [{ amount: new BigNumber('0.001'), asset: 'BTC' }],
  isMaker: true,
});
const completed = (executed: number): MarketEvent => ({
  ...base,
  type: 'BuyOrderCompleted',
  exchangeOrderId: '1',
  orderType: 'limit',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  executedBaseAmount: new BigNumber(executed),
  executedQuoteAmount: new BigNumber(executed * 100),
  fees: [],
});
const cancelled: MarketEvent = { ...base, type: 'OrderCancelled', exchangeOrderId: '1' };

describe('validateOrderEvents', () => {
  it('accepts a valid life cycle', () => {
    expect(() =>
      validateOrderEvents('c1', [created, fill('t1', 1), fill('t2', 1), completed(2)]),
    ).not.toThrow();
  });

  it('ignores other orders', () => {
    expect(() => validateOrderEvents('c2', [created, created])).not.toThrow();
  });

  it.each([
    ['a duplicated fill', [created, fill('t1', 1), fill('t1', 1), completed(2)], /trade t1 reported twice/],
    ['two Created events', [created, created], /2 Created events/],
    ['a fill before Created', [fill('t1', 1), created], /before the Created event/],
    ['a fill without Created', [fill('t1', 1)], /without a Created/],
    ['two terminal events', [created, cancelled, cancelled], /2 terminal events/],
    ['Completed with missing fills', [created, fill('t1', 1), completed(2)], /fills sum to 1/],
    [
      'a fill after Completed',
      [created, fill('t1', 1), completed(1), fill('t2', 1)],
      /a fill after Completed/,
    ],
  ] as const)('rejects %s', (_what, events, message) => {
    expect(() => validateOrderEvents('c1', events)).toThrow(ConformanceFailure);
    expect(() => validateOrderEvents('c1', events)).toThrow(message);
  });
});
