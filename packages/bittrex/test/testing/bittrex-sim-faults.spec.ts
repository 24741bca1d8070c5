// The fault knobs on Bittrex's wire (the shared simulator fault checks): a failed
// placement is the status with `{"code": "SERVICE_UNAVAILABLE"}` (applied or
// not); Bittrex has no lookup by client order id, so the lookup is the open
// orders of the market, where ours is found by its `clientOrderId`; a timestamp
// beyond the window is 401 `INVALID_TIMESTAMP`; a placement is 201 Created.
import { randomUUID } from 'node:crypto';
import { Credentials } from '@hb/core/connector';
import { asObject, fetchAnswer, fetchSigned } from '@hb/testing';
import { describeSimOrderFaults } from '@hb/testing/suites';
import { BittrexAuth } from '../../src/bittrex-auth.js';
import { BittrexSimulator, DEMO_ACCOUNT } from '../../src/testing/index.js';

/** The demo account's signer, its clock at `timestampMs` (default now), as the connector signs. */
function demoAuth(sim: BittrexSimulator, timestampMs?: number): BittrexAuth {
  return new BittrexAuth(
    new Credentials({ apiKey: DEMO_ACCOUNT.apiKey, secret: DEMO_ACCOUNT.apiSecret }),
    () => timestampMs ?? Date.now(),
    { restUrl: `${sim.restUrl}/v3` },
  );
}

describeSimOrderFaults('BittrexSimulator', {
  // No activity: the true book holds only our order.
  start: () => BittrexSimulator.start({ demoAccount: true, requestsPerMinute: 1_000 }),
  apiKey: DEMO_ACCOUNT.apiKey,
  clientOrderId: () => randomUUID(),
  placedStatus: 201,
  place: (sim, clientOrderId, signal) =>
    fetchSigned(
      demoAuth(sim),
      `${sim.restUrl}/v3`,
      {
        method: 'POST',
        path: '/orders',
        json: {
          marketSymbol: 'BTC-USDT',
          direction: 'BUY',
          type: 'LIMIT',
          quantity: '0.00100000',
          limit: '25000.00000000',
          timeInForce: 'GOOD_TIL_CANCELLED',
          clientOrderId,
        },
      },
      signal,
    ),
  lookup: (sim) =>
    fetchSigned(demoAuth(sim), `${sim.restUrl}/v3`, {
      method: 'GET',
      path: '/orders/open',
      query: [['marketSymbol', 'BTC-USDT']],
    }),
  restsAt: { pair: 'BTC-USDT', level: [25000, 0.001] },
  answers: {
    failed: (status) => ({ status, body: { code: 'SERVICE_UNAVAILABLE' } }),
    found: (clientOrderId) => ({ status: 200, body: [{ clientOrderId, status: 'OPEN' }] }),
    notFound: { status: 200, body: [] },
    staleTimestamp: { status: 401, body: { code: 'INVALID_TIMESTAMP' } },
  },
  // Beyond the simulator's 60 s timestamp window.
  skewMs: 5 * 60_000,
  serverTime: async (sim) =>
    asObject((await fetchAnswer(`${sim.restUrl}/v3/ping`)).body)['serverTime'] as number,
  privateRead: (sim, timestampMs) =>
    fetchSigned(demoAuth(sim, timestampMs), `${sim.restUrl}/v3`, { method: 'GET', path: '/balances' }),
});
