// A local chain with WETH9 and a token deployed, and the @hb/ethereum pieces for
// one test account wired to it, polling fast. Each test file starts one chain;
// tests return to a clean snapshot after each test.
import { MemoryNonceStore, type NonceStore } from '@hb/core';
import { deployErc20, deployWeth9, startLocalChain, type LocalChain } from '@hb/testing/chain';
import {
  Erc20Token,
  EthereumWallet,
  NonceManager,
  RevertDecoder,
  TransactionSender,
  TransactionTracker,
  WethToken,
} from '../../src/index.js';

export interface ChainFixture {
  readonly chain: LocalChain;
  readonly token: Erc20Token;
  readonly weth: WethToken;
  /** The token's owner can mint to anyone (0x's DummyERC20Token.setBalance). */
  mint(to: string, amount: bigint): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the chain and deploys WETH9 and a ZRX-like token (18 decimals). */
export async function startChainFixture(): Promise<ChainFixture> {
  const chain = await startLocalChain({ pollingIntervalMs: 10 });
  const deployer = await chain.signer(0);
  const zrx = await deployErc20(deployer, { symbol: 'ZRX' });
  const wethContract = await deployWeth9(deployer);
  const token = new Erc20Token(await zrx.getAddress(), chain.provider, 'ZRX');
  const weth = new WethToken(await wethContract.getAddress(), chain.provider);
  return {
    chain,
    token,
    weth,
    mint: async (to, amount) => {
      await (await zrx.getFunction('setBalance')(to, amount)).wait();
    },
    stop: () => chain.stop(),
  };
}

/** What one account needs to send tracked transactions. */
export interface Account {
  readonly wallet: EthereumWallet;
  readonly nonces: NonceManager;
  readonly tracker: TransactionTracker;
  readonly sender: TransactionSender;
}

/** Wires a wallet (test account `index`) to the chain. */
export function account(
  f: ChainFixture,
  index: number,
  options: { store?: NonceStore; confirmations?: number; dropAfterMs?: number } = {},
): Account {
  const decoder = new RevertDecoder();
  const wallet = new EthereumWallet(f.chain.account(index).privateKey);
  const nonces = new NonceManager(f.chain.provider, {
    chainId: f.chain.chainId,
    store: options.store ?? new MemoryNonceStore(),
  });
  const tracker = new TransactionTracker(f.chain.provider, {
    confirmations: options.confirmations ?? 3,
    pollIntervalMs: 10,
    dropAfterMs: options.dropAfterMs ?? 60_000,
    decoder,
  });
  const sender = new TransactionSender({
    wallet,
    provider: f.chain.provider,
    chainId: f.chain.chainId,
    nonces,
    tracker,
    decoder,
  });
  return { wallet, nonces, tracker, sender };
}

/** Waits for a condition (never a fixed sleep). */
export async function until(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
