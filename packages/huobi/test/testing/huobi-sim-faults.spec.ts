// The fault knobs on Huobi's wire (the shared simulator fault checks): a failed
// placement is `gateway-internal-error` (applied or not), a lookup of an order the
// exchange does not hold is `base-record-invalid`, a timestamp beyond the 5-minute
// window is `api-signature-not-valid`; Huobi answers its refusals with HTTP 200.
import { Credentials } from '@hb/core/connector';
import { TestWsClient, asObject, fetchAnswer, fetchSigned } from '@hb/testing';
import { describeSimOrderFaults, expectStreamOutage, useWsClients } from '@hb/testing/suites';
import { HuobiAuth, hostOf } from '../../src/huobi-auth.js';
import { HuobiSimulator } from '../../src/testing/index.js';

const ALICE = { apiKey: 'alice-huobi-key', apiSecret: 'alice-huobi-secret' };
let orders = 0;

/** ALICE's signer against `sim`, its clock at `timestampMs` (default now). */
function aliceAuth(sim: HuobiSimulator, timestampMs?: number): HuobiAuth {
  return new HuobiAuth({
    credentials: new Credentials({ apiKey: ALICE.apiKey, secret: ALICE.apiSecret }),
    restHost: hostOf(sim.restUrl),
    wsHost: hostOf(sim.wsUrl),
    serverTime: () => timestampMs ?? Date.now(),
  });
}

describeSimOrderFaults(
  'HuobiSimulator',
  {
    // No activity: the true book holds only our order.
    start: () => HuobiSimulator.start({ accounts: [{ ...ALICE, balances: { USDT: '10000' } }] }),
    apiKey: ALICE.apiKey,
    clientOrderId: () => `hbfault${++orders}`,
    place: (sim, id, signal) =>
      fetchSigned(
        aliceAuth(sim),
        sim.restUrl,
        {
          method: 'POST',
          path: '/v1/order/orders/place',
          json: {
            'account-id': String(sim.spotAccountId(ALICE.apiKey)),
            symbol: 'btcusdt',
            type: 'buy-limit',
            amount: '0.001',
            price: '25000.00',
            'client-order-id': id,
          },
        },
        signal,
      ),
    lookup: (sim, id) =>
      fetchSigned(aliceAuth(sim), sim.restUrl, {
        method: 'GET',
        path: '/v1/order/orders/getClientOrder',
        query: [['clientOrderId', id]],
      }),
    restsAt: { pair: 'BTC-USDT', level: [25000, 0.001] },
    answers: {
      failed: (status) => ({ status, body: { status: 'error', 'err-code': 'gateway-internal-error' } }),
      found: (id) => ({
        status: 200,
        body: { status: 'ok', data: { 'client-order-id': id, state: 'submitted' } },
      }),
      notFound: { status: 200, body: { status: 'error', 'err-code': 'base-record-invalid' } },
      staleTimestamp: { status: 200, body: { status: 'error', 'err-code': 'api-signature-not-valid' } },
    },
    // Beyond the exchange's 5-minute timestamp window.
    skewMs: 10 * 60_000,
    serverTime: async (sim) =>
      asObject((await fetchAnswer(`${sim.restUrl}/v1/common/timestamp`)).body)['data'] as number,
    privateRead: (sim, timestampMs) =>
      fetchSigned(aliceAuth(sim, timestampMs), sim.restUrl, { method: 'GET', path: '/v1/account/accounts' }),
  },
  (ctx) => {
    const accountSocket = useWsClients(() => TestWsClient.connect(`${ctx.sim.wsUrl}/ws/v2`));
    /** A v2 account socket logged in as ALICE with `orders#*` acknowledged. */
    const subscribed = async (): Promise<TestWsClient> => {
      const ws = await accountSocket();
      ws.send(aliceAuth(ctx.sim).wsLogin());
      await ws.next((f) => asObject(f)['ch'] === 'auth' && asObject(f)['code'] === 200);
      ws.send({ action: 'sub', ch: 'orders#*' });
      await ws.next((f) => asObject(f)['ch'] === 'orders#*' && asObject(f)['code'] === 200);
      return ws;
    };

    it('userStreamDown drops logged-in account sockets and refuses new ones until restored', async () => {
      await expectStreamOutage({
        down: () => ctx.sim.userStreamDown(),
        subscribed,
        attempt: accountSocket,
      });
    });
  },
);
