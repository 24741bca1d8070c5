// Hostile frames in Binance's wire format for the conformance suite's hostile
// checks (@hb/testing hostile-checks.ts): depth updates and executionReports
// carrying values Binance never sends, injected by the simulator's fault knobs.
import BigNumber from 'bignumber.js';
import type { HostileFillCase, HostileFrameFaults, HostileMarketCase } from '@hb/testing';
import type { BinanceSimulator } from './binance-simulator.js';

const HUGE = '9'.repeat(401);

/** Hostile Binance frames for `tradingPair`, our orders being those of `apiKey`. */
export function binanceHostileFrames(
  sim: BinanceSimulator,
  tradingPair: string,
  apiKey: string,
): HostileFrameFaults {
  const symbol = sim.marketInfo(tradingPair).id;
  const stream = `${symbol.toLowerCase()}@depth@100ms`;
  return {
    sendHostileMarketFrame(kind: HostileMarketCase) {
      const next = sim.bookSequence(tradingPair) + 1;
      const bid = sim.trueBook(tradingPair, 1).bids[0]?.[0] ?? 100;
      const p = new BigNumber(bid).toFixed(2);
      const depth = (b: string, a = '[]', U = next, u = next): string =>
        `{"stream":"${stream}","data":{"e":"depthUpdate","E":${Date.now()},"s":"${symbol}","U":${U},"u":${u},"b":${b},"a":${a}}}`;
      const frames: Record<HostileMarketCase, string> = {
        negative_amount: depth(`[["${p}","-0.005"]]`),
        negative_price: depth(`[["-${p}","1.0"]]`),
        zero_price: depth('[["0.00","1.0"]]'),
        huge_price: depth(`[["${HUGE}","1.0"]]`),
        huge_amount: depth('[]', `[["${p}","${HUGE}"]]`),
        nan: depth('[["NaN","1.0"]]'),
        empty_string: depth('[["","1.0"]]'),
        wrong_type: depth(`[[${p},1]]`),
        inverted_range: depth(`[["${p}","1.0"]]`, '[]', next + 5, next),
        unknown_message_type: `{"stream":"${stream}","data":{"e":"mysteryEvent","E":1}}`,
        not_json: `{"stream":"${stream}","data":{"e":"depthUpdate",`,
      };
      sim.faults.malformedFrame({ stream }, { frame: frames[kind], times: 1 });
    },
    armHostileFill(kind: HostileFillCase, clientOrderId: string, orderAmount: BigNumber) {
      const order = sim.orderByClientOrderId(apiKey, clientOrderId);
      if (order === undefined) throw new Error(`no simulator order ${clientOrderId}`);
      const price = (order.price ?? new BigNumber(1)).toFixed(8);
      const qty = orderAmount.toFixed(8);
      const fields: Record<HostileFillCase, Record<string, unknown>> = {
        negative_amount: { l: `-${qty}` },
        huge_amount: { l: HUGE, z: HUGE },
        negative_price: { L: `-${price}` },
        nan: { l: 'NaN' },
        wrong_type: { l: Number(qty) },
        excess: { l: orderAmount.times(1000).toFixed(8), z: orderAmount.times(1000).toFixed(8) },
      };
      const event = {
        e: 'executionReport',
        E: Date.now(),
        s: symbol,
        c: clientOrderId,
        S: order.side === 'buy' ? 'BUY' : 'SELL',
        o: 'LIMIT',
        f: 'GTC',
        q: qty,
        p: price,
        C: '',
        x: 'TRADE',
        X: 'FILLED',
        r: 'NONE',
        i: Number(order.orderId),
        l: qty,
        z: qty,
        L: price,
        n: '0',
        N: null,
        T: Date.now(),
        t: 900_000_000 + HOSTILE_FILL_ID++,
        m: true,
        Y: new BigNumber(price).times(qty).toFixed(8),
        ...fields[kind],
      };
      sim.faults.malformedFrame(
        { stream: 'userData' },
        { frame: JSON.stringify({ subscriptionId: 0, event }), times: 1 },
      );
    },
  };
}

let HOSTILE_FILL_ID = 1;
