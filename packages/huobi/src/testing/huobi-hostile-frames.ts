// Hostile frames in Huobi's wire format for the conformance suite's hostile
// checks (@hb/testing hostile-checks.ts) and the soak: MBP increments (gzipped
// like every market frame, by the socket's encoder) and account-stream pushes
// carrying values Huobi never sends, injected by the simulator's fault knobs.
// The cases and their injection are @hb/testing's hostile-frames kit; Huobi says
// where its frames carry a price and an amount (its `HostileWire`).
import BigNumber from 'bignumber.js';
import {
  HOSTILE_HUGE,
  hostileLevel,
  hostileTradeId,
  isHostileValueCase,
  simulatorHostileFrames,
  type HostileFrameFaults,
  type HostileMarketCase,
  type HostileWire,
} from '@hb/testing';
import { mbpStream } from './huobi-sim-market-ws.js';
import type { HuobiSimulator } from './huobi-simulator.js';

/** The MBP topic the connector subscribes by default (150 levels). */
const MBP_LEVELS = 150;

/** Every account-stream frame of one symbol (orders and clearing), as the simulator tags them. */
function accountStreams(symbol: string): RegExp {
  return new RegExp(`^(orders|clearing):${symbol}$`);
}

/**
 * A book value as Huobi writes it: a JSON number. A decimal goes out bare (401
 * digits parse to Infinity); anything else (`NaN`, `''`, a wrong type) as the
 * JSON value it is.
 */
function jsonNumber(value: unknown): string {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? value : JSON.stringify(value);
}

/**
 * Huobi's wire for the hostile frames of `tradingPair`: MBP increments in
 * sequence position (`prevSeqNum` is the chain's current `seqNum`, so only the
 * value check can refuse one) with JSON-number values, and `trade.clearing#`
 * pushes with string decimals. A boolean is the wrong type for both.
 */
export function huobiHostileWire(sim: HuobiSimulator, tradingPair: string): HostileWire {
  const market = sim.marketInfo(tradingPair);
  const symbol = market.id;
  const info = sim.exchange.market(symbol)?.info;
  if (info === undefined) throw new Error(`HuobiSimulator: no symbol ${symbol}`);
  const topic = `market.${symbol}.mbp.${MBP_LEVELS}`;
  const mbp = (bids: string, asks = '[]', seq?: { seqNum: number; prevSeqNum: number }): string => {
    const prev = sim.seqNum(tradingPair);
    const { seqNum, prevSeqNum } = seq ?? { seqNum: prev + 1, prevSeqNum: prev };
    return `{"ch":"${topic}","ts":${Date.now()},"tick":{"seqNum":${seqNum},"prevSeqNum":${prevSeqNum},"bids":${bids},"asks":${asks}}}`;
  };
  return {
    bookStream: mbpStream(symbol),
    fillStream: accountStreams(symbol),
    decimals: {
      bookPrice: info.pricePrecision,
      fillAmount: info.amountPrecision,
      fillPrice: info.pricePrecision,
    },
    wrongType: () => true,
    bookFrame({ price, amount }, kind) {
      const level = `[[${jsonNumber(price)},${jsonNumber(amount)}]]`;
      return kind === 'huge_amount' ? mbp('[]', level) : mbp(level);
    },
    framingFrame(kind, price) {
      if (kind === 'inverted_range') {
        const prev = sim.seqNum(tradingPair);
        return mbp(`[[${price},1.0]]`, '[]', { seqNum: prev, prevSeqNum: prev + 5 });
      }
      if (kind === 'unknown_message_type')
        return `{"ch":"market.${symbol}.mystery","ts":${Date.now()},"tick":{}}`;
      return `{"ch":"${topic}","ts":`;
    },
    fillFields: { amount: 'tradeVolume', price: 'tradePrice' },
    fillFrame(order, { clientOrderId, amount, price, overrides }) {
      const data = {
        eventType: 'trade',
        symbol,
        orderId: Number(order.orderId),
        clientOrderId,
        orderSide: order.side,
        orderType: `${order.side}-limit`,
        tradePrice: price,
        tradeVolume: amount,
        aggressor: false,
        tradeId: hostileTradeId(),
        tradeTime: Date.now(),
        transactFee: '0',
        feeCurrency: info.quote,
        feeDeduct: '0',
        feeDeductType: '',
        source: 'spot-api',
        orderPrice: price,
        orderSize: amount,
        orderCreateTime: order.createdAt,
        orderStatus: 'filled',
        ...overrides,
      };
      return JSON.stringify({ action: 'push', ch: 'trade.clearing#*#0', data });
    },
  };
}

/** One hostile MBP increment of `kind` at the book's best bid, in sequence position (the soak's). */
export function huobiHostileMarketFrame(
  sim: HuobiSimulator,
  tradingPair: string,
  kind: HostileMarketCase,
): string {
  const wire = huobiHostileWire(sim, tradingPair);
  const bid = sim.trueBook(tradingPair, 1).bids[0]?.[0] ?? 100;
  const price = new BigNumber(bid).toFixed(wire.decimals.bookPrice);
  return isHostileValueCase(kind)
    ? wire.bookFrame(hostileLevel(kind, price, wire.wrongType(price)), kind)
    : wire.framingFrame(kind, price);
}

/** Hostile Huobi frames for `tradingPair`, our orders being those of `apiKey`. */
export function huobiHostileFrames(
  sim: HuobiSimulator,
  tradingPair: string,
  apiKey: string,
): HostileFrameFaults {
  return simulatorHostileFrames(sim, tradingPair, apiKey, huobiHostileWire(sim, tradingPair));
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
    clearing({ tradeVolume: HOSTILE_HUGE }),
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
