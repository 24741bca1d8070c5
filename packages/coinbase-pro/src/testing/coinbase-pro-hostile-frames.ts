// Hostile frames in Coinbase's wire format for the conformance suite's hostile
// checks (@hb/testing hostile-checks.ts): full-channel messages and user-channel
// matches carrying values Coinbase never sends, injected by the simulator's fault knobs.
import { escapeRegExp, hostileTradeId, simulatorHostileFrames, type HostileFrameFaults } from '@hb/testing';
import type { CoinbaseProSimulator } from './coinbase-pro-simulator.js';

/** Hostile Coinbase frames for `tradingPair`, our orders being those of `apiKey`. */
export function coinbaseProHostileFrames(
  sim: CoinbaseProSimulator,
  tradingPair: string,
  apiKey: string,
): HostileFrameFaults {
  const productId = sim.marketInfo(tradingPair).id;
  const time = (): string => new Date().toISOString().replace('Z', '000Z');
  // An `open` message of the `full` channel: one resting order, i.e. one book level.
  const open = (fields: Record<string, unknown>): string =>
    JSON.stringify({
      type: 'open',
      product_id: productId,
      sequence: 1,
      time: time(),
      order_id: '0badf00d-0000-4000-8000-000000000001',
      side: 'buy',
      remaining_size: '1.0',
      ...fields,
    });
  return simulatorHostileFrames(sim, tradingPair, apiKey, {
    bookStream: new RegExp(`^full:${escapeRegExp(productId)}$`),
    fillStream: new RegExp(`^user:${escapeRegExp(productId)}$`),
    decimals: { bookPrice: 2, fillAmount: 8, fillPrice: 2 },
    // Coinbase sends prices and sizes as strings: a JSON number is the wrong type.
    wrongType: (decimal) => Number(decimal),
    bookFrame: ({ price, amount }) => open({ price, remaining_size: amount }),
    framingFrame(kind, price) {
      // Coinbase numbers messages one by one: an "inverted range" is a sequence no counter produces.
      if (kind === 'inverted_range') return open({ price, sequence: -1 });
      if (kind === 'unknown_message_type') return open({ price, type: 'mysteryType' });
      return '{"type":"open","product_id":';
    },
    fillFields: { amount: 'size', price: 'price' },
    fillFrame: (order, { amount, price, overrides }) =>
      JSON.stringify({
        type: 'match',
        product_id: productId,
        sequence: 1,
        time: time(),
        trade_id: hostileTradeId(),
        maker_order_id: order.orderId,
        taker_order_id: '0badf00d-0000-4000-8000-000000000002',
        side: order.side,
        size: amount,
        price,
        maker_profile_id: 'hostile',
        maker_user_id: 'hostile',
        maker_fee_rate: '0.004',
        ...overrides,
      }),
  });
}
