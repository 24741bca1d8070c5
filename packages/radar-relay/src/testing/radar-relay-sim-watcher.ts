// The relayer's view of the chain: every new block it reads the Exchange's Fill,
// Cancel and CancelUpTo logs and updates its orders (FILL, CANCEL), then drops
// the open orders that expired or whose maker can no longer pay (REMOVE), as a
// relayer's order watcher does. Polled (eth_getLogs by block range, like a node
// client without subscriptions); `sync()` runs a pass at once, so a test that has
// just mined a fill can wait for the relayer to have seen it without sleeping.
import { Interface, ZeroAddress, type Log } from 'ethers';
import { loadArtifact } from '@hb/testing/chain';
import type { RadarSimDeployment } from './radar-relay-sim-chain.js';
import { human, humanString, type RadarSimOrder, type RadarSimOrderStore } from './radar-relay-sim-orders.js';
import type { RadarSimBookEvent, RadarSimFillJson } from './radar-relay-sim-types.js';
import { erc20TokenOf, fundsOf, tokenByAddress } from './radar-relay-sim-validation.js';

/** Why the relayer removed an order (the REMOVE event's reason). */
export type RadarSimRemoveReason = 'expired' | 'unfunded';

/** Options of {@link RadarSimChainWatcher}. */
export interface RadarSimWatcherOptions {
  /** How often to look for new blocks, ms. Default 100. */
  readonly pollIntervalMs?: number;
}

/** Reads the chain for the relayer and turns what happened into book events. */
export class RadarSimChainWatcher {
  private readonly iface: Interface;
  private readonly topics: string[];
  private lastBlock: number | undefined;
  /** The chain's clock against ours: chain seconds = wall seconds + offset. */
  private chainOffsetSec = 0;
  private lock: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly seenLogs = new Set<string>();
  private readonly blockTimes = new Map<number, number>();
  /** Errors of background passes (a test can assert there were none). */
  readonly errors: unknown[] = [];

  constructor(
    private readonly deployment: RadarSimDeployment,
    private readonly store: RadarSimOrderStore,
    private readonly publish: (market: string, event: RadarSimBookEvent) => void,
    private readonly options: RadarSimWatcherOptions = {},
  ) {
    this.iface = new Interface(loadArtifact('v3', 'Exchange').abi);
    this.topics = ['Fill', 'Cancel', 'CancelUpTo'].map((n) => this.iface.getEvent(n)!.topicHash);
  }

