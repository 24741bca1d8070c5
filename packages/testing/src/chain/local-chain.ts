import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  BrowserProvider,
  HDNodeWallet,
  Mnemonic,
  toQuantity,
  type Eip1193Provider,
  type JsonRpcSigner,
} from 'ethers';
import {
  CHAIN_WORKER_SOURCE,
  RESOLVE_FROM_ENV,
  type ChainWorkerRequest,
  type ChainWorkerResponse,
} from './chain-worker.js';

/** Hardhat's well-known test mnemonic: its accounts are funded with 10,000 ETH on every fresh chain. */
export const TEST_MNEMONIC = 'test test test test test test test test test test test junk';

/** Options of {@link startLocalChain}. */
export interface LocalChainOptions {
  /** Chain id. Default 31337 (Hardhat's). */
  readonly chainId?: number;
  /**
   * Mine a block per transaction (default true). With false, blocks come only
   * from {@link LocalChain.mine} (or `intervalMs`), so tests control timing.
   */
  readonly automine?: boolean;
  /** Also mine a block every `intervalMs` (0 = never, the default). */
  readonly intervalMs?: number;
  /** A file path inside the project to resolve `hardhat` from. Default: the working directory. */
  readonly resolveFrom?: string;
  /** How long to wait for the chain to start, ms. Default 30 s. */
  readonly startTimeoutMs?: number;
  /** ethers' polling interval for `tx.wait()` and events, ms. Default 20 (ethers' own is 4 s). */
  readonly pollingIntervalMs?: number;
  /**
   * Let blocks mined within one second share its timestamp, as on a real chain
   * where many transactions share a block. Default false: Hardhat then stamps
   * each block at least one second after the previous one, so a chain mining
   * many blocks a second runs ahead of the wall clock (and order expiries with it).
   */
  readonly allowBlocksWithSameTimestamp?: boolean;
}

/** A test account of the chain: address and private key (test keys only, funded with 10,000 ETH). */
export interface LocalAccount {
  readonly address: string;
  readonly privateKey: string;
}

