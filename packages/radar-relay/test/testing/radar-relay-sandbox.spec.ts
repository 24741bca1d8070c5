// The sandbox the CLI and the connector's integration tests start: endpoints a
// connector can be built from (REST, WS, JSON-RPC URL, chain id), a funded user
// who has not approved anything yet, a warmed-up book, and activity that trades
// on chain.
import { Contract, JsonRpcProvider } from 'ethers';
import { asArray, asObject, httpGet } from '@hb/testing';
import { startSandbox, type RadarRelaySandbox } from '../../src/testing/index.js';

const E18 = 10n ** 18n;

describe('radar-relay startSandbox', () => {
  let sandbox: RadarRelaySandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 3, warmupOrders: 12, simulator: { rateLimits: false } });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('hands out core Sandbox endpoints and the user key, and lists the markets', async () => {
    const { endpoints, credentials, simulator } = sandbox;
    expect(endpoints).toEqual({
      restUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      wsUrl: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+$/),
      rpcUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      chainId: simulator.chainId,
    });
    expect(credentials.privateKey).toMatch(/^0x[0-9a-f]{64}$/);
    expect(credentials.rpcUrl).toBe(endpoints.rpcUrl);
    expect(sandbox.tradingPairs).toEqual(['WETH-DAI', 'ZRX-WETH', 'ZRX-DAI']);
    const open = simulator.store.open();
    expect(open.length).toBe(12);
    let listed = 0;
    for (const pair of sandbox.tradingPairs) {
      const book = asObject((await httpGet(endpoints.restUrl, `/v3/markets/${pair}/book`)).body);
      listed += asArray(book['bids']).length + asArray(book['asks']).length;
    }
    expect(listed).toBe(12);
  });

  it('funds the user (ETH, WETH, DAI, ZRX) without approving the ERC20Proxy, seen through the RPC URL', async () => {
    const provider = new JsonRpcProvider(sandbox.endpoints.rpcUrl, sandbox.endpoints.chainId, {
      staticNetwork: true,
    });
    try {
      const sim = sandbox.simulator;
      const erc20 = (symbol: string) =>
        new Contract(sim.token(symbol).address, sim.token(symbol).contract.interface, provider);
      expect(await provider.getBalance(sandbox.address)).toBe(100n * E18);
      expect(await erc20('WETH').getFunction('balanceOf')(sandbox.address)).toBe(100n * E18);
      expect(await erc20('DAI').getFunction('balanceOf')(sandbox.address)).toBe(100_000n * E18);
      expect(await erc20('ZRX').getFunction('balanceOf')(sandbox.address)).toBe(100_000n * E18);
      expect(await erc20('DAI').getFunction('allowance')(sandbox.address, sim.erc20ProxyAddress)).toBe(0n);
    } finally {
      provider.destroy();
    }
  });

  it('activity posts, takes on chain and cancels on chain, deterministically per seed, without errors', async () => {
    const sim = sandbox.simulator;
    const before = sim.fills().length;
    await sandbox.activity.step(30);
    const { post, take, cancel } = sandbox.activity.counts;
    expect(post + take + cancel).toBe(30);
    expect(take).toBeGreaterThan(0);
    expect(cancel).toBeGreaterThan(0);
    expect(sim.fills().length).toBeGreaterThan(before);
    expect(sim.store.all().some((o) => o.state === 'CANCELLED')).toBe(true);
    expect(sandbox.activity.errors).toEqual([]);
    expect(sim.watcherErrors).toEqual([]);
    // The book the REST API serves sums to the truth accessor's levels.
    const truth = sim.trueBook('WETH-DAI');
    const book = asObject((await httpGet(sandbox.endpoints.restUrl, '/v3/markets/WETH-DAI/book')).body);
    const bidTotal = asArray(book['bids']).reduce((a, o) => a + Number(o['remainingBaseTokenAmount']), 0);
    expect(bidTotal).toBeCloseTo(
      truth.bids.reduce((a, [, v]) => a + v, 0),
      9,
    );
  }, 60_000);

  it('runs activity in the background until stopped', async () => {
    const sim = sandbox.simulator;
    const n = sandbox.activity.counts.post + sandbox.activity.counts.take + sandbox.activity.counts.cancel;
    sandbox.startActivity(20);
    const deadline = Date.now() + 20_000;
    while (
      sandbox.activity.counts.post + sandbox.activity.counts.take + sandbox.activity.counts.cancel <
      n + 5
    ) {
      if (Date.now() > deadline) throw new Error('activity did not run');
      await new Promise((r) => setTimeout(r, 20));
    }
    sandbox.stopActivity();
    await sandbox.activity.stop();
    expect(sandbox.activity.errors).toEqual([]);
    // Many blocks a second share timestamps: the chain's clock stays with the wall clock.
    const latest = await sim.chain.latestTimestamp();
    expect(Math.abs(latest - Date.now() / 1000)).toBeLessThan(5);
    expect(sim.watcherErrors).toEqual([]);
  }, 30_000);
});
