// Hostile frames in Coinbase's wire format for the conformance suite's hostile
// checks (@hb/testing hostile-checks.ts): full-channel messages and user-channel
// matches carrying values Coinbase never sends, injected by the simulator's fault knobs.
import BigNumber from 'bignumber.js';
import type { HostileFillCase, HostileFrameFaults, HostileMarketCase } from '@hb/testing';
import type { CoinbaseProSimulator } from './coinbase-pro-simulator.js';

const HUGE = '9'.repeat(401);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Hostile Coinbase frames for `tradingPair`, our orders being those of `apiKey`. */
export function coinbaseProHostileFrames(
  sim: CoinbaseProSimulator,
  tradingPair: string,
  apiKey: string,
): HostileFrameFaults {
  const productId = sim.marketInfo(tradingPair).id;
  const full = new RegExp(`^full:${escapeRegExp(productId)}$`);
  const user = new RegExp(`^user:${escapeRegExp(productId)}$`);
  const time = (): string => new Date().toISOString().replace('Z', '000Z');
  return {
    sendHostileMarketFrame(kind: HostileMarketCase) {
      const bid = sim.trueBook(tradingPair, 1).bids[0]?.[0] ?? 100;
      const p = new BigNumber(bid).toFixed(2);
      const open = (fields: Record<string, unknown>): string =>
        JSON.stringify({
          type: 'open',
          product_id: productId,
          sequence: 1,
          time: time(),
          order_id: '0badf00d-0000-4000-8000-000000000001',
          side: 'buy',
          price: p,
          remaining_size: '1.0',
          ...fields,
        });
      const frames: Record<HostileMarketCase, string> = {
        negative_amount: open({ remaining_size: '-0.005' }),
        negative_price: open({ price: `-${p}` }),
        zero_price: open({ price: '0.00' }),
        huge_price: open({ price: HUGE }),
        huge_amount: open({ remaining_size: HUGE }),
        nan: open({ price: 'NaN' }),
        empty_string: open({ price: '' }),
        wrong_type: open({ price: Number(p) }),
        // Coinbase numbers messages one by one: an "inverted range" is a sequence no counter produces.
        inverted_range: open({ sequence: -1 }),
        unknown_message_type: open({ type: 'mysteryType' }),
        not_json: '{"type":"open","product_id":',
      };
      sim.faults.malformedFrame({ stream: full }, { frame: frames[kind], times: 1 });
    },
    armHostileFill(kind: HostileFillCase, clientOrderId: string, orderAmount: BigNumber) {
      const order = sim.orderByClientOrderId(apiKey, clientOrderId);
      if (order === undefined) throw new Error(`no simulator order ${clientOrderId}`);
      const price = (order.price ?? new BigNumber(1)).toFixed(2);
      const size = orderAmount.toFixed(8);
      const fields: Record<HostileFillCase, Record<string, unknown>> = {
        negative_amount: { size: `-${size}` },
        huge_amount: { size: HUGE },
        negative_price: { price: `-${price}` },
        nan: { size: 'NaN' },
        wrong_type: { size: Number(size) },
        excess: { size: orderAmount.times(1000).toFixed(8) },
      };
      const match = {
        type: 'match',
        product_id: productId,
        sequence: 1,
        time: time(),
        trade_id: 900_000_000 + HOSTILE_FILL_ID++,
        maker_order_id: order.orderId,
        taker_order_id: '0badf00d-0000-4000-8000-000000000002',
        side: order.side,
        size,
        price,
        maker_profile_id: 'hostile',
        maker_user_id: 'hostile',
        maker_fee_rate: '0.004',
        ...fields[kind],
      };
      sim.faults.malformedFrame({ stream: user }, { frame: JSON.stringify(match), times: 1 });
    },
  };
}

let HOSTILE_FILL_ID = 1;
