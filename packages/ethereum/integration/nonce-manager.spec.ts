// Nonces on a real chain: 50 concurrent sends get 50 distinct, consecutive
// nonces and all are mined; a restart continues from the saved nonce; a nonce
// used by another tool is skipped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileNonceStore } from '@hb/core';
import { account, startChainFixture, type ChainFixture } from '../test/helpers/chain-fixture.js';

describe('NonceManager on a local chain', () => {
  let f: ChainFixture;
  let dir: string;
  let clean: string;
  const OTHER = '0x2222222222222222222222222222222222222222';

  beforeAll(async () => {
    f = await startChainFixture();
    clean = await f.chain.snapshot();
  }, 60_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hb-eth-nonce-'));
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await f.chain.setAutomine(true);
    await f.chain.revert(clean);
    clean = await f.chain.snapshot();
  });
  afterAll(async () => {
    await f?.stop();
  });

  it('50 concurrent sends: no duplicate nonce, none skipped, all mined', async () => {
    const me = account(f, 3, { store: new FileNonceStore(join(dir, 'nonces.json')), confirmations: 1 });
    const sends = await Promise.all(
      Array.from({ length: 50 }, (_, i) => me.sender.send({ to: OTHER, value: BigInt(i + 1) })),
    );
    const nonces = sends.map((t) => t.status.nonce).sort((a, b) => a - b);
    expect(nonces).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const mined = await Promise.all(sends.map((t) => t.wait('confirmed', 20_000)));
    expect(mined.every((s) => s.receipt?.status === 1)).toBe(true);
    expect(await f.chain.provider.getTransactionCount(me.wallet.address)).toBe(50);
    expect(await f.chain.provider.getBalance(OTHER)).toBe(BigInt((50 * 51) / 2));
    me.tracker.stop();
  });

  it('after a restart the saved nonce is continued, even with the node not yet showing it', async () => {
    const path = join(dir, 'nonces.json');
    const first = account(f, 4, { store: new FileNonceStore(path), confirmations: 1 });
    await f.chain.setAutomine(false);
    const a = await first.sender.send({ to: OTHER, value: 1n });
    const b = await first.sender.send({ to: OTHER, value: 2n });
    expect([a.status.nonce, b.status.nonce]).toEqual([0, 1]);
    first.tracker.stop();
    // "Restart": new objects, same file. The node forgot the pending pair (as a
    // node restart would), so only the saved nonce prevents reuse.
    await f.chain.dropTransaction(a.hash);
    await f.chain.dropTransaction(b.hash);
    expect(await f.chain.provider.getTransactionCount(first.wallet.address, 'pending')).toBe(0);
    const second = account(f, 4, { store: new FileNonceStore(path), confirmations: 1 });
    expect(await second.nonces.lastNonce(second.wallet.address)).toBe(1);
    await second.nonces.withNonce(second.wallet.address, async (n) => expect(n).toBe(2));
    second.tracker.stop();
  });

  it('a nonce another tool used is skipped (pending count is the floor; "nonce too low" is retried above it)', async () => {
    const me = account(f, 5, { confirmations: 1 });
    // Another tool sends two transactions from the same account.
    const outside = await f.chain.signer(5);
    await (await outside.sendTransaction({ to: OTHER, value: 1n })).wait();
    await (await outside.sendTransaction({ to: OTHER, value: 1n })).wait();
    const tx = await me.sender.send({ to: OTHER, value: 1n });
    expect(tx.status.nonce).toBe(2);
    await tx.wait('confirmed', 10_000);
    me.tracker.stop();
  });
});