  /** Reads the current head (orders accepted from now on are watched from here) and starts polling. */
  async start(): Promise<void> {
    const head = await this.deployment.chain.provider.getBlock('latest');
    if (head === null) throw new Error('radar-relay simulator: no latest block');
    this.noteBlockTime(head.timestamp);
    this.lastBlock = head.number;
    const tick = (): void => {
      if (this.stopped) return;
      this.sync()
        .catch((e: unknown) => {
          this.errors.push(e);
          if (this.errors.length > 100) this.errors.shift();
        })
        .finally(() => {
          if (this.stopped) return;
          this.timer = setTimeout(tick, this.options.pollIntervalMs ?? 100);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, this.options.pollIntervalMs ?? 100);
    this.timer.unref();
  }

  /** Stops polling. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  /** The chain's time now, seconds (the latest block's time, moved on by the wall clock since). */
  chainNow(): number {
    return Date.now() / 1000 + this.chainOffsetSec;
  }

  /**
   * One pass now: new logs, then expiry and funding. Passes and {@link exclusive}
   * sections run one at a time, in call order; resolves when this pass is done.
   */
  sync(): Promise<void> {
    return this.locked(() => this.pass());
  }

  /**
   * Runs `fn` between passes, with the last block the relayer has read: what
   * `fn` reads at that block and adds to the store is then updated by the logs
   * of every later block, exactly once (a fill is neither missed nor counted twice).
   */
  exclusive<T>(
    fn: (lastBlock: number) => Promise<T>,
    options: { readonly syncFirst?: boolean } = {},
  ): Promise<T> {
    return this.locked(async () => {
      if (options.syncFirst === true) await this.pass();
      if (this.lastBlock === undefined) throw new Error('radar-relay simulator: chain watcher not started');
      return fn(this.lastBlock);
    });
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined); // the caller's own promise (`run`) carries the error; the lock only orders passes
    return run;
  }

  private noteBlockTime(timestamp: number): void {
    const offset = timestamp - Date.now() / 1000;
    // Time only moves forward: a block stamped behind our estimate does not pull it back.
    if (this.lastBlock === undefined || offset > this.chainOffsetSec) this.chainOffsetSec = offset;
  }

  private async pass(): Promise<void> {
    const provider = this.deployment.chain.provider;
    const head = await provider.getBlock('latest');
    if (head === null || this.lastBlock === undefined) return;
    let newBlocks = false;
    if (head.number > this.lastBlock) {
      newBlocks = true;
      this.noteBlockTime(head.timestamp);
      const logs = await provider.getLogs({
        address: this.deployment.exchangeAddress,
        topics: [this.topics],
        fromBlock: this.lastBlock + 1,
        toBlock: head.number,
      });
      logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
      for (const log of logs) await this.apply(log);
      this.lastBlock = head.number;
    }
    this.removeExpired();
    if (newBlocks) await this.removeUnfunded();
  }

  private async apply(log: Log): Promise<void> {
    const key = `${log.transactionHash}:${log.index}`;
    if (this.seenLogs.has(key)) return;
    this.seenLogs.add(key);
    const parsed = this.iface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed === null) return;
    if (parsed.name === 'Fill') await this.onFill(log, parsed.args);
    else if (parsed.name === 'Cancel') {
      const order = this.store.get(String(parsed.args['orderHash']));
      if (order !== undefined) this.cancel(order, log.transactionHash);
    } else if (parsed.name === 'CancelUpTo') {
      const maker = String(parsed.args['makerAddress']).toLowerCase();
      const sender = String(parsed.args['orderSenderAddress']).toLowerCase();
      const epoch = BigInt(parsed.args['orderEpoch'] as bigint);
      // orders with salt < orderEpoch are cancelled (the contract stores target + 1).
      for (const o of this.store.open()) {
        if (o.maker === maker && o.signed.senderAddress === sender && o.salt < epoch) {
          this.cancel(o, log.transactionHash);
        }
      }
    }
  }

  private async onFill(log: Log, args: Record<string, unknown>): Promise<void> {
    const order = this.store.get(String(args['orderHash']));
    if (order === undefined) return; // an order this relayer never listed
    const makerFilled = BigInt(args['makerAssetFilledAmount'] as bigint);
    const takerFilled = BigInt(args['takerAssetFilledAmount'] as bigint);
    order.takerFilled += takerFilled;
    order.makerFilled += makerFilled;
    if (order.remainingTaker === 0n && (order.state === 'OPEN' || order.state === 'UNFUNDED')) {
      order.state = 'FILLED';
    }
    const { base, quote } = order.market;
    const baseFilled = order.type === 'ASK' ? makerFilled : takerFilled;
    const quoteFilled = order.type === 'ASK' ? takerFilled : makerFilled;
    const feeToken = (data: string): { address: string; decimals: number } => {
      const t = erc20TokenOf(data);
      const known = t === undefined ? undefined : tokenByAddress(this.deployment, t);
      return { address: t ?? ZeroAddress, decimals: known?.decimals ?? 18 };
    };
    const makerFeeToken = feeToken(String(args['makerFeeAssetData']));
    const takerFeeToken = feeToken(String(args['takerFeeAssetData']));
    const fill: RadarSimFillJson = {
      baseTokenAddress: base.address,
      quoteTokenAddress: quote.address,
      transactionHash: log.transactionHash,
      blockNumber: log.blockNumber,
      type: order.type === 'ASK' ? 'BUY' : 'SELL',
      makerAddress: order.maker,
      takerAddress: String(args['takerAddress']).toLowerCase(),
      feeRecipientAddress: String(args['feeRecipientAddress']).toLowerCase(),
      makerFeePaid: humanString(BigInt(args['makerFeePaid'] as bigint), makerFeeToken.decimals),
      takerFeePaid: humanString(BigInt(args['takerFeePaid'] as bigint), takerFeeToken.decimals),
      makerFeeTokenAddress: makerFeeToken.address,
      takerFeeTokenAddress: takerFeeToken.address,
      filledBaseTokenAmount: humanString(baseFilled, base.decimals),
      filledQuoteTokenAmount: humanString(quoteFilled, quote.decimals),
      orderHash: order.hash,
      timestamp: await this.blockTime(log.blockNumber),
      outlier: false,
    };
    this.store.addFill({
      market: order.market.id,
      fill,
      protocolFeePaid: BigInt(args['protocolFeePaid'] as bigint),
    });
    this.publish(order.market.id, { action: 'FILL', event: { ...fill, order: order.toJson() } });
  }