/** The process's one chain child: requests out, answers back by id. */
class ChainWorkerHost {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: unknown) => void }
  >();
  private failure: string | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (msg: ChainWorkerResponse) => {
      if (msg.kind !== 'result' && msg.kind !== 'error') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (this.pending.size === 0) (child.channel as { unref?: () => void } | null | undefined)?.unref?.();
      if (msg.kind === 'result') p.resolve(msg.result);
      else p.reject(Object.assign(new Error(msg.message), { code: msg.code, data: msg.data }));
    });
    child.on('exit', () => this.failAll('the chain process exited'));
    child.on('error', (e) => this.failAll(`the chain process failed: ${e.message}`));
  }

  /** Starts the child and waits until Hardhat is loaded. */
  static async start(resolveFrom: string, timeoutMs: number): Promise<ChainWorkerHost> {
    const child = spawn(process.execPath, ['-e', CHAIN_WORKER_SOURCE], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, [RESOLVE_FROM_ENV]: resolveFrom },
    });
    // The child never keeps this process alive, and dies with it.
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill);
    child.once('exit', () => process.off('exit', kill));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        kill();
        reject(new Error(`local chain did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (msg: ChainWorkerResponse) => {
        if (msg.kind === 'ready') {
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve();
        } else if (msg.kind === 'failed') {
          clearTimeout(timer);
          kill();
          reject(new Error(`local chain failed to start (is hardhat@3.9.1 installed?): ${msg.message}`));
        }
      };
      child.on('message', onMessage);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    child.unref();
    (child.channel as { unref?: () => void } | null | undefined)?.unref?.();
    return new ChainWorkerHost(child);
  }

  /** Sends one message and waits for its answer. */
  call(msg: DistributiveOmit<ChainWorkerRequest, 'id'>): Promise<unknown> {
    if (this.failure !== undefined) return Promise.reject(new Error(this.failure));
    const id = this.nextId++;
    // Ref'd while an answer is awaited, so a test waiting on the chain is not cut short.
    if (this.pending.size === 0) (this.child.channel as { ref?: () => void } | null | undefined)?.ref?.();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...msg, id });
    });
  }

  private failAll(why: string): void {
    this.failure = why;
    for (const p of this.pending.values()) p.reject(new Error(why));
    this.pending.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

let sharedHost: Promise<ChainWorkerHost> | undefined;

/** The process's chain child, started on first use. */
function chainWorker(resolveFrom: string, timeoutMs: number): Promise<ChainWorkerHost> {
  if (!sharedHost) {
    sharedHost = ChainWorkerHost.start(resolveFrom, timeoutMs);
    // A failed start may be retried (after installing hardhat, say).
    sharedHost.catch(() => (sharedHost = undefined));
  }
  return sharedHost;
}

/** An EIP-1193 provider for one chain (connection) of the child. */
class ConnectionProvider implements Eip1193Provider {
  private closed = false;

  constructor(
    private readonly host: ChainWorkerHost,
    private readonly conn: number,
  ) {}

  /** Sends one JSON-RPC request to the chain. */
  request(request: { method: string; params?: unknown[] | Record<string, unknown> }): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('local chain stopped'));
    const params = Array.isArray(request.params) ? request.params : request.params ? [request.params] : [];
    return this.host.call({ kind: 'request', conn: this.conn, method: request.method, params });
  }

  /** Ends the chain. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.host.call({ kind: 'close', conn: this.conn }).catch(() => undefined); // a chain host already gone has nothing left to close
  }
}

/**
 * A real Ethereum chain (Hardhat's EDR engine) in a child process of this
 * process: fresh state, chain id 31337, 20 accounts funded from the test
 * mnemonic, instant blocks. Everything a DEX test needs to run the real
 * contracts: snapshots, time travel, block mining, balances.
 */
export class LocalChain {
  /** An ethers provider on the chain (20 ms polling, no call cache). */
  readonly provider: BrowserProvider;
  /** The raw EIP-1193 provider (to build other clients on). */
  readonly eip1193: Eip1193Provider;
  /** The chain id. */
  readonly chainId: number;

  private readonly accountCache = new Map<number, LocalAccount>();

  private constructor(
    private readonly connection: ConnectionProvider,
    chainId: number,
    pollingIntervalMs: number,
  ) {
    this.eip1193 = connection;
    this.chainId = chainId;
    // cacheTimeout -1: identical calls in a row (balance before/after) must hit the chain.
    this.provider = new BrowserProvider(connection, chainId, {
      cacheTimeout: -1,
      pollingInterval: pollingIntervalMs,
    });
  }

  /** Starts a chain; resolves once it answers. The first chain of a process also loads Hardhat (about a second). */
  static async start(options: LocalChainOptions = {}): Promise<LocalChain> {
    // Like a real node, a failing transaction is mined with status 0 rather than
    // refused at eth_sendRawTransaction (Hardhat's default would throw).
    const override: Record<string, unknown> = { throwOnTransactionFailures: false };
    if (options.chainId !== undefined) override['chainId'] = options.chainId;
    if (options.allowBlocksWithSameTimestamp === true) override['allowBlocksWithSameTimestamp'] = true;
    if (options.automine === false || options.intervalMs) {
      override['mining'] = { auto: options.automine !== false, interval: options.intervalMs ?? 0 };
    }
    const host = await chainWorker(
      options.resolveFrom ?? join(process.cwd(), 'noop.js'),
      options.startTimeoutMs ?? 30_000,
    );
    const conn = (await host.call({ kind: 'connect', override })) as number;
    const connection = new ConnectionProvider(host, conn);
    const chainId = Number(BigInt((await connection.request({ method: 'eth_chainId' })) as string));
    return new LocalChain(connection, chainId, options.pollingIntervalMs ?? 20);
  }

  /** Test account `index` (0-19) of the test mnemonic, with its private key. */
  account(index: number): LocalAccount {
    let a = this.accountCache.get(index);
    if (!a) {
      const w = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(TEST_MNEMONIC), `m/44'/60'/0'/0/${index}`);
      a = { address: w.address, privateKey: w.privateKey };
      this.accountCache.set(index, a);
    }
    return a;
  }

  /** A signer for test account `index`, sending through the node (eth_sendTransaction). */
  signer(index: number): Promise<JsonRpcSigner> {
    return this.provider.getSigner(index);
  }

  /** Sends a raw JSON-RPC request. */
  send<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    return this.eip1193.request({ method, params }) as Promise<T>;
  }

  /** Saves the chain's state; {@link revert} returns to it (each snapshot id is usable once). */
  snapshot(): Promise<string> {
    return this.send<string>('evm_snapshot');
  }

  /** Returns to a snapshot's state. */
  async revert(snapshotId: string): Promise<void> {
    const ok = await this.send<boolean>('evm_revert', [snapshotId]);
    if (!ok) throw new Error(`evm_revert(${snapshotId}) failed`);
  }

  /** Mines `blocks` blocks at once. */
  async mine(blocks = 1): Promise<void> {
    if (blocks === 1) await this.send('evm_mine');
    else await this.send('hardhat_mine', [toQuantity(blocks)]);
  }

  /** Moves the clock forward by `seconds` (takes effect in the next block). */
  async increaseTime(seconds: number): Promise<void> {
    await this.send('evm_increaseTime', [seconds]);
  }

  /** Sets the timestamp of the next block, seconds since epoch. */
  async setNextBlockTimestamp(seconds: number): Promise<void> {
    await this.send('evm_setNextBlockTimestamp', [seconds]);
  }

  /** Timestamp of the latest block, seconds since epoch. */
  async latestTimestamp(): Promise<number> {
    const block = await this.provider.getBlock('latest');
    if (!block) throw new Error('no latest block');
    return block.timestamp;
  }

  /** Turns mining per transaction on or off. */
  async setAutomine(on: boolean): Promise<void> {
    await this.send('evm_setAutomine', [on]);
  }

  /** Sets an address's ETH balance, wei. */
  async setBalance(address: string, wei: bigint): Promise<void> {
    await this.send('hardhat_setBalance', [address, toQuantity(wei)]);
  }

  /** Drops a pending transaction from the node's mempool (to test "dropped"). */
  async dropTransaction(hash: string): Promise<boolean> {
    return this.send<boolean>('hardhat_dropTransaction', [hash]);
  }

  /** Stops the chain (the process's chain child stays for the next one). */
  async stop(): Promise<void> {
    this.provider.destroy();
    await this.connection.close();
  }
}

/** Starts a {@link LocalChain}. */
export function startLocalChain(options: LocalChainOptions = {}): Promise<LocalChain> {
  return LocalChain.start(options);
}
