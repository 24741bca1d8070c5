// The smallest exchange simulator SimulatorBase allows: one market, a REST route
// that places and cancels orders, and a WebSocket server whose sockets are either
// `/market` or `/user`. It exists to test the base (and shows how little a new
// simulator has to write).

import BigNumber from 'bignumber.js';
import { BalanceLedger } from '../../src/engine/balance-ledger.js';
import { FeeSchedule } from '../../src/engine/fee-schedule.js';
import { MatchingEngine } from '../../src/engine/matching-engine.js';
import { Router } from '../../src/server/router.js';
import type { WsConnection } from '../../src/server/ws-server.js';
import { SimulatorBase, fundSimAccount } from '../../src/simulator/simulator-base.js';
import type {
  SimAccountInput,
  SimulatorCommonOptions,
  SimVenue,
} from '../../src/simulator/simulator-types.js';

/** The toy's demo account. */
export const TOY_DEMO: SimAccountInput = {
  apiKey: 'toy-demo',
  apiSecret: 'toy-secret',
  balances: { BTC: '1', USD: '100000' },
};

/** A one-market simulator over SimulatorBase. */
export class ToySimulator extends SimulatorBase {
  protected readonly venue: SimVenue;
  /** What the refusal hooks were last told. */
  readonly refusing = { user: false, market: false };
  /** How often each drop knob ran. */
  readonly drops = { user: 0, market: 0 };
  /** Set when `onStop` ran. */
  stoppedHooks = 0;
  readonly keys = new Set<string>();
  private readonly fees = new FeeSchedule();

  private constructor(options: SimulatorCommonOptions<SimAccountInput>) {
    super({
      name: 'ToySimulator',
      clock: options.clock,
      errorBody: (status) => ({ toyError: status }),
      apiKeyHeader: 'x-toy-key',
      orderPaths: { place: '/order', cancel: /^\/order\/[^/]+$/ },
    });
    const ledger = new BalanceLedger();
    const engine = new MatchingEngine({
      pair: 'BTCUSD',
      baseAsset: 'BTC',
      quoteAsset: 'USD',
      ledger,
      fees: this.fees,
      clock: this.clock,
      amountStep: '0.001',
    });
    this.venue = {
      ledger,
      markets: [
        {
          pair: 'BTC-USD',
          id: 'BTCUSD',
          baseAsset: 'BTC',
          quoteAsset: 'USD',
          tickSize: '0.5',
          midPrice: '100',
          activityStepSize: '0.01',
          engine,
        },
      ],
      orderByClientId: (apiKey, id) => engine.getOrderByClientOrderId(apiKey, id),
    };
  }

  /** Starts it with a `/order` REST route (POST places, DELETE `/order/:clientOrderId` cancels). */
  static async start(options: SimulatorCommonOptions<SimAccountInput> = {}): Promise<ToySimulator> {
    const sim = new ToySimulator(options);
    const router = new Router()
      .post('/order', (req) => {
        const account = String(req.headers['x-toy-key']);
        const body = JSON.parse(req.body) as {
          side: 'buy' | 'sell';
          price: string;
          amount: string;
          id: string;
        };
        const order = sim.engine('BTC-USD').place({
          account,
          side: body.side,
          type: 'limit',
          price: body.price,
          amount: body.amount,
          clientOrderId: body.id,
        });
        return { status: 200, body: { orderId: order.orderId, status: order.status } };
      })
      .delete('/order/:id', (req) => {
        const account = String(req.headers['x-toy-key']);
        const order = sim.engine('BTC-USD').cancelByClientOrderId(account, req.params['id'] ?? '');
        return { status: order === undefined ? 404 : 200, body: { status: order?.status ?? 'unknown' } };
      });
    await sim.listen(router, (conn: WsConnection) => {
      if (conn.path === '/user' && sim.refusing.user) conn.terminate();
      else if (conn.path === '/market' && sim.refusing.market) conn.terminate();
      else conn.streams.add(conn.path === '/user' ? 'user' : 'market:BTC-USD');
    });
    sim.createStartAccounts(options, TOY_DEMO);
    return sim;
  }

  createAccount(input: SimAccountInput): { apiKey: string } {
    this.keys.add(input.apiKey);
    fundSimAccount(this.ledger, this.fees, input);
    return { apiKey: input.apiKey };
  }

  /** The toy account's fee rates (to see what `fundSimAccount` set). */
  makerFee(apiKey: string): BigNumber {
    return this.fees.get(apiKey).maker;
  }

  flush(): void {
    // Frames leave at once: nothing is batched.
  }

  dropMarketSockets(): void {
    this.drops.market += 1;
    this.faults.dropSocket({ stream: /^market:/ });
  }

  dropUserSockets(): void {
    this.drops.user += 1;
    this.faults.dropSocket({ stream: 'user' });
  }

  protected refuseUserStreams(on: boolean): void {
    this.refusing.user = on;
  }

  protected refuseMarketStreams(on: boolean): void {
    this.refusing.market = on;
  }

  protected override onStop(): void {
    this.stoppedHooks += 1;
  }
}
