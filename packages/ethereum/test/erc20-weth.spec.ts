// ERC-20 and WETH on the local chain: approve, wrap, unwrap, balances by source.
import BigNumber from 'bignumber.js';
import { parseEther } from 'ethers';
import { fromUnits, toUnits } from '../src/index.js';
import { account, startChainFixture, type Account, type ChainFixture } from './helpers/chain-fixture.js';

describe('ERC-20 and WETH on a local chain', () => {
  let f: ChainFixture;
  let me: Account;
  let clean: string;
  const SPENDER = '0x95e6f48254609a6ee006f7d493c8e5fb97094cef';

  beforeAll(async () => {
    f = await startChainFixture();
    me = account(f, 1, { confirmations: 1 });
    clean = await f.chain.snapshot();
  }, 60_000);
  afterEach(async () => {
    me.tracker.stop();
    await f.chain.revert(clean);
    clean = await f.chain.snapshot();
    me = account(f, 1, { confirmations: 1 });
  });
  afterAll(async () => {
    me?.tracker.stop();
    await f?.stop();
  });

  it('approve sets the allowance; balances come back by source (wallet, allowance)', async () => {
    await f.mint(me.wallet.address, toUnits('250.5', 18));
    expect(await f.token.allowance(me.wallet.address, SPENDER)).toBe(0n);
    const tx = await f.token.approve(me.sender, SPENDER, toUnits(100, 18));
    const done = await tx.wait('confirmed', 10_000);
    expect(done.receipt?.status).toBe(1);
    expect(await f.token.allowance(me.wallet.address, SPENDER)).toBe(toUnits(100, 18));
    const updates = await f.token.balanceUpdates(me.wallet.address, SPENDER, 1);
    expect(updates.map((u) => [u.asset, u.source, u.total.toFixed()])).toEqual([
      ['ZRX', 'wallet', '250.5'],
      ['ZRX', 'allowance', '100'],
    ]);
    // Unlimited by default, as the 0x relayer connectors approve.
    await (await f.token.approve(me.sender, SPENDER)).wait('confirmed', 10_000);
    expect(await f.token.allowance(me.wallet.address, SPENDER)).toBe(2n ** 256n - 1n);
  });

  it('wraps ETH into WETH and unwraps it, paying gas in ETH', async () => {
    const ethBefore = await f.chain.provider.getBalance(me.wallet.address);
    const wrapped = await (await f.weth.wrap(me.sender, parseEther('1.5'))).wait('confirmed', 10_000);
    expect(await f.weth.balanceOf(me.wallet.address)).toBe(parseEther('1.5'));
    const gas1 = wrapped.receipt!.gasUsed * wrapped.receipt!.gasPrice;
    expect(await f.chain.provider.getBalance(me.wallet.address)).toBe(ethBefore - parseEther('1.5') - gas1);

    const unwrapped = await (await f.weth.unwrap(me.sender, parseEther('0.5'))).wait('confirmed', 10_000);
    const gas2 = unwrapped.receipt!.gasUsed * unwrapped.receipt!.gasPrice;
    expect(await f.weth.balanceOf(me.wallet.address)).toBe(parseEther('1'));
    expect(await f.chain.provider.getBalance(me.wallet.address)).toBe(
      ethBefore - parseEther('1') - gas1 - gas2,
    );
  });

  it('unwrapping more than the balance fails before sending, with the reason, and spends no nonce', async () => {
    await expect(f.weth.unwrap(me.sender, parseEther('1'))).rejects.toMatchObject({ kind: 'reverted' });
    const next = await (await f.weth.wrap(me.sender, 1n)).wait('mined', 10_000);
    // The refused call did not burn a nonce: the account's first transaction is nonce 0.
    expect(next.nonce).toBe(0);
  });

  it('converts base units exactly', () => {
    expect(toUnits('1.000000000000000001', 18)).toBe(10n ** 18n + 1n);
    expect(fromUnits(1234567n, 6).toFixed()).toBe('1.234567');
    expect(() => toUnits('0.0000001', 6)).toThrow(RangeError);
    expect(() => toUnits(new BigNumber(-1), 6)).toThrow(RangeError);
  });
});
