// ZeroExExchange against the real v3 and v2.1 Exchanges on the local chain:
// fills (single, batch, market), cancels, the v3 protocol fee read from the
// contract, events decoded from the receipts, and typed errors for orders the
// Exchange would refuse (found by simulation, before any gas is spent).
import { EthereumWallet } from '@hb/ethereum';
import {
  ActiveOrderTracker,
  ZeroExExchange,
  decodeCancelEvent,
  decodeFillEvent,
  hashOrder,
  isFillAmountAcceptable,
  makerAssetFilledFor,
  signOrder,
  type SignedZeroExOrder,
  type ZeroExOrder,
  type ZeroExVersion,
} from '../src/index.js';
import { account, startZeroExChain, type Account, type ZeroExChain } from './helpers/chain-fixture.js';

const E18 = 10n ** 18n;

describe('ZeroExExchange on the local chain', () => {
  let f: ZeroExChain;
  let clean: string;
  let taker: Account;
  let maker: Account;

  beforeAll(async () => {
    f = await startZeroExChain();
    clean = await f.chain.snapshot();
  }, 60_000);
  beforeEach(() => {
    taker = account(f, f.taker);
    maker = account(f, f.maker);
  });
  afterEach(async () => {
    taker.tracker.stop();
    maker.tracker.stop();
    await f.chain.revert(clean);
    clean = await f.chain.snapshot();
  });
  afterAll(async () => {
    await f?.stop();
  });

  const exchange = (version: ZeroExVersion, who: Account = taker) =>
    new ZeroExExchange({
      version,
      address: f.deployment(version).exchangeAddress,
      provider: f.chain.provider,
      sender: who.sender,
    });
  const signed = async (
    version: ZeroExVersion,
    patch: Partial<ZeroExOrder> = {},
    scheme: 'eip712' | 'ethSign' = 'eip712',
  ) => signOrder(await f.order(version, patch), f.maker, { version, scheme });
  const balance = async (token: 'zrx' | 'weth', who: string): Promise<bigint> =>
    f[token].getFunction('balanceOf')(who);
  const nonceOf = (who: EthereumWallet) => f.chain.provider.getTransactionCount(who.address, 'pending');

  it('v3: a partial fill pays the protocol fee (multiplier read from the contract), moves the tokens, decodes the Fill', async () => {
    const owner = await f.chain.signer(0);
    const collector = f.chain.account(9).address;
    await (await f.v3.exchange.connect(owner).getFunction('setProtocolFeeMultiplier')(150_000n)).wait();
    await (
      await f.v3.exchange.connect(owner).getFunction('setProtocolFeeCollectorAddress')(collector)
    ).wait();
    const x = exchange('v3');
    expect(await x.protocolFeeMultiplier()).toBe(150_000n);
    expect(await x.protocolFee(10n ** 9n, 3)).toBe(3n * 150_000n * 10n ** 9n);

    const order = await signed('v3');
    const hash = hashOrder(order, 'v3');
    const [takerEth, collectorEth, takerZrx, makerWeth] = await Promise.all([
      f.chain.provider.getBalance(f.taker.address),
      f.chain.provider.getBalance(collector),
      balance('zrx', f.taker.address),
      balance('weth', f.maker.address),
    ]);
    const tx = await x.fillOrder(order, 4n * 10n ** 16n); // 0.04 WETH of 0.1
    const out = await x.outcome(tx);
    expect(out.fills).toHaveLength(1);
    const fill = out.fills[0]!;
    expect(fill).toMatchObject({
      type: 'fill',
      version: 'v3',
      orderHash: hash,
      makerAddress: f.maker.address,
      takerAddress: f.taker.address,
      makerAssetFilledAmount: 40n * E18,
      takerAssetFilledAmount: 4n * 10n ** 16n,
      makerFeePaid: 0n,
      takerFeePaid: 0n,
      makerAssetData: order.makerAssetData,
      takerAssetData: order.takerAssetData,
      transactionHash: tx.hash,
    });
    // The fee is the multiplier × the price the transaction actually paid; the rest of the value came back.
    expect(fill.protocolFeePaid).toBe(150_000n * out.receipt.gasPrice);
    expect(out.protocolFeePaid).toBe(fill.protocolFeePaid);
    expect(await f.chain.provider.getBalance(collector)).toBe(collectorEth + fill.protocolFeePaid);
    expect(await f.chain.provider.getBalance(f.taker.address)).toBe(
      takerEth - out.gasFee - fill.protocolFeePaid,
    );
    expect(await balance('zrx', f.taker.address)).toBe(takerZrx + 40n * E18);
    expect(await balance('weth', f.maker.address)).toBe(makerWeth + 4n * 10n ** 16n);
    // The log decodes on its own too, and other logs are not fills.
    expect(decodeFillEvent(out.receipt.logs.find((l) => decodeFillEvent(l))!)).toEqual(fill);
    expect(decodeCancelEvent(out.receipt.logs.find((l) => decodeFillEvent(l))!)).toBeUndefined();

    const info = await x.getOrderInfo(order);
    expect(info).toEqual({
      orderStatus: 3,
      orderStatusName: 'FILLABLE',
      orderHash: hash,
      orderTakerAssetFilledAmount: 4n * 10n ** 16n,
    });
    expect(await x.filled(hash)).toBe(4n * 10n ** 16n);
  });

  it('v3: no fee collector, no protocol fee', async () => {
    const x = exchange('v3');
    expect(await x.protocolFee(10n ** 9n, 1)).toBe(0n);
    const out = await x.outcome(await x.fillOrder(await signed('v3'), 10n ** 16n));
    expect(out.fills[0]!.protocolFeePaid).toBe(0n);
  });

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: maker and taker fees are paid to the fee recipient (v3: in the fee asset, v2: in ZRX)',
    async (version) => {
      const recipient = f.chain.account(8).address;
      // v3: the taker pays 0.001 WETH; v2: the maker pays 1 ZRX (the Exchange's fee token).
      const patch: Partial<ZeroExOrder> =
        version === 'v3'
          ? {
              feeRecipientAddress: recipient,
              takerFee: 10n ** 15n,
              takerFeeAssetData: (await f.order('v3')).takerAssetData,
            }
          : { feeRecipientAddress: recipient, makerFee: E18 };
      const order = await signed(version, patch);
      const x = exchange(version);
      const out = await x.outcome(await x.fillOrder(order, 10n ** 17n));
      const fill = out.fills[0]!;
      if (version === 'v3') {
        expect([fill.takerFeePaid, fill.makerFeePaid, fill.takerFeeAssetData]).toEqual([
          10n ** 15n,
          0n,
          order.takerFeeAssetData,
        ]);
        expect(await balance('weth', recipient)).toBe(10n ** 15n);
      } else {
        expect([fill.makerFeePaid, fill.takerFeePaid, fill.makerFeeAssetData]).toEqual([E18, 0n, '0x']);
        expect(await balance('zrx', recipient)).toBe(E18);
      }
      expect(fill.feeRecipientAddress).toBe(recipient);
    },
  );

  it('v3: the active order tracker follows fills and cancels decoded from real events', async () => {
    const [a, b] = await Promise.all([signed('v3'), signed('v3')]);
    const tracker = new ActiveOrderTracker(
      {
        baseAssetData: a.makerAssetData,
        quoteAssetData: a.takerAssetData,
        baseDecimals: 18,
        quoteDecimals: 18,
      },
      { version: 'v3' },
    );
    tracker.snapshot([{ order: a }, { order: b }]);
    expect(tracker.levels().asks.map((l) => [l.price.toFixed(), l.amount.toFixed()])).toEqual([
      ['0.001', '200'],
    ]);
    const filled = await exchange('v3').outcome(await exchange('v3').fillOrder(a, 4n * 10n ** 16n));
    for (const e of filled.fills) tracker.applyFill(e);
    const cancelled = await exchange('v3', maker).outcome(await exchange('v3', maker).cancelOrder(b));
    for (const e of cancelled.cancels) tracker.cancel(e.orderHash);
    expect(tracker.levels().asks.map((l) => [l.amount.toFixed(), l.orderHashes])).toEqual([
      ['60', [hashOrder(a, 'v3')]],
    ]);
    // The tracker agrees with the contract.
    const info = await exchange('v3').getOrderInfo(a);
    expect(tracker.get(info.orderHash)!.remainingTakerAssetAmount).toBe(
      a.takerAssetAmount - info.orderTakerAssetFilledAmount,
    );
  });

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: cancel decodes the Cancel event; a later fill is order_cancelled, before any gas',
    async (version) => {
      const order = await signed(version, {}, 'ethSign');
      const out = await exchange(version, maker).outcome(await exchange(version, maker).cancelOrder(order));
      expect(out.cancels).toEqual([
        expect.objectContaining({
          type: 'cancel',
          version,
          orderHash: hashOrder(order, version),
          makerAddress: f.maker.address,
          makerAssetData: order.makerAssetData,
          takerAssetData: order.takerAssetData,
        }),
      ]);
      expect(await exchange(version).cancelled(hashOrder(order, version))).toBe(true);
      expect((await exchange(version).getOrderInfo(order)).orderStatusName).toBe('CANCELLED');
      const before = await nonceOf(f.taker);
      await expect(exchange(version).fillOrder(order, 10n ** 16n)).rejects.toMatchObject({
        name: 'ZeroExError',
        kind: 'order_cancelled',
        reason: 'invalid_order',
        orderHash: hashOrder(order, version),
      });
      expect(await nonceOf(f.taker)).toBe(before);
    },
  );

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: a full fill, then order_filled; expiry gives order_expired',
    async (version) => {
      const x = exchange(version);
      const order = await signed(version);
      const out = await x.outcome(await x.fillOrder(order, 10n ** 17n));
      expect(out.fills[0]).toMatchObject({
        version,
        makerAssetFilledAmount: 100n * E18,
        protocolFeePaid: 0n,
      });
      expect((await x.getOrderInfo(order)).orderStatusName).toBe('FULLY_FILLED');
      await expect(x.fillOrder(order, 1n)).rejects.toMatchObject({ kind: 'order_filled' });

      const later = await signed(version);
      await f.chain.increaseTime(7200);
      await f.chain.mine();
      await expect(x.fillOrder(later, 10n ** 16n)).rejects.toMatchObject({ kind: 'order_expired' });
    },
  );

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: unfunded maker and missing taker allowance are told apart',
    async (version) => {
      // Account 3 approved the proxy but holds no ZRX.
      const poor = new EthereumWallet(f.chain.account(3).privateKey);
      const poorSigner = await f.chain.signer(3);
      await (
        await f.zrx.connect(poorSigner).getFunction('approve')(
          f.deployment(version).erc20ProxyAddress,
          2n ** 256n - 1n,
        )
      ).wait();
      const unfunded = await signOrder(await f.order(version, { makerAddress: poor.address }), poor, {
        version,
        scheme: 'eip712',
      });
      await expect(exchange(version).fillOrder(unfunded, 10n ** 16n)).rejects.toMatchObject({
        kind: 'unfunded',
        reason: 'insufficient_funds',
        party: 'maker',
        token: f.zrxAddress,
      });
      // Account 4 holds WETH but approved nothing.
      const lazy = account(f, new EthereumWallet(f.chain.account(4).privateKey));
      await (await f.weth.connect(await f.chain.signer(4)).getFunction('deposit')({ value: E18 })).wait();
      const x = new ZeroExExchange({
        version,
        address: f.deployment(version).exchangeAddress,
        provider: f.chain.provider,
        sender: lazy.sender,
      });
      await expect(x.fillOrder(await signed(version), 10n ** 16n)).rejects.toMatchObject({
        kind: 'allowance_missing',
        party: 'taker',
        token: f.wethAddress,
      });
      lazy.tracker.stop();
    },
  );

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: batch fill, market sell, market buy (fill-or-kill), batch cancel',
    async (version) => {
      const x = exchange(version);
      const [a, b, c, d] = await Promise.all([
        signed(version),
        signed(version),
        signed(version),
        signed(version),
      ]);
      const batch = await x.outcome(await x.batchFillOrders([a, b], [10n ** 16n, 2n * 10n ** 16n]));
      expect(batch.fills.map((e) => [e.orderHash, e.takerAssetFilledAmount])).toEqual([
        [hashOrder(a, version), 10n ** 16n],
        [hashOrder(b, version), 2n * 10n ** 16n],
      ]);
      // Sell 0.15 WETH across c (0.1) and d: c fills fully, d by 0.05.
      const sell = await x.outcome(await x.marketSellOrders([c, d], 15n * 10n ** 16n));
      expect(sell.fills.map((e) => e.takerAssetFilledAmount)).toEqual([10n ** 17n, 5n * 10n ** 16n]);
      // Buy 50 ZRX more: d has 50 left.
      const buy = await x.outcome(await x.marketBuyOrdersFillOrKill([d], 50n * E18));
      expect(buy.fills.map((e) => [e.orderHash, e.makerAssetFilledAmount])).toEqual([
        [hashOrder(d, version), 50n * E18],
      ]);
      // a has 0.09 left, b 0.08: selling 1 WETH cannot complete.
      await expect(x.marketSellOrdersFillOrKill([a, b], E18)).rejects.toMatchObject({
        kind: 'incomplete_fill',
      });
      const cancels = await exchange(version, maker).outcome(
        await exchange(version, maker).batchCancelOrders([a, b]),
      );
      expect(cancels.cancels.map((e) => e.orderHash)).toEqual([hashOrder(a, version), hashOrder(b, version)]);
    },
  );

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: cancelOrdersUpTo(t) cancels every order with salt <= t (the epoch becomes t + 1)',
    async (version) => {
      const order = await signed(version, { salt: 1000n });
      const out = await exchange(version, maker).outcome(
        await exchange(version, maker).cancelOrdersUpTo(1000n),
      );
      expect(out.cancelUpTos).toEqual([
        expect.objectContaining({ type: 'cancelUpTo', makerAddress: f.maker.address, orderEpoch: 1001n }),
      ]);
      expect(await exchange(version).orderEpoch(f.maker.address)).toBe(1001n);
      expect((await exchange(version).getOrderInfo(order)).orderStatusName).toBe('CANCELLED');
      await expect(exchange(version).fillOrder(order, 1n)).rejects.toMatchObject({ kind: 'order_cancelled' });
    },
  );

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: isValidSignature asks the contract; forged and illegal signatures are false',
    async (version) => {
      const x = exchange(version);
      const order = await signed(version, {}, 'ethSign');
      expect(await x.isValidSignature(order)).toBe(true);
      const forged: SignedZeroExOrder = { ...order, makerAddress: f.taker.address };
      expect(await x.isValidSignature(forged)).toBe(false);
      expect(await x.isValidSignature({ ...order, signature: '0x00' })).toBe(false);
      await expect(x.fillOrder(forged, 1n)).rejects.toMatchObject({ kind: 'invalid_signature' });
    },
  );

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: the rounding rule agrees with the Exchange: a refused amount is invalid_fill_amount',
    async (version) => {
      const x = exchange(version);
      const order = await signed(version, { makerAssetAmount: 3n, takerAssetAmount: 7n });
      expect(isFillAmountAcceptable(order, 1n)).toBe(false);
      await expect(x.fillOrder(order, 1n)).rejects.toMatchObject({ kind: 'invalid_fill_amount' });
      expect(isFillAmountAcceptable(order, 7n)).toBe(true);
      const out = await x.outcome(await x.fillOrder(order, 7n));
      expect(out.fills[0]!.makerAssetFilledAmount).toBe(makerAssetFilledFor(order, 7n));
    },
  );

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: a taker fee the taker cannot pay is unfunded, naming the fee token',
    async (version) => {
      // v3: a 1 ZRX taker fee in ZRX (the taker holds none); v2: fees are ZRX anyway.
      const patch: Partial<ZeroExOrder> = {
        feeRecipientAddress: f.chain.account(8).address,
        takerFee: E18,
        ...(version === 'v3' ? { takerFeeAssetData: (await f.order('v3')).makerAssetData } : {}),
      };
      await expect(
        exchange(version).fillOrder(await signed(version, patch), 10n ** 16n),
      ).rejects.toMatchObject({
        kind: 'unfunded',
        party: 'taker',
        token: f.zrxAddress,
      });
    },
  );

  it('refuses an order of another Exchange, and sending without a sender', async () => {
    const order = await signed('v2');
    await expect(exchange('v3').fillOrder(order, 1n)).rejects.toThrow(/is for Exchange/);
    const readOnly = new ZeroExExchange({
      version: 'v3',
      address: f.v3.exchangeAddress,
      provider: f.chain.provider,
    });
    await expect(readOnly.cancelOrder(await signed('v3'))).rejects.toMatchObject({ kind: 'not_supported' });
    expect(await readOnly.erc20ProxyAddress()).toBe(f.v3.erc20ProxyAddress);
  });
});