  private cancel(order: RadarSimOrder, transactionHash: string): void {
    if (order.state !== 'OPEN') return;
    order.state = 'CANCELLED';
    this.publish(order.market.id, {
      action: 'CANCEL',
      event: {
        baseTokenAddress: order.market.base.address,
        quoteTokenAddress: order.market.quote.address,
        transactionHash,
        orderType: order.type,
        orderHash: order.hash,
      },
    });
  }

  /** Removes an open order from the book with a REMOVE event. */
  remove(order: RadarSimOrder, reason: RadarSimRemoveReason): void {
    if (order.state !== 'OPEN') return;
    order.state = reason === 'expired' ? 'EXPIRED' : 'UNFUNDED';
    this.publish(order.market.id, {
      action: 'REMOVE',
      event: {
        baseTokenAddress: order.market.base.address,
        quoteTokenAddress: order.market.quote.address,
        reason,
        orderType: order.type,
        orderHash: order.hash,
      },
    });
  }

  private removeExpired(): void {
    const now = this.chainNow();
    for (const o of this.store.open()) {
      if (Number(o.expirationTimeSeconds) <= now) this.remove(o, 'expired');
    }
  }

  /** Each open order must be payable on its own by its maker's wallet (orders of one maker may share funds). */
  private async removeUnfunded(): Promise<void> {
    const cache = new Map<string, Promise<{ balance: bigint; allowance: bigint }>>();
    const funds = (owner: string, token: string) => {
      const key = `${owner}:${token}`;
      let f = cache.get(key);
      if (f === undefined) {
        f = fundsOf(this.deployment, owner, token);
        cache.set(key, f);
      }
      return f;
    };
    const open = this.store.open();
    // Every distinct maker and token read at once (the reads are independent).
    const read = await Promise.all(open.map((o) => funds(o.maker, o.makerToken.address)));
    open.forEach((o, i) => {
      const need = o.remainingMaker;
      const f = read[i]!;
      if (o.state === 'OPEN' && (f.balance < need || f.allowance < need)) this.remove(o, 'unfunded');
    });
  }

  private async blockTime(n: number): Promise<number> {
    let t = this.blockTimes.get(n);
    if (t === undefined) {
      const b = await this.deployment.chain.provider.getBlock(n);
      t = b?.timestamp ?? Math.floor(this.chainNow());
      this.blockTimes.set(n, t);
      if (this.blockTimes.size > 1000) this.blockTimes.delete(this.blockTimes.keys().next().value as number);
    }
    return t;
  }
}

/** Human amount of a token as a number (for logs and tests). */
export function asNumber(amount: bigint, decimals: number): number {
  return human(amount, decimals).toNumber();
}
