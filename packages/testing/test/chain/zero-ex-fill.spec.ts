// Real 0x orders on a real chain: the v3 and v2.1 Exchange contracts 0x
// published on npm, deployed on the local chain, fill orders hashed and signed
// here in TypeScript. The contract's own getOrderInfo is the judge of the hash.
import {
  Interface,
  Signature,
  TypedDataEncoder,
  Wallet,
  concat,
  getBytes,
  toBeHex,
  ZeroAddress,
  type Contract,
  type TypedDataDomain,
  type TypedDataField,
} from 'ethers';
import {
  deployErc20,
  deployWeth9,
  deployZeroExV2,
  deployZeroExV3,
  erc20AssetData,
  fundErc20,
  startLocalChain,
  type LocalChain,
  type ZeroExDeployment,
} from '../../src/chain/index.js';

const V2_FIELDS: [string, string][] = [
  ['makerAddress', 'address'],
  ['takerAddress', 'address'],
  ['feeRecipientAddress', 'address'],
  ['senderAddress', 'address'],
  ['makerAssetAmount', 'uint256'],
  ['takerAssetAmount', 'uint256'],
  ['makerFee', 'uint256'],
  ['takerFee', 'uint256'],
  ['expirationTimeSeconds', 'uint256'],
  ['salt', 'uint256'],
  ['makerAssetData', 'bytes'],
  ['takerAssetData', 'bytes'],
];
const V3_FIELDS: [string, string][] = [
  ...V2_FIELDS,
  ['makerFeeAssetData', 'bytes'],
  ['takerFeeAssetData', 'bytes'],
];
const types = (fields: [string, string][]): Record<string, TypedDataField[]> => ({
  Order: fields.map(([name, type]) => ({ name, type })),
});

type Order = Record<string, string | bigint>;

/** 0x v3's rich revert errors are not in the Exchange ABI (they live in a library): declared here. */
const V3_ERRORS = new Interface(['error OrderStatusError(bytes32 orderHash, uint8 orderStatus)']);

function domainOf(release: 'v2.1' | 'v3', exchange: string, chainId: number): TypedDataDomain {
  return release === 'v3'
    ? { name: '0x Protocol', version: '3.0.0', chainId, verifyingContract: exchange }
    : { name: '0x Protocol', version: '2', verifyingContract: exchange };
}

function orderHash(release: 'v2.1' | 'v3', exchange: string, chainId: number, order: Order): string {
  return TypedDataEncoder.hash(
    domainOf(release, exchange, chainId),
    types(release === 'v3' ? V3_FIELDS : V2_FIELDS),
    order,
  );
}

/** v ‖ r ‖ s ‖ type: 0x's layout (ethers serialises r ‖ s ‖ v). */
function pack(sig: Signature, type: 2 | 3): string {
  return concat([toBeHex(sig.v, 1), sig.r, sig.s, toBeHex(type, 1)]);
}

