// A local chain with the real 0x v3 and v2.1 Exchanges, ZRX-like and WETH9
// tokens, a funded maker (test account 1, ZRX) and taker (account 2, WETH),
// both approved on both ERC20Proxies. One chain per test file; tests return to
// a clean snapshot after each test.
import { MemoryNonceStore } from '@hb/core';
import {
  EthereumWallet,
  NonceManager,
  TransactionSender,
  TransactionTracker,
  type TransactionStatus,
} from '@hb/ethereum';
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
} from '@hb/testing/chain';
import type { Contract } from 'ethers';
import {
  NULL_ADDRESS,
  ZERO_EX_REVERT_DECODER,
  type ZeroExOrder,
  type ZeroExVersion,
} from '../../src/index.js';

export const MAKER_ZRX = 1000n * 10n ** 18n;
export const TAKER_WETH = 10n ** 18n;

export interface ZeroExChain {
  readonly chain: LocalChain;
  readonly zrx: Contract;
  readonly weth: Contract;
  readonly zrxAddress: string;
  readonly wethAddress: string;
  readonly v3: ZeroExDeployment;
  readonly v2: ZeroExDeployment;
  readonly maker: EthereumWallet;
  readonly taker: EthereumWallet;
  deployment(version: ZeroExVersion): ZeroExDeployment;
  /** An ask: sell 100 ZRX for 0.1 WETH, expiring in an hour of chain time. */
  order(version: ZeroExVersion, patch?: Partial<ZeroExOrder>): Promise<ZeroExOrder>;
  stop(): Promise<void>;
}

export async function startZeroExChain(): Promise<ZeroExChain> {
  const chain = await startLocalChain({ pollingIntervalMs: 10 });
  const deployer = await chain.signer(0);
  const zrx = await deployErc20(deployer, { symbol: 'ZRX' });
  const weth = await deployWeth9(deployer);
  const zrxAddress = await zrx.getAddress();
  const wethAddress = await weth.getAddress();
  const v3 = await deployZeroExV3(chain, deployer);
  const v2 = await deployZeroExV2(chain, deployer, zrxAddress);
  const maker = new EthereumWallet(chain.account(1).privateKey);
  const taker = new EthereumWallet(chain.account(2).privateKey);
  await fundErc20(zrx, maker.address, MAKER_ZRX);
  const takerSigner = await chain.signer(2);
  const makerSigner = await chain.signer(1);
  await (await weth.connect(takerSigner).getFunction('deposit')({ value: TAKER_WETH })).wait();
  for (const proxy of [v3.erc20ProxyAddress, v2.erc20ProxyAddress]) {
    await (await zrx.connect(makerSigner).getFunction('approve')(proxy, 2n ** 256n - 1n)).wait();
    await (await weth.connect(takerSigner).getFunction('approve')(proxy, 2n ** 256n - 1n)).wait();
  }
  const deployment = (version: ZeroExVersion) => (version === 'v3' ? v3 : v2);
  return {
    chain,
    zrx,
    weth,
    zrxAddress,
    wethAddress,
    v3,
    v2,
    maker,
    taker,
    deployment,
    order: async (version, patch = {}) => ({
      makerAddress: maker.address,
      takerAddress: NULL_ADDRESS,
      feeRecipientAddress: NULL_ADDRESS,
      senderAddress: NULL_ADDRESS,
      makerAssetAmount: 100n * 10n ** 18n,
      takerAssetAmount: 10n ** 17n,
      makerFee: 0n,
      takerFee: 0n,
      expirationTimeSeconds: BigInt((await chain.latestTimestamp()) + 3600),
      salt: BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000)),
      makerAssetData: erc20AssetData(zrxAddress),
      takerAssetData: erc20AssetData(wethAddress),
      makerFeeAssetData: '0x',
      takerFeeAssetData: '0x',
      exchangeAddress: deployment(version).exchangeAddress,
      chainId: chain.chainId,
      ...patch,
    }),
    stop: () => chain.stop(),
  };
}

/** What one account needs to send tracked transactions. */
export interface Account {
  readonly wallet: EthereumWallet;
  readonly tracker: TransactionTracker;
  readonly sender: TransactionSender;
}

/** Wires a wallet to the chain (mined = confirmed: one confirmation). */
export function account(f: ZeroExChain, wallet: EthereumWallet): Account {
  const nonces = new NonceManager(f.chain.provider, {
    chainId: f.chain.chainId,
    store: new MemoryNonceStore(),
  });
  const tracker = new TransactionTracker(f.chain.provider, {
    confirmations: 1,
    pollIntervalMs: 10,
    decoder: ZERO_EX_REVERT_DECODER,
  });
  const sender = new TransactionSender({
    wallet,
    provider: f.chain.provider,
    chainId: f.chain.chainId,
    nonces,
    tracker,
    decoder: ZERO_EX_REVERT_DECODER,
  });
  return { wallet, tracker, sender };
}

/** Waits for a tracked transaction to be mined with its receipt. */
export async function minedReceipt(tx: { wait(t: 'confirmed', ms: number): Promise<TransactionStatus> }) {
  const s = await tx.wait('confirmed', 20_000);
  return s.receipt!;
}
