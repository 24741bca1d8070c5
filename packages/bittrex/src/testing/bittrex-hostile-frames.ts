// Hostile frames in Bittrex's wire format for the conformance suite's hostile
// checks (@hb/testing hostile-checks.ts) and the soak: SignalR frames whose
// base64 raw-deflate payloads carry values Bittrex never sends, injected by the
// simulator's fault knobs in sequence position (so only the value checks can
// refuse them).
import BigNumber from 'bignumber.js';
import type { HostileFillCase, HostileFrameFaults, HostileMarketCase } from '@hb/testing';
import { encodeHubPayload } from '../bittrex-signalr.js';
import type { BittrexSimulator } from './bittrex-simulator.js';

/** 401 digits: out of every wire range, as a string or as a JSON number (Infinity). */
const HUGE = '9'.repeat(401);

/** The book depth the connector subscribes by default. */
const DEPTH = 25;

let FRAME_CURSOR = 1;

/** A SignalR hub frame carrying one message, its payload encoded as Bittrex does. */
function hubFrame(method: string, payload: unknown): string {
  return JSON.stringify({
    C: `d-hostile,${FRAME_CURSOR++}`,
    M: [{ H: 'C3', M: method, A: [encodeHubPayload(payload)] }],
  });
}

/** The simulator's stream tag of a pair's book deltas. */
export function bittrexBookStream(tradingPair: string): string {
  return `orderbook_${tradingPair}_${DEPTH}`;
}

/** One hostile `orderBook` frame per case, at the book's next sequence. */
export function bittrexHostileMarketFrame(
  sim: BittrexSimulator,
  tradingPair: string,
  kind: HostileMarketCase,
): string {
  const current = sim.bookSequence(tradingPair, DEPTH);
  const rate = String(sim.trueBook(tradingPair, 1).bids[0]?.[0] ?? 100);
  const delta = (bid: Record<string, unknown> | undefined, sequence: unknown = current + 1): string =>
    hubFrame('orderBook', {
      marketSymbol: tradingPair,
      depth: DEPTH,
      sequence,
      bidDeltas: bid === undefined ? [] : [bid],
      askDeltas: [],
    });
  const frames: Record<HostileMarketCase, string> = {
    negative_amount: delta({ quantity: '-0.005', rate }),
    negative_price: delta({ quantity: '1.0', rate: `-${rate}` }),
    zero_price: delta({ quantity: '1.0', rate: '0' }),
    huge_price: delta({ quantity: '1.0', rate: HUGE }),
    huge_amount: delta({ quantity: 1e300, rate }),
    nan: delta({ quantity: 'NaN', rate }),
    empty_string: delta({ quantity: '', rate }),
    wrong_type: delta({ quantity: true, rate }),
    // A delta carries one sequence: the inverted case is one that goes backwards.
    inverted_range: delta({ quantity: '-1', rate }, -(current + 1)),
    unknown_message_type: hubFrame('mysteryMessage', { marketSymbol: tradingPair, sequence: current + 1 }),
    not_json: `{"C":"d-hostile,${FRAME_CURSOR++}","M":[{"H":"C3","M":"orderBook","A":[`,
  };
  return frames[kind];
}

/** The execution delta fields of a hostile fill of our order, by case. */
function hostileExecutionFields(
  kind: HostileFillCase,
  qty: string,
  rate: string,
  amount: BigNumber,
): Record<string, unknown> {
  switch (kind) {
    case 'negative_amount':
      return { quantity: `-${qty}` };
    case 'huge_amount':
      return { quantity: HUGE };
    case 'negative_price':
      return { rate: `-${rate}` };
    case 'nan':
      return { quantity: 'NaN' };
    case 'wrong_type':
      return { quantity: true };
    case 'excess':
      return { quantity: amount.times(1000).toFixed(8) };
  }
}

let HOSTILE_EXECUTION = 1;

/** A hostile `execution` frame at the account's next execution sequence. */
export function bittrexHostileExecutionFrame(
  sim: BittrexSimulator,
  apiKey: string,
  tradingPair: string,
  fields: Record<string, unknown>,
  orderId = '00000000-0000-4000-8000-000000000000',
): string {
  const sequence = sim.exchange.privateSequence(apiKey, 'execution') + 1;
  return hubFrame('execution', {
    accountId: 'hostile',
    sequence,
    deltas: [
      {
        id: `eeeeeeee-0000-4000-8000-${String(HOSTILE_EXECUTION++).padStart(12, '0')}`,
        marketSymbol: tradingPair,
        executedAt: new Date().toISOString(),
        quantity: '0.005',
        rate: '30000.00000000',
        orderId,
        commission: '0.00000000',
        isTaker: false,
        ...fields,
      },
    ],
  });
}

/** Hostile Bittrex frames for `tradingPair`, our orders being those of `apiKey`. */
export function bittrexHostileFrames(
  sim: BittrexSimulator,
  tradingPair: string,
  apiKey: string,
): HostileFrameFaults {
  return {
    sendHostileMarketFrame(kind: HostileMarketCase) {
      sim.faults.malformedFrame(
        { stream: bittrexBookStream(tradingPair) },
        { frame: bittrexHostileMarketFrame(sim, tradingPair, kind), times: 1 },
      );
    },
    armHostileFill(kind: HostileFillCase, clientOrderId: string, orderAmount: BigNumber) {
      const order = sim.orderByClientOrderId(apiKey, clientOrderId);
      if (order === undefined) throw new Error(`no simulator order ${clientOrderId}`);
      const rate = (order.price ?? new BigNumber(1)).toFixed(8);
      const qty = orderAmount.toFixed(8);
      const frame = bittrexHostileExecutionFrame(
        sim,
        apiKey,
        tradingPair,
        hostileExecutionFields(kind, qty, rate, orderAmount),
        order.orderId,
      );
      sim.faults.malformedFrame({ stream: 'execution' }, { frame, times: 1 });
    },
  };
}

/** Hostile private frames naming no order of ours (for the soak: each must be refused whole). */
export function bittrexHostileUserFrames(
  sim: BittrexSimulator,
  apiKey: string,
  tradingPair: string,
): string[] {
  const exec = (fields: Record<string, unknown>): string =>
    bittrexHostileExecutionFrame(sim, apiKey, tradingPair, fields);
  return [
    exec({ quantity: '-0.005' }),
    exec({ quantity: HUGE }),
    exec({ rate: '-30000.00' }),
    exec({ commission: '-0.1' }),
    exec({ quantity: 'NaN' }),
    exec({ quantity: 1e300 }),
    exec({ quantity: '' }),
    hubFrame('execution', { accountId: 'hostile', sequence: 'x', deltas: [] }),
    '{"C":"d-hostile","M":[{"H":"C3","M":"execution","A":["%%%"]}]}',
    'garbage',
  ];
}