describe('0x orders signed in TypeScript, filled on the local chain', () => {
  let chain: LocalChain;
  let maker: Wallet;
  let takerAddress: string;
  let zrx: Contract;
  let weth: Contract;
  let v3: ZeroExDeployment;
  let v2: ZeroExDeployment;
  let clean: string;

  beforeAll(async () => {
    chain = await startLocalChain();
    const deployer = await chain.signer(0);
    maker = new Wallet(chain.account(1).privateKey, chain.provider);
    takerAddress = chain.account(2).address;
    zrx = await deployErc20(deployer, { symbol: 'ZRX' });
    weth = await deployWeth9(deployer);
    v3 = await deployZeroExV3(chain, deployer);
    v2 = await deployZeroExV2(chain, deployer, await zrx.getAddress());
    await fundErc20(zrx, maker.address, 1000n * 10n ** 18n);
    const taker = await chain.signer(2);
    await (await weth.connect(taker).getFunction('deposit')({ value: 10n ** 18n })).wait();
    for (const proxy of [v3.erc20ProxyAddress, v2.erc20ProxyAddress]) {
      await (await zrx.connect(maker).getFunction('approve')(proxy, 2n ** 256n - 1n)).wait();
      await (await weth.connect(taker).getFunction('approve')(proxy, 2n ** 256n - 1n)).wait();
    }
    clean = await chain.snapshot();
  }, 60_000);

  afterEach(async () => {
    await chain.revert(clean);
    clean = await chain.snapshot();
  });

  afterAll(async () => {
    await chain?.stop();
  });

  async function makeOrder(release: 'v2.1' | 'v3'): Promise<Order> {
    const order: Order = {
      makerAddress: maker.address,
      takerAddress: ZeroAddress,
      feeRecipientAddress: ZeroAddress,
      senderAddress: ZeroAddress,
      makerAssetAmount: 100n * 10n ** 18n, // sell 100 ZRX
      takerAssetAmount: 10n ** 17n, // for 0.1 WETH
      makerFee: 0n,
      takerFee: 0n,
      expirationTimeSeconds: BigInt((await chain.latestTimestamp()) + 3600),
      salt: BigInt(Date.now()),
      makerAssetData: erc20AssetData(await zrx.getAddress()),
      takerAssetData: erc20AssetData(await weth.getAddress()),
    };
    if (release === 'v3') {
      order['makerFeeAssetData'] = '0x';
      order['takerFeeAssetData'] = '0x';
    }
    return order;
  }

  it('our v3 hashing matches the published 0x vector (mainnet exchange, chain 1)', () => {
    const order: Order = {
      makerAddress: '0x2c7536e3605d9c16a7a3d7b1898e529396a65c23',
      takerAddress: ZeroAddress,
      feeRecipientAddress: ZeroAddress,
      senderAddress: ZeroAddress,
      makerAssetAmount: 100000000000000000000n,
      takerAssetAmount: 100000000000000000n,
      makerFee: 0n,
      takerFee: 0n,
      expirationTimeSeconds: 1580000000n,
      salt: 1579000000000n,
      makerAssetData: '0xf47261b0000000000000000000000000e41d2489571d322189246dafa5ebde1f4699f498',
      takerAssetData: '0xf47261b0000000000000000000000000c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2',
      makerFeeAssetData: '0x',
      takerFeeAssetData: '0x',
    };
    expect(orderHash('v3', '0x61935cbdd02287b511119ddb11aeb42f1593b7ef', 1, order)).toBe(
      '0x1afa129ece9dd46564dedd8a2d945a309d4691bffb5f9ee5fcc4c86088a316e5',
    );
  });

  it('v3: an EIP-712-signed order: hash equals getOrderInfo, a partial fill moves the tokens, status follows', async () => {
    const order = await makeOrder('v3');
    const hash = orderHash('v3', v3.exchangeAddress, chain.chainId, order);
    const [status, contractHash, filled] = await v3.exchange.getFunction('getOrderInfo')(order);
    expect(contractHash).toBe(hash);
    expect(Number(status)).toBe(3); // FILLABLE
    expect(filled).toBe(0n);
    const signature = pack(Signature.from(maker.signingKey.sign(hash)), 2);
    expect(await v3.exchange.getFunction('isValidHashSignature')(hash, maker.address, signature)).toBe(true);

    const taker = await chain.signer(2);
    const zrxBefore: bigint = await zrx.getFunction('balanceOf')(takerAddress);
    const tx = await v3.exchange.connect(taker).getFunction('fillOrder')(order, 4n * 10n ** 16n, signature, {
      gasLimit: 1_000_000,
    });
    const receipt = await tx.wait();
    expect(receipt?.status).toBe(1);
    // 0.04 WETH of 0.1 buys 40 ZRX.
    expect((await zrx.getFunction('balanceOf')(takerAddress)) - zrxBefore).toBe(40n * 10n ** 18n);
    const fill = receipt!.logs
      .map((l: { topics: readonly string[]; data: string }) => v3.exchange.interface.parseLog(l))
      .find((l: { name: string } | null) => l?.name === 'Fill');
    expect(fill?.args.getValue('orderHash')).toBe(hash);
    const after = await v3.exchange.getFunction('getOrderInfo')(order);
    expect(after[2]).toBe(4n * 10n ** 16n);
    expect(Number(after[0])).toBe(3);
  });

  it('v3: cancel and expiry end the order; a later fill reverts with OrderStatusError', async () => {
    const order = await makeOrder('v3');
    const hash = orderHash('v3', v3.exchangeAddress, chain.chainId, order);
    const signature = pack(Signature.from(maker.signingKey.sign(hash)), 2);
    await (await v3.exchange.connect(maker).getFunction('cancelOrder')(order)).wait();
    expect(Number((await v3.exchange.getFunction('getOrderInfo')(order))[0])).toBe(6); // CANCELLED
    const taker = await chain.signer(2);
    const err = await v3.exchange
      .connect(taker)
      .getFunction('fillOrder')
      .staticCall(order, 10n ** 16n, signature)
      .catch((e: { data?: string }) => e);
    const decoded = V3_ERRORS.parseError((err as { data: string }).data);
    expect(decoded?.name).toBe('OrderStatusError');
    expect(decoded?.args[0]).toBe(hash);
    expect(Number(decoded?.args[1])).toBe(6);

    const later = { ...(await makeOrder('v3')), salt: 7n };
    await chain.increaseTime(7200);
    await chain.mine();
    expect(Number((await v3.exchange.getFunction('getOrderInfo')(later))[0])).toBe(4); // EXPIRED
  });

  it('v2.1: an EthSign-signed order: hash equals getOrderInfo and it fills', async () => {
    const order = await makeOrder('v2.1');
    const hash = orderHash('v2.1', v2.exchangeAddress, chain.chainId, order);
    const [status, contractHash] = await v2.exchange.getFunction('getOrderInfo')(order);
    expect(contractHash).toBe(hash);
    expect(Number(status)).toBe(3);
    // EthSign: personal-sign over the hash's 32 bytes (not its hex text).
    const signature = pack(Signature.from(await maker.signMessage(getBytes(hash))), 3);
    expect(await v2.exchange.getFunction('isValidSignature')(hash, maker.address, signature)).toBe(true);
    const taker = await chain.signer(2);
    const receipt = await (
      await v2.exchange.connect(taker).getFunction('fillOrder')(order, 10n ** 17n, signature, {
        gasLimit: 1_000_000,
      })
    ).wait();
    expect(receipt?.status).toBe(1);
    expect(await zrx.getFunction('balanceOf')(takerAddress)).toBe(100n * 10n ** 18n);
    expect(Number((await v2.exchange.getFunction('getOrderInfo')(order))[0])).toBe(5); // FULLY_FILLED
  });
});