describe('ZeroExExchange: a fill that reverts once mined', () => {
  let f: ZeroExChain;

  beforeAll(async () => {
    f = await startZeroExChain();
  }, 60_000);
  afterAll(async () => {
    await f?.stop();
  });

  it.each(['v3', 'v2'] as ZeroExVersion[])(
    '%s: two full fills in one block: the second reverts on chain and is explained as order_filled',
    async (version) => {
      const taker = account(f, f.taker);
      const x = new ZeroExExchange({
        version,
        address: f.deployment(version).exchangeAddress,
        provider: f.chain.provider,
        sender: taker.sender,
      });
      const order = await signOrder(await f.order(version), f.maker, { version, scheme: 'eip712' });
      await f.chain.setAutomine(false);
      try {
        // Both simulate fine against the pending state; only one can be mined.
        const first = await x.fillOrder(order, 10n ** 17n, { gasLimit: 500_000n });
        const second = await x.fillOrder(order, 10n ** 17n, { gasLimit: 500_000n });
        await f.chain.mine();
        expect((await x.outcome(first)).fills).toHaveLength(1);
        await expect(x.outcome(second)).rejects.toMatchObject({
          name: 'ZeroExError',
          kind: 'order_filled',
          orderHash: hashOrder(order, version),
        });
      } finally {
        await f.chain.setAutomine(true);
        taker.tracker.stop();
      }
    },
  );
});
