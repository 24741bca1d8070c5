import { BehaviorSubject, Subject, of, type Observable } from 'rxjs';
import type { Provider, TransactionReceipt, TransactionRequest } from 'ethers';
import { EthereumError, RevertDecoder, classifyRpcError, revertDataOf } from './ethereum-errors.js';

/**
 * Where a transaction is:
 * - `sent`: broadcast, not in a block (again `sent` if a reorg removes its block);
 * - `mined`: in a block, fewer confirmations than asked;
 * - `confirmed`: mined with the asked confirmations (final);
 * - `reverted`: mined and failed (final; `error.revert` has the decoded reason);
 * - `replaced`: another transaction with its nonce was mined (final);
 * - `dropped`: the node forgot it before it was mined (final).
 */
export type TransactionState = 'sent' | 'mined' | 'confirmed' | 'reverted' | 'replaced' | 'dropped';

const FINAL: ReadonlySet<TransactionState> = new Set(['confirmed', 'reverted', 'replaced', 'dropped']);

/** A snapshot of a tracked transaction. */
export interface TransactionStatus {
  readonly state: TransactionState;
  readonly hash: string;
  readonly from: string;
  readonly nonce: number;
  /** Block it was mined in, once mined. */
  readonly blockNumber: number | undefined;
  /** Blocks on top of (and including) its block; 0 until mined. */
  readonly confirmations: number;
  /** The receipt, once mined. */
  readonly receipt: TransactionReceipt | undefined;
  /** Why it ended badly (`reverted`, `replaced`, `dropped`). */
  readonly error: EthereumError | undefined;
}

/** What the tracker needs to know of a sent transaction. */
export interface TrackInput {
  readonly hash: string;
  readonly from: string;
  readonly nonce: number;
  /** The request as sent: replayed to read a revert reason (mined failures carry none). */
  readonly request?: TransactionRequest;
  /** Confirmations this transaction needs (default: the tracker's). */
  readonly confirmations?: number;
}

/** One transaction being followed; its status moves only forward except a reorg's `mined` -> `sent`. */
export class TrackedTransaction {
  /** The transaction hash. */
  readonly hash: string;
  private readonly subject: BehaviorSubject<TransactionStatus>;
  /** Local time the node last knew the transaction (to decide `dropped`). */
  lastSeenAt: number;

  constructor(
    input: TrackInput,
    /** Confirmations needed. */
    readonly confirmationsNeeded: number,
    /** The request as sent. */
    readonly request: TransactionRequest | undefined,
    now: number,
  ) {
    this.hash = input.hash;
    this.lastSeenAt = now;
    this.subject = new BehaviorSubject<TransactionStatus>({
      state: 'sent',
      hash: input.hash,
      from: input.from,
      nonce: input.nonce,
      blockNumber: undefined,
      confirmations: 0,
      receipt: undefined,
      error: undefined,
    });
  }

  /** The current status. */
  get status(): TransactionStatus {
    return this.subject.value;
  }

  /** Every status change, starting with the current one; completes at a final state. */
  get status$(): Observable<TransactionStatus> {
    // A completed BehaviorSubject replays nothing: late subscribers still get the final status.
    return this.subject.isStopped ? of(this.subject.value) : this.subject.asObservable();
  }

  /** True once the state is final. */
  get isFinal(): boolean {
    return FINAL.has(this.status.state);
  }

  /**
   * Resolves when the transaction is `mined` (or further) or `confirmed`;
   * rejects with the typed error when it reverts, is replaced or dropped, and
   * with `timeout` after `timeoutMs`.
   */
  wait(target: 'mined' | 'confirmed' = 'confirmed', timeoutMs = 300_000): Promise<TransactionStatus> {
    const reached = (s: TransactionStatus) =>
      s.state === 'confirmed' || (target === 'mined' && s.state === 'mined') || s.error !== undefined;
    if (reached(this.status)) {
      const s = this.status;
      return s.error ? Promise.reject(s.error) : Promise.resolve(s);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.unsubscribe();
        reject(
          new EthereumError('timeout', `transaction ${this.hash} not ${target} after ${timeoutMs} ms`, {
            txHash: this.hash,
          }),
        );
      }, timeoutMs);
      const sub = this.subject.subscribe((s) => {
        if (!reached(s)) return;
        clearTimeout(timer);
        queueMicrotask(() => sub.unsubscribe());
        if (s.error) reject(s.error);
        else resolve(s);
      });
    });
  }

  /** Tracker only: moves to a new status (emits when anything changed). */
  update(next: Partial<TransactionStatus>): void {
    if (this.isFinal) return;
    const cur = this.subject.value;
    const merged = { ...cur, ...next };
    if (
      merged.state === cur.state &&
      merged.confirmations === cur.confirmations &&
      merged.blockNumber === cur.blockNumber
    )
      return;
    this.subject.next(merged);
    if (FINAL.has(merged.state)) this.subject.complete();
  }
}

/** Options of {@link TransactionTracker}. */
export interface TransactionTrackerOptions {
  /** Confirmations after which a transaction is `confirmed`. Default 3 (1 = mined is enough). */
  readonly confirmations?: number;
  /** How often to poll the node while something is tracked, ms. Default 1000. */
  readonly pollIntervalMs?: number;
  /** A transaction the node has not known for this long is `dropped`. Default 120 s. */
  readonly dropAfterMs?: number;
  /** Decodes revert reasons (add the venue's custom errors). */
  readonly decoder?: RevertDecoder;
  /** Local clock, ms. */
  readonly now?: () => number;
}

/**
 * Follows sent transactions to a final state by polling the node: receipts,
 * the block head (confirmations), the sender's mined nonce (replacement) and
 * the mempool (drop). A mined transaction whose block a reorg removed goes back
 * to `sent`. Failures carry their decoded revert reason, read by replaying the
 * request on the parent block's state (a mined failure carries no reason).
 */
