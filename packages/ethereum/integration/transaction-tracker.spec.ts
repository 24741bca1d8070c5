// The transaction tracker on a real chain: a token transfer followed to its
// confirmation depth, a mined revert with its decoded reason, a replacement, a
// drop, and a reorg that takes a mined transaction back to `sent`.
import { parseUnits } from 'ethers';
import { toUnits, type TransactionState } from '../src/index.js';
import {
  account,
  startChainFixture,
  until,
  type Account,
  type ChainFixture,
} from '../test/helpers/chain-fixture.js';

describe('TransactionTracker on a local chain', () => {
  let f: ChainFixture;
  let me: Account;
  let clean: string;
  const OTHER = '0x1111111111111111111111111111111111111111';

  beforeAll(async () => {
    f = await startChainFixture();
    clean = await f.chain.snapshot();
  }, 60_000);
  beforeEach(() => {
    me = account(f, 1, { confirmations: 3, dropAfterMs: 0 });
  });
  afterEach(async () => {
    me.tracker.stop();
    await f.chain.setAutomine(true);
    await f.chain.revert(clean);
    clean = await f.chain.snapshot();
  });
  afterAll(async () => {
    await f?.stop();
  });

  it('a token transfer goes sent -> mined -> confirmed only after 3 blocks', async () => {
    await f.mint(me.wallet.address, toUnits(10, 18));
    await f.chain.setAutomine(false);
    const tx = await f.token.transfer(me.sender, OTHER, toUnits(4, 18));
    const states: [TransactionState, number][] = [];
    tx.status$.subscribe((s) => states.push([s.state, s.confirmations]));
    await me.tracker.poll();
    expect(tx.status.state).toBe('sent');
    await f.chain.mine();
    await me.tracker.poll();
    expect(tx.status).toMatchObject({ state: 'mined', confirmations: 1 });
    await f.chain.mine();
    await me.tracker.poll();
    expect(tx.status).toMatchObject({ state: 'mined', confirmations: 2 });
    await f.chain.mine();
    const done = await tx.wait('confirmed', 10_000);
    expect(done.confirmations).toBe(3);
    expect(states).toEqual([
      ['sent', 0],
      ['mined', 1],
      ['mined', 2],
      ['confirmed', 3],
    ]);
    expect(await f.token.balanceOf(OTHER)).toBe(toUnits(4, 18));
    expect(me.tracker.pending).toHaveLength(0);
  });

  it('a transaction that reverts when mined ends `reverted` with its decoded reason', async () => {
    // An explicit gas limit skips the simulation, so the failure happens on chain.
    const tx = await me.sender.send({
      to: f.token.address,
      data: f.token.interface.encodeFunctionData('transfer', [OTHER, toUnits(1, 18)]),
      gasLimit: 100_000n,
    });
    await expect(tx.wait('confirmed', 10_000)).rejects.toMatchObject({
      kind: 'reverted',
      reason: 'invalid_order',
      revert: { name: 'Error', args: ['ERC20_INSUFFICIENT_BALANCE'] },
    });
    expect(tx.status.state).toBe('reverted');
    expect(tx.status.receipt?.status).toBe(0);
    expect(tx.status.error?.message).toContain('ERC20_INSUFFICIENT_BALANCE');
  });

  it('the same revert is refused before sending when simulated (no gas, no nonce spent)', async () => {
    await expect(f.token.transfer(me.sender, OTHER, toUnits(1, 18))).rejects.toMatchObject({
      kind: 'reverted',
      revert: { args: ['ERC20_INSUFFICIENT_BALANCE'] },
    });
    expect(await f.chain.provider.getTransactionCount(me.wallet.address)).toBe(0);
  });

  it('a transaction outbid by another with its nonce ends `replaced`', async () => {
    await f.chain.setAutomine(false);
    const tx = await me.sender.send({ to: OTHER, value: 1n });
    const replacement = {
      to: OTHER,
      value: 2n,
      nonce: tx.status.nonce,
      gasLimit: 21_000n,
      chainId: f.chain.chainId,
      type: 2,
      maxFeePerGas: parseUnits('100', 'gwei'),
      maxPriorityFeePerGas: parseUnits('50', 'gwei'),
    };
    await f.chain.send('eth_sendRawTransaction', [await me.wallet.signTransaction(replacement)]);
    await f.chain.mine();
    await expect(tx.wait('confirmed', 10_000)).rejects.toMatchObject({ kind: 'replaced' });
  });

  it('a transaction the node forgets ends `dropped`', async () => {
    await f.chain.setAutomine(false);
    const tx = await me.sender.send({ to: OTHER, value: 1n });
    expect(await f.chain.dropTransaction(tx.hash)).toBe(true);
    await expect(tx.wait('mined', 10_000)).rejects.toMatchObject({ kind: 'dropped' });
  });

  it('a reorg that removes its block takes a mined transaction back to `sent`', async () => {
    const beforeFork = await f.chain.snapshot();
    const tx = await me.sender.send({ to: OTHER, value: 1n });
    await until('mined', async () => {
      await me.tracker.poll();
      return tx.status.state === 'mined';
    });
    const states: TransactionState[] = [];
    tx.status$.subscribe((s) => states.push(s.state));
    // Another fork wins: the block holding the transaction is gone.
    await f.chain.revert(beforeFork);
    await f.chain.setAutomine(false);
    await f.chain.mine(2);
    // The tracker saw it leave its block; with nothing in the mempool it is then dropped.
    await until('left its block', async () => {
      await me.tracker.poll();
      return states.includes('sent');
    });
    expect(states.slice(0, 2)).toEqual(['mined', 'sent']);
  });
});
