import { Observable, Subject } from 'rxjs';
import type { Log, Provider, TopicFilter } from 'ethers';

/** Which logs to watch. */
export interface LogFilter {
  /** Contract address(es). */
  readonly address?: string | readonly string[];
  /** Topics, as in `eth_getLogs` (topic0 = event signature hash). */
  readonly topics?: TopicFilter;
}

/** Options of {@link LogWatcher}. */
export interface LogWatcherOptions {
  /**
   * Blocks (including its own) a log's block needs before the log is emitted.
   * Default 12. A reorg shallower than this never shows: the log is only read
   * once its block is that deep.
   */
  readonly confirmations?: number;
  /** How often to poll for new blocks, ms. Default 1000. */
  readonly pollIntervalMs?: number;
  /** First block to scan. Default: the block after the head when `watch` is called. */
  readonly fromBlock?: number;
  /** Largest block range per `eth_getLogs` request (nodes cap it). Default 2000. */
  readonly maxBlockRange?: number;
}

/** A notice of the watcher: a reorg deeper than the confirmation depth, or a failed poll. */
export type LogWatcherNotice =
  | {
      readonly kind: 'deep_reorg';
      readonly blockNumber: number;
      readonly expectedHash: string;
      readonly actualHash: string;
    }
  | { readonly kind: 'poll_failed'; readonly error: unknown }
  /** A pass finished: every confirmed log up to `head` has been emitted. */
  | { readonly kind: 'polled'; readonly head: number };

/**
 * Logs by filter, each emitted once, and only once its block has the asked
 * confirmations. Logs are read from blocks that are already deep enough, and
 * each emitted log's block hash is checked against the canonical block of that
 * height, so a log from an orphaned block is never emitted; logs are
 * de-duplicated by transaction hash and log index. A reorg deeper than the
 * depth (a block already scanned changed) is reported on `notices$`.
 */
export class LogWatcher {
  private readonly noticesSubject = new Subject<LogWatcherNotice>();
  private readonly confirmations: number;
  private readonly pollIntervalMs: number;
  private readonly maxBlockRange: number;

  constructor(
    private readonly provider: Provider,
    private readonly options: LogWatcherOptions = {},
  ) {
    this.confirmations = Math.max(1, options.confirmations ?? 12);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.maxBlockRange = Math.max(1, options.maxBlockRange ?? 2_000);
  }

  /** Problems the watcher noticed and survived. */
  get notices$(): Observable<LogWatcherNotice> {
    return this.noticesSubject.asObservable();
  }

  /** Confirmed logs matching `filter`; polling runs while subscribed. */
  watch(filter: LogFilter): Observable<Log> {
    return new Observable<Log>((subscriber) => {
      let cursor: number | undefined = this.options.fromBlock;
      /** Hash of the last block scanned, to notice a reorg below the depth. */
      let lastScanned: { number: number; hash: string } | undefined;
      const seen = new Set<string>();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stopped = false;
      let running: Promise<void> | undefined;

      const pass = async (): Promise<void> => {
        const head = await this.provider.getBlockNumber();
        if (cursor === undefined) cursor = head + 1;
        if (lastScanned) {
          const block = await this.provider.getBlock(lastScanned.number);
          if (block?.hash && block.hash !== lastScanned.hash) {
            this.noticesSubject.next({
              kind: 'deep_reorg',
              blockNumber: lastScanned.number,
              expectedHash: lastScanned.hash,
              actualHash: block.hash,
            });
          }
        }
        // A log in block b has head - b + 1 confirmations.
        const safe = head - this.confirmations + 1;
        while (!stopped && cursor <= safe) {
          const to = Math.min(safe, cursor + this.maxBlockRange - 1);
          const logs = await this.provider.getLogs({
            ...(filter.address !== undefined ? { address: filter.address as string | string[] } : {}),
            ...(filter.topics !== undefined ? { topics: filter.topics } : {}),
            fromBlock: cursor,
            toBlock: to,
          });
          const hashes = new Map<number, string | undefined>();
          const canonical = async (n: number): Promise<string | undefined> => {
            if (!hashes.has(n)) hashes.set(n, (await this.provider.getBlock(n))?.hash ?? undefined);
            return hashes.get(n);
          };
          for (const log of logs) {
            // The node may have switched forks between our head read and getLogs.
            if ((await canonical(log.blockNumber)) !== log.blockHash) return; // retried next pass, cursor unchanged
          }
          const end = await canonical(to);
          for (const log of logs) {
            const key = `${log.transactionHash}:${log.index}`;
            if (seen.has(key)) continue;
            seen.add(key);
            subscriber.next(log);
          }
          if (end) lastScanned = { number: to, hash: end };
          cursor = to + 1;
        }
        if (!stopped) this.noticesSubject.next({ kind: 'polled', head });
      };

      const loop = (): void => {
        if (stopped) return;
        running = pass()
          .catch((error: unknown) => this.noticesSubject.next({ kind: 'poll_failed', error }))
          .finally(() => {
            running = undefined;
            if (!stopped) {
              timer = setTimeout(loop, this.pollIntervalMs);
              timer.unref?.();
            }
          });
      };
      loop();
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        void running;
      };
    });
  }
}
