// The fault knobs on Bittrex's wire (the shared simulator fault checks): a failed
// placement is the status with `{"code": "SERVICE_UNAVAILABLE"}` (applied or
// not); Bittrex has no lookup by client order id, so the lookup is the open
// orders of the market, where ours is found by its `clientOrderId`; a timestamp
// beyond the window is 401 `INVALID_TIMESTAMP`; a placement is 201 Created.
import { randomUUID } from 'node:crypto';
import { Credentials } from '@hb/core/connector';
import { asObject, fetchAnswer, type HttpAnswer } from '@hb/testing';
import { describeSimOrderFaults } from '@hb/testing/suites';
import { BittrexAuth } from '../../src/bittrex-auth.js';
import { BittrexSimulator, DEMO_ACCOUNT } from '../../src/testing/index.js';

/** A request of the demo account's, signed at `timestampMs` (default now), as the connector signs it. */
function signed(
  sim: BittrexSimulator,
  method: 'GET' | 'POST',
  path: string,
  query: readonly (readonly [string, string])[],
  body?: Record<string, unknown>,
  options: { readonly timestampMs?: number; readonly signal?: AbortSignal } = {},
): Promise<HttpAnswer> {
  const auth = new BittrexAuth(
    new Credentials({ apiKey: DEMO_ACCOUNT.apiKey, secret: DEMO_ACCOUNT.apiSecret }),
    () => options.timestampMs ?? Date.now(),
    { restUrl: `${sim.restUrl}/v3` },
  );
  const text = body === undefined ? undefined : JSON.stringify(body);
  const request = auth.signRest({ method, path, query: query.map(([k, v]) => [k, v]), body: text });
  return fetchAnswer(`${sim.restUrl}/v3${request.pathAndQuery}`, {
    method,
    headers: { ...request.headers, ...(text === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(text === undefined ? {} : { body: text }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

describeSimOrderFaults('BittrexSimulator', {
  // No activity: the true book holds only our order.
  start: () => BittrexSimulator.start({ demoAccount: true, requestsPerMinute: 1_000 }),
  apiKey: DEMO_ACCOUNT.apiKey,
  clientOrderId: () => randomUUID(),
  placedStatus: 201,
  place: (sim, clientOrderId, signal) =>
    signed(
      sim,
      'POST',
      '/orders',
      [],
      {
        marketSymbol: 'BTC-USDT',
        direction: 'BUY',
        type: 'LIMIT',
        quantity: '0.00100000',
        limit: '25000.00000000',
        timeInForce: 'GOOD_TIL_CANCELLED',
        clientOrderId,
      },
      signal === undefined ? {} : { signal },
    ),
  lookup: (sim) => signed(sim, 'GET', '/orders/open', [['marketSymbol', 'BTC-USDT']]),
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
    signed(sim, 'GET', '/balances', [], undefined, timestampMs === undefined ? {} : { timestampMs }),
});
