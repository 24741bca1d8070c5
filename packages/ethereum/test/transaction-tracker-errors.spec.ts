// A node that stops answering is not silent: each failed lookup of the tracker's
// pass reaches errors$ as a typed EthereumError, and the statuses stay as they were.
import type { Provider } from 'ethers';
import { EthereumError, TransactionTracker } from '../src/index.js';

describe('TransactionTracker errors$', () => {
  it('reports a node that cannot answer as a typed error and keeps the status', async () => {
    const provider = {
      getBlockNumber: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8545')),
    } as unknown as Provider;
    const tracker = new TransactionTracker(provider, { pollIntervalMs: 60_000 });
    const errors: EthereumError[] = [];
    const sub = tracker.errors$.subscribe((e) => errors.push(e));
    const tx = tracker.track({ hash: `0x${'ab'.repeat(32)}`, from: `0x${'01'.repeat(20)}`, nonce: 0 });
    await tracker.poll();
    tracker.stop();
    sub.unsubscribe();
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]).toBeInstanceOf(EthereumError);
    expect(tx.status.state).toBe('sent');
  });
});
