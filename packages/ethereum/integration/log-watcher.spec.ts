// Confirmed events on a real chain: a Transfer is emitted once, and only when
// its block is deep enough; one from a block a reorg removed is never emitted.
import { firstValueFrom, filter as where } from 'rxjs';
import { id, zeroPadValue, type Log } from 'ethers';
import { LogWatcher, toUnits, type LogWatcherNotice } from '../src/index.js';
import { account, startChainFixture, until, type ChainFixture } from '../test/helpers/chain-fixture.js';

describe('LogWatcher on a local chain', () => {
  let f: ChainFixture;
  let clean: string;
  const TO = '0x3333333333333333333333333333333333333333';
  const TRANSFER = id('Transfer(address,address,uint256)');

  beforeAll(async () => {
    f = await startChainFixture();
    clean = await f.chain.snapshot();
  }, 60_000);
  afterEach(async () => {
    await f.chain.revert(clean);
    clean = await f.chain.snapshot();
  });
  afterAll(async () => {
    await f?.stop();
  });

  /** Waits until the watcher has finished a pass that saw at least `head`. */
  function polledThrough(watcher: LogWatcher, head: number): Promise<LogWatcherNotice> {
    return firstValueFrom(watcher.notices$.pipe(where((n) => n.kind === 'polled' && n.head >= head)));
  }

  it('an event is seen once, and only after 3 confirmations', async () => {
    const me = account(f, 6, { confirmations: 1 });
    await f.mint(me.wallet.address, toUnits(5, 18));
    const watcher = new LogWatcher(f.chain.provider, { confirmations: 3, pollIntervalMs: 5 });
    const seen: Log[] = [];
    const sub = watcher
      .watch({ address: f.token.address, topics: [TRANSFER, null, zeroPadValue(TO, 32)] })
      .subscribe((l) => seen.push(l));
    await polledThrough(watcher, await f.chain.provider.getBlockNumber());

    const tx = await f.token.transfer(me.sender, TO, toUnits(1, 18));
    const mined = await tx.wait('mined', 10_000);
    const block = mined.blockNumber!;
    await polledThrough(watcher, block);
    expect(seen).toHaveLength(0); // 1 confirmation
    await f.chain.mine();
    await polledThrough(watcher, block + 1);
    expect(seen).toHaveLength(0); // 2 confirmations
    await f.chain.mine();
    await until('seen', () => seen.length > 0);
    expect(seen[0]!.transactionHash).toBe(tx.hash);
    expect(seen[0]!.blockNumber).toBe(block);
    await f.chain.mine(5);
    await polledThrough(watcher, block + 7);
    expect(seen).toHaveLength(1);
    sub.unsubscribe();
    me.tracker.stop();
  });

  it('an event in a block that a reorg removed before its depth is never emitted', async () => {
    const me = account(f, 7, { confirmations: 1 });
    await f.mint(me.wallet.address, toUnits(5, 18));
    const watcher = new LogWatcher(f.chain.provider, { confirmations: 3, pollIntervalMs: 5 });
    const seen: Log[] = [];
    const sub = watcher
      .watch({ address: f.token.address, topics: [TRANSFER] })
      .subscribe((l) => seen.push(l));
    await polledThrough(watcher, await f.chain.provider.getBlockNumber());
    const fork = await f.chain.snapshot();
    const tx = await f.token.transfer(me.sender, TO, toUnits(1, 18));
    const block = (await tx.wait('mined', 10_000)).blockNumber!;
    await f.chain.mine();
    await polledThrough(watcher, block + 1);
    // The other fork wins: same heights, no transfer.
    await f.chain.revert(fork);
    await f.chain.mine(6);
    await polledThrough(watcher, block + 5);
    expect(seen).toHaveLength(0);
    sub.unsubscribe();
    me.tracker.stop();
  });
});
