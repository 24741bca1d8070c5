import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileNonceStore, HbError, MemoryNonceStore, NonceSource } from '../../src/index.js';

describe('NonceSource', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hb-nonce-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hands out strictly increasing nonces per key under 50 concurrent callers, one at a time', async () => {
    const source = new NonceSource();
    let holding = 0;
    let maxHolding = 0;
    const order: bigint[] = [];
    const got = await Promise.all(
      Array.from({ length: 50 }, () =>
        source.withNonce('key', async (n) => {
          holding += 1;
          maxHolding = Math.max(maxHolding, holding);
          await new Promise((r) => setImmediate(r));
          order.push(n);
          holding -= 1;
          return n;
        }),
      ),
    );
    expect(new Set(got).size).toBe(50);
    expect(maxHolding).toBe(1);
    // Requests went out in nonce order.
    expect(order).toEqual([...order].sort((a, b) => (a < b ? -1 : 1)));
    expect(order[0]).toBe(0n);
    expect(order[49]).toBe(49n);
  });

  it('keys do not wait for one another', async () => {
    const source = new NonceSource();
    let release!: () => void;
    const blocked = source.withNonce('a', () => new Promise<void>((r) => (release = r)));
    await expect(source.next('b')).resolves.toBe(0n);
    release();
    await blocked;
  });

  it('never goes below the floor (a clock, or the chain pending count), nor below a nonce the venue reported', async () => {
    let floor = 1000n;
    const source = new NonceSource({ floor: () => floor });
    expect(await source.next('k')).toBe(1000n);
    expect(await source.next('k')).toBe(1001n);
    floor = 5000n;
    expect(await source.next('k')).toBe(5000n);
    await source.noteUsed('k', 7000n);
    expect(await source.next('k')).toBe(7001n);
  });

  it('continues above the last saved nonce after a restart (file store)', async () => {
    const path = join(dir, 'nonces.json');
    const first = new NonceSource({ store: new FileNonceStore(path) });
    await Promise.all(Array.from({ length: 10 }, () => first.next('0xabc')));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ '0xabc': '9' });
    const second = new NonceSource({ store: new FileNonceStore(path) });
    expect(await second.peekLast('0xabc')).toBe(9n);
    expect(await second.next('0xabc')).toBe(10n);
  });

  it('gives a nonce back only when the caller proves it was never used', async () => {
    const source = new NonceSource({ store: new MemoryNonceStore() });
    await expect(
      source.withNonce(
        'k',
        async () => {
          throw new Error('refused before broadcast');
        },
        { releaseOnError: () => true },
      ),
    ).rejects.toThrow('refused');
    expect(await source.next('k')).toBe(0n);
    await expect(
      source.withNonce('k', async () => {
        throw new Error('timeout: maybe sent');
      }),
    ).rejects.toThrow('timeout');
    expect(await source.next('k')).toBe(2n);
  });

  it('a corrupt nonce file is a typed error, not a reset to zero', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"k": -3}');
    await expect(new NonceSource({ store: new FileNonceStore(path) }).next('k')).rejects.toBeInstanceOf(
      HbError,
    );
  });
});
