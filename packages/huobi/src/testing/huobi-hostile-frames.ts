// Hostile frames in Huobi's wire format for the conformance suite's hostile
// checks (@hb/testing hostile-checks.ts) and the soak: MBP increments (gzipped
// like every market frame, by the socket's encoder) and account-stream pushes
// carrying values Huobi never sends, injected by the simulator's fault knobs.
import BigNumber from 'bignumber.js';
import type { HostileFillCase, HostileFrameFaults, HostileMarketCase } from '@hb/testing';
import { mbpStream } from './huobi-sim-market-ws.js';
import type { HuobiSimulator } from './huobi-simulator.js';

/** 401 digits: JSON.parse makes it Infinity as a number; as a string it is out of range. */
const HUGE = '9'.repeat(401);

/** The MBP topic the connector subscribes by default (150 levels). */
const MBP_LEVELS = 150;

/** Every account-stream frame of one symbol (orders and clearing), as the simulator tags them. */
function accountStreams(symbol: string): RegExp {
  return new RegExp(`^(orders|clearing):${symbol}$`);
}

/**
 * One hostile MBP increment per case, in sequence position: `prevSeqNum` is the
 * chain's current `seqNum`, so only the value check can refuse it.
 */
export function huobiHostileMarketFrame(
  sim: HuobiSimulator,
  tradingPair: string,
  kind: HostileMarketCase,
): string {
  const symbol = sim.marketInfo(tradingPair).id;
  const topic = `market.${symbol}.mbp.${MBP_LEVELS}`;
  const prev = sim.seqNum(tradingPair);
  const bid = sim.trueBook(tradingPair, 1).bids[0]?.[0] ?? 100;
  const p = String(bid);
  const mbp = (bids: string, asks = '[]', seqNum = prev + 1, prevSeqNum = prev): string =>
    `{"ch":"${topic}","ts":${Date.now()},"tick":{"seqNum":${seqNum},"prevSeqNum":${prevSeqNum},"bids":${bids},"asks":${asks}}}`;
  const frames: Record<HostileMarketCase, string> = {
    negative_amount: mbp(`[[${p},-0.005]]`),
    negative_price: mbp(`[[-${p},1.0]]`),
    zero_price: mbp('[[0,1.0]]'),
    huge_price: mbp(`[[${HUGE},1.0]]`),
    huge_amount: mbp('[]', `[[${p},1e300]]`),
    nan: mbp('[["NaN",1.0]]'),
    empty_string: mbp('[["",1.0]]'),
    wrong_type: mbp(`[["${p}","1.0"]]`),
    inverted_range: mbp(`[[${p},1.0]]`, '[]', prev, prev + 5),
    unknown_message_type: `{"ch":"market.${symbol}.mystery","ts":${Date.now()},"tick":{}}`,
    not_json: `{"ch":"${topic}","ts":`,
  };
  return frames[kind];
}

/** The fields of a hostile `trade.clearing` push for our order, by case. */
function hostileClearingFields(
  kind: HostileFillCase,
  qty: string,
  price: string,
  amount: BigNumber,
): Record<string, unknown> {
  switch (kind) {
    case 'negative_amount':
      return { tradeVolume: `-${qty}` };
    case 'huge_amount':
      return { tradeVolume: HUGE };
    case 'negative_price':
      return { tradePrice: `-${price}` };
    case 'nan':
      return { tradeVolume: 'NaN' };
    case 'wrong_type':
      return { tradeVolume: true };
    case 'excess':
      return { tradeVolume: amount.times(1000).toFixed() };
  }
}

let HOSTILE_TRADE_ID = 1;

/** Hostile Huobi frames for `tradingPair`, our orders being those of `apiKey`. */
export function huobiHostileFrames(
  sim: HuobiSimulator,
  tradingPair: string,
  apiKey: string,
): HostileFrameFaults {
  const symbol = sim.marketInfo(tradingPair).id;
  return {
    sendHostileMarketFrame(kind: HostileMarketCase) {
      sim.faults.malformedFrame(
        { stream: mbpStream(symbol) },
        { frame: huobiHostileMarketFrame(sim, tradingPair, kind), times: 1 },
      );
    },
    armHostileFill(kind: HostileFillCase, clientOrderId: string, orderAmount: BigNumber) {
      const order = sim.orderByClientOrderId(apiKey, clientOrderId);
      if (order === undefined) throw new Error(`no simulator order ${clientOrderId}`);
      const price = (order.price ?? new BigNumber(1)).toFixed();
      const qty = orderAmount.toFixed();
      const data = {
        eventType: 'trade',
        symbol,
        orderId: Number(order.orderId),
        clientOrderId,
        orderSide: order.side,
        orderType: `${order.side}-limit`,
        tradePrice: price,
        tradeVolume: qty,
        aggressor: false,
        tradeId: 900_000_000 + HOSTILE_TRADE_ID++,
        tradeTime: Date.now(),
        transactFee: '0',
        feeCurrency: 'usdt',
        feeDeduct: '0',
        feeDeductType: '',
        source: 'spot-api',
        orderPrice: price,
        orderSize: qty,
        orderCreateTime: order.createdAt,
        orderStatus: 'filled',
        ...hostileClearingFields(kind, qty, price, orderAmount),
      };
      sim.faults.malformedFrame(
        { stream: accountStreams(symbol) },
        { frame: JSON.stringify({ action: 'push', ch: 'trade.clearing#*#0', data }), times: 1 },
      );
    },
  };
}

/** Hostile account-stream frames that name no order of ours (for the soak: each must be refused whole). */
export function huobiHostileAccountFrames(tradingPair: string, sim: HuobiSimulator): string[] {
  const symbol = sim.marketInfo(tradingPair).id;
  const clearing = (fields: Record<string, unknown>): string =>
    JSON.stringify({
      action: 'push',
      ch: 'trade.clearing#*#0',
      data: {
        eventType: 'trade',
        symbol,
        orderId: 1,
        clientOrderId: 'hbBsoakunknown',
        orderSide: 'buy',
        orderType: 'buy-limit',
        tradePrice: '30000.00',
        tradeVolume: '0.005',
        aggressor: false,
        tradeId: 99,
        tradeTime: 1700000000000,
        transactFee: '0',
        feeCurrency: 'usdt',
        ...fields,
      },
    });
  return [
    clearing({ tradeVolume: '-0.005' }),
    clearing({ tradeVolume: HUGE }),
    clearing({ tradePrice: '-30000.00' }),
    clearing({ transactFee: '-0.1' }),
    clearing({ tradeVolume: 'NaN' }),
    clearing({ tradeVolume: true }),
    clearing({ tradeVolume: '' }),
    '{"action":"push","ch":"mystery#*","data":{}}',
    '{"action":"mystery"}',
    '[1,2,3]',
    'garbage',
  ];
}
