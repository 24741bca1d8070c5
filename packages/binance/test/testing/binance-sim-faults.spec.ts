import { describeSimOrderFaults } from '@hb/testing/suites';
import { BinanceSimulator } from '../../src/testing/index.js';
import { type Creds, get, obj, placeLimit, signed } from './sim-helpers.js';

const ALICE: Creds = { apiKey: 'alice-key', apiSecret: 'alice-secret' };
let orders = 0;

// The fault knobs on Binance's wire: -1008 for an overloaded server (503), -1001
// otherwise, -2013 for an order it does not hold, -1021 outside the recvWindow.
describeSimOrderFaults('BinanceSimulator', {
  // Manual depth: the true book holds only our order.
  start: () =>
    BinanceSimulator.start({ depthMode: 'manual', accounts: [{ ...ALICE, balances: { USDT: '10000' } }] }),
  apiKey: ALICE.apiKey,
  clientOrderId: () => `hb-fault-${++orders}`,
  place: (sim, id, signal) =>
    placeLimit(
      sim.restUrl,
      ALICE,
      { side: 'BUY', price: '25000.00', quantity: '0.001', newClientOrderId: id },
      signal === undefined ? {} : { signal },
    ),
  lookup: (sim, id) =>
    signed(sim.restUrl, 'GET', '/api/v3/order', ALICE, { symbol: 'BTCUSDT', origClientOrderId: id }),
  restsAt: { pair: 'BTC-USDT', level: [25000, 0.001] },
  answers: {
    failed: (status) => ({ status, body: { code: status === 503 ? -1008 : -1001 } }),
    found: (id) => ({ status: 200, body: { clientOrderId: id, status: 'NEW' } }),
    notFound: { status: 400, body: { code: -2013 } },
    staleTimestamp: { status: 400, body: { code: -1021 } },
  },
  skewMs: 10_000,
  serverTime: async (sim) => obj((await get(sim.restUrl, '/api/v3/time')).body)['serverTime'] as number,
  privateRead: (sim, timestamp) =>
    signed(sim.restUrl, 'GET', '/api/v3/openOrders', ALICE, {}, timestamp === undefined ? {} : { timestamp }),
});
