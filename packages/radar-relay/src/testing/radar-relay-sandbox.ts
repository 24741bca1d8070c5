// The sandbox `hb --sandbox` / `hb demo` and the connector's integration tests
// start: a local chain with the real 0x v3 Exchange, WETH, DAI and ZRX, the
// Radar simulator on 127.0.0.1, its simulated makers and takers, and one funded
// user account. The endpoints are core's `Sandbox` shape (REST, WS, RPC URL,
// chain id); the user's key is the `privateKey` credential.
import type { Sandbox, SandboxOptions } from '@hb/core';
import BigNumber from 'bignumber.js';
import { Wallet } from 'ethers';
import { RADAR_SIM_ACCOUNTS } from './radar-relay-sim-chain.js';
import type { RadarSimActivity, RadarSimActivityOptions } from './radar-relay-sim-traders.js';
import { RadarRelaySimulator, unitsOf, type RadarRelaySimulatorOptions } from './radar-relay-simulator.js';

/** Options of {@link startSandbox}. */
export interface RadarRelaySandboxOptions extends SandboxOptions {
  /** The user's key (`credentials.privateKey`); default test account 1 of the test mnemonic. */
  readonly credentials?: SandboxOptions['credentials'];
  /** User balances in human units by token symbol; default 100 WETH, 100 000 DAI, 100 000 ZRX (and 100 ETH for gas). */
  readonly balances?: Readonly<Record<string, string>>;
  /** ETH for gas and protocol fees, human units. Default 100. */
  readonly eth?: string;
  /**
   * Approve the ERC20Proxy for the user's tokens up front. Default false: the
   * connector checks allowances and approves (with the user's consent) itself.
   */
  readonly approve?: boolean;
  /** Simulated maker orders posted before anyone connects, so the first book has depth. Default 30. */
  readonly warmupOrders?: number;
  /** Simulator options (rate limits, poll interval, markets...). */
  readonly simulator?: Omit<RadarRelaySimulatorOptions, 'traders'>;
  /** Options of the synthetic activity. */
  readonly activity?: RadarSimActivityOptions;
}

/** A running Radar sandbox: core's `Sandbox` plus the simulator and the user's account. */
export interface RadarRelaySandbox extends Sandbox {
  readonly endpoints: {
    readonly restUrl: string;
    readonly wsUrl: string;
    readonly rpcUrl: string;
    readonly chainId: number;
  };
  readonly credentials: { readonly privateKey: string; readonly rpcUrl: string };
  /** The user's address (lower case). */
  readonly address: string;
  readonly simulator: RadarRelaySimulator;
  /** The synthetic activity (started by `startActivity`). */
  readonly activity: RadarSimActivity;
}

/**
 * Starts the sandbox: chain, contracts, simulator, traders, a funded user and a
 * warmed-up book (`warmupOrders` maker orders on each side, no fills).
 */
export async function startSandbox(options: RadarRelaySandboxOptions = {}): Promise<RadarRelaySandbox> {
  const sim = await RadarRelaySimulator.start({ ...(options.simulator ?? {}) });
  try {
    const privateKey = options.credentials?.privateKey ?? sim.account(RADAR_SIM_ACCOUNTS.demo).privateKey;
    const address = new Wallet(privateKey).address.toLowerCase();
    const tokens: Record<string, bigint> = {};
    const balances = options.balances ?? { WETH: '100', DAI: '100000', ZRX: '100000' };
    for (const [symbol, amount] of Object.entries(balances)) {
      const t = sim.token(symbol);
      tokens[symbol] = unitsOf(t, amount);
    }
    await sim.fundAccount(
      { address, privateKey },
      {
        ethWei: BigInt(
          new BigNumber(options.eth ?? '100').shiftedBy(18).integerValue(BigNumber.ROUND_DOWN).toFixed(),
        ),
        tokens,
        approve: options.approve === true,
      },
    );
    // Warm-up only posts: the first book has depth and no trade has happened yet.
    const warm = sim.activity(options.seed ?? 1, {
      ...(options.activity ?? {}),
      weights: { post: 1, take: 0, cancel: 0 },
    });
    await warm.step(options.warmupOrders ?? 30);
    const run = sim.activity((options.seed ?? 1) + 1, options.activity ?? {});
    return {
      endpoints: { restUrl: sim.restUrl, wsUrl: sim.wsUrl, rpcUrl: sim.rpcUrl, chainId: sim.chainId },
      credentials: { privateKey, rpcUrl: sim.rpcUrl },
      address,
      tradingPairs: sim.tradingPairs,
      simulator: sim,
      activity: run,
      startActivity: (intervalMs = 500) => run.run(intervalMs),
      stopActivity: () => void run.stop(),
      stop: () => sim.stop(),
    };
  } catch (e) {
    await sim.stop();
    throw e;
  }
}