export class TransactionTracker {
  private readonly tracked = new Map<string, TrackedTransaction>();
  private readonly confirmations: number;
  private readonly pollIntervalMs: number;
  private readonly dropAfterMs: number;
  private readonly decoder: RevertDecoder;
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private polling: Promise<void> | undefined;
  private running = false;
  private readonly errorsSubject = new Subject<EthereumError>();
  /**
   * Every failed lookup of a pass (the node away, one receipt that could not be
   * read), typed. Statuses keep their last value and the lookup is retried next pass.
   */
  readonly errors$: Observable<EthereumError> = this.errorsSubject.asObservable();

  constructor(
    private readonly provider: Provider,
    options: TransactionTrackerOptions = {},
  ) {
    this.confirmations = Math.max(1, options.confirmations ?? 3);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.dropAfterMs = options.dropAfterMs ?? 120_000;
    this.decoder = options.decoder ?? new RevertDecoder();
    this.now = options.now ?? Date.now;
  }

  /** Starts following `input`; polling starts with the first transaction and pauses when none is left. */
  track(input: TrackInput): TrackedTransaction {
    const existing = this.tracked.get(input.hash);
    if (existing) return existing;
    const tx = new TrackedTransaction(
      input,
      Math.max(1, input.confirmations ?? this.confirmations),
      input.request,
      this.now(),
    );
    this.tracked.set(input.hash, tx);
    tx.status$.subscribe({ complete: () => this.tracked.delete(input.hash) });
    this.running = true;
    this.schedule(0);
    return tx;
  }

  /** Transactions not final yet. */
  get pending(): readonly TrackedTransaction[] {
    return [...this.tracked.values()];
  }

  /** One pass over every tracked transaction (the timer calls it; tests may too). */
  poll(): Promise<void> {
    if (!this.polling) {
      this.polling = this.pass().finally(() => {
        this.polling = undefined;
      });
    }
    return this.polling;
  }

  /** Stops polling; tracked transactions keep their last status. */
  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (!this.running || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // pass() reports its own failures on errors$ and never rejects.
      void this.poll().finally(() => {
        if (this.tracked.size > 0) this.schedule(this.pollIntervalMs);
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async pass(): Promise<void> {
    if (this.tracked.size === 0) return;
    let head: number;
    try {
      head = await this.provider.getBlockNumber();
    } catch (e) {
      // The node is away: statuses stay as they are until it answers.
      this.errorsSubject.next(classifyRpcError(e, this.decoder));
      return;
    }
    for (const tx of [...this.tracked.values()]) {
      try {
        await this.check(tx, head);
      } catch (e) {
        // One transaction's failed lookup must not stop the others; it is retried next pass.
        this.errorsSubject.next(classifyRpcError(e, this.decoder, tx.hash));
      }
    }
  }

  private async check(tx: TrackedTransaction, head: number): Promise<void> {
    const receipt = await this.provider.getTransactionReceipt(tx.hash);
    if (receipt) {
      tx.lastSeenAt = this.now();
      if (receipt.status === 0) {
        tx.update({
          state: 'reverted',
          blockNumber: receipt.blockNumber,
          confirmations: head - receipt.blockNumber + 1,
          receipt,
          error: await this.revertError(tx, receipt),
        });
        return;
      }
      const confirmations = head - receipt.blockNumber + 1;
      tx.update({
        state: confirmations >= tx.confirmationsNeeded ? 'confirmed' : 'mined',
        blockNumber: receipt.blockNumber,
        confirmations,
        receipt,
      });
      return;
    }
    // Not in a block (any more: a reorg may have removed it).
    if (tx.status.state === 'mined') tx.update({ state: 'sent', blockNumber: undefined, confirmations: 0 });
    const { from, nonce } = tx.status;
    const minedCount = await this.provider.getTransactionCount(from, 'latest');
    if (minedCount > nonce) {
      // Our nonce was mined: by us (a receipt that just appeared) or by another transaction.
      const again = await this.provider.getTransactionReceipt(tx.hash);
      if (again) return this.check(tx, Math.max(head, again.blockNumber));
      tx.update({
        state: 'replaced',
        error: new EthereumError('replaced', `another transaction with nonce ${nonce} of ${from} was mined`, {
          txHash: tx.hash,
          retryable: false,
        }),
      });
      return;
    }
    const known = await this.provider.getTransaction(tx.hash);
    if (known) {
      tx.lastSeenAt = this.now();
      return;
    }
    if (this.now() - tx.lastSeenAt >= this.dropAfterMs) {
      tx.update({
        state: 'dropped',
        error: new EthereumError('dropped', `the node no longer knows transaction ${tx.hash}`, {
          txHash: tx.hash,
        }),
      });
    }
  }

  /** The reverted error with its reason, from replaying the request on the parent block. */
  private async revertError(tx: TrackedTransaction, receipt: TransactionReceipt): Promise<EthereumError> {
    let data: string | undefined;
    if (tx.request) {
      try {
        await this.provider.call({
          ...tx.request,
          from: tx.status.from,
          blockTag: receipt.blockNumber - 1,
        });
      } catch (e) {
        data = revertDataOf(e);
        if (data === undefined) return classifyRpcError(e, this.decoder, tx.hash);
      }
    }
    const revert = this.decoder.decode(data);
    return new EthereumError(
      'reverted',
      `transaction ${tx.hash} reverted: ${revert?.reason ?? this.decoder.describe(data)}`,
      {
        txHash: tx.hash,
        retryable: false,
        ...(revert ? { revert } : {}),
      },
    );
  }
}
