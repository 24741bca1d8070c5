// Hostile frames in Binance's wire format for the conformance suite's hostile
// checks (@hb/testing hostile-checks.ts): depth updates and executionReports
// carrying values Binance never sends, injected by the simulator's fault knobs.
import BigNumber from 'bignumber.js';
import { hostileTradeId, simulatorHostileFrames, type HostileFrameFaults } from '@hb/testing';
import type { BinanceSimulator } from './binance-simulator.js';

/** Hostile Binance frames for `tradingPair`, our orders being those of `apiKey`. */
export function binanceHostileFrames(
  sim: BinanceSimulator,
  tradingPair: string,
  apiKey: string,
): HostileFrameFaults {
  const symbol = sim.marketInfo(tradingPair).id;
  const stream = `${symbol.toLowerCase()}@depth@100ms`;
  const depth = (b: unknown[][], a: unknown[][] = [], U?: number, u?: number): string => {
    const next = sim.bookSequence(tradingPair) + 1;
    const data = { e: 'depthUpdate', E: Date.now(), s: symbol, U: U ?? next, u: u ?? next, b, a };
    return JSON.stringify({ stream, data });
  };
  return simulatorHostileFrames(sim, tradingPair, apiKey, {
    bookStream: stream,
    fillStream: 'userData',
    decimals: { bookPrice: 2, fillAmount: 8, fillPrice: 8 },
    // Binance sends every price and quantity as a string: a JSON number is the wrong type.
    wrongType: (decimal) => Number(decimal),
    bookFrame: ({ price, amount }, kind) =>
      kind === 'huge_amount' ? depth([], [[price, amount]]) : depth([[price, amount]]),
    framingFrame(kind, price) {
      const next = sim.bookSequence(tradingPair) + 1;
      if (kind === 'inverted_range') return depth([[price, '1.0']], [], next + 5, next);
      if (kind === 'unknown_message_type') return `{"stream":"${stream}","data":{"e":"mysteryEvent","E":1}}`;
      return `{"stream":"${stream}","data":{"e":"depthUpdate",`;
    },
    // `l` is this fill, `z` the order's cumulative fill, `L` this fill's price.
    fillFields: { amount: 'l', cumulative: 'z', price: 'L' },
    fillFrame(order, { clientOrderId, amount, price, overrides }) {
      const event = {
        e: 'executionReport',
        E: Date.now(),
        s: symbol,
        c: clientOrderId,
        S: order.side === 'buy' ? 'BUY' : 'SELL',
        o: 'LIMIT',
        f: 'GTC',
        q: amount,
        p: price,
        C: '',
        x: 'TRADE',
        X: 'FILLED',
        r: 'NONE',
        i: Number(order.orderId),
        l: amount,
        z: amount,
        L: price,
        n: '0',
        N: null,
        T: Date.now(),
        t: hostileTradeId(),
        m: true,
        Y: new BigNumber(price).times(amount).toFixed(8),
        ...overrides,
      };
      return JSON.stringify({ subscriptionId: 0, event });
    },
  });
}
