import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HbError } from '../errors/hb-error.js';

/**
 * Where a {@link NonceSource} keeps the last nonce it handed out per key, so a
 * restart never hands out one again.
 */
export interface NonceStore {
  /** The last nonce saved for `key`, or undefined when none was. */
  load(key: string): Promise<bigint | undefined>;
  /** Saves the last nonce handed out for `key`; resolves once it is durable. */
  save(key: string, nonce: bigint): Promise<void>;
}

/** A {@link NonceStore} in memory: survives a new `NonceSource`, not a new process. */
export class MemoryNonceStore implements NonceStore {
  private readonly values = new Map<string, bigint>();

  /** The last nonce saved for `key`. */
  async load(key: string): Promise<bigint | undefined> {
    return this.values.get(key);
  }

  /** Saves the last nonce handed out for `key`. */
  async save(key: string, nonce: bigint): Promise<void> {
    this.values.set(key, nonce);
  }
}

/**
 * A {@link NonceStore} in one JSON file (`{ "<key>": "<nonce>" }`), written to a
 * temporary file and renamed over the old one so a crash mid-write leaves the
 * previous value, never a torn file. Writes are serialised.
 */
export class FileNonceStore implements NonceStore {
  private cache: Map<string, bigint> | undefined;
  private writing: Promise<void> = Promise.resolve();

  /** @param path the JSON file; created (with its folder) on the first save. */
  constructor(private readonly path: string) {}

  /** The last nonce saved for `key`. */
  async load(key: string): Promise<bigint | undefined> {
    return (await this.read()).get(key);
  }

  /** Saves the last nonce handed out for `key`; resolves once the file is renamed into place. */
  async save(key: string, nonce: bigint): Promise<void> {
    const values = await this.read();
    values.set(key, nonce);
    const text = JSON.stringify(Object.fromEntries([...values].map(([k, v]) => [k, v.toString()])));
    const write = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, this.path);
    });
    // A failed write must not block later ones; the caller still sees its own failure.
    this.writing = write.catch(() => undefined); // the caller awaits `write` itself and sees the failure
    await write;
  }

  private async read(): Promise<Map<string, bigint>> {
    if (this.cache) return this.cache;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.cache = new Map();
      return this.cache;
    }
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new HbError('malformed_message', `nonce file ${this.path} is not a JSON object`, {
        retryable: false,
      });
    }
    const values = new Map<string, bigint>();
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v !== 'string' || !/^\d+$/.test(v)) {
        throw new HbError('malformed_message', `nonce file ${this.path}: bad value for ${k}`, {
          retryable: false,
        });
      }
      values.set(k, BigInt(v));
    }
    this.cache = values;
    return values;
  }
}

/** Options of {@link NonceSource}. */
export interface NonceSourceOptions {
  /** Where the last nonce of each key is saved. Default: in memory. */
  readonly store?: NonceStore;
  /**
   * The least nonce the venue accepts for a key right now: a clock for
   * time-based nonces (ms or µs since epoch), the account's pending
   * transaction count on Ethereum. Default 0.
   */
  readonly floor?: (key: string) => bigint | Promise<bigint>;
}

/** Options of one {@link NonceSource.withNonce} call. */
export interface WithNonceOptions {
  /**
   * Whether a failure of `use` proves the nonce was never consumed (the request
   * was refused before the venue recorded it). Such a nonce is handed out again
   * next, so an Ethereum account is not left with a gap. Default: never.
   */
  readonly releaseOnError?: (error: unknown) => boolean;
}

/**
 * Strictly increasing nonces per key (an API key, an Ethereum address), for
 * venues that refuse a nonce not above the last one. Calls for one key are
 * serialised, so requests leave in nonce order; each nonce is saved before it
 * is used, so a restart continues above it. Different keys do not wait for
 * each other.
 */
export class NonceSource {
  private readonly store: NonceStore;
  private readonly floor: (key: string) => bigint | Promise<bigint>;
  /** Per key, the end of the queue of calls holding or waiting for its nonce. */
  private readonly tails = new Map<string, Promise<void>>();
  /** Per key, the last nonce handed out in this process (the store's copy is read once). */
  private readonly last = new Map<string, bigint>();
  /** Per key, a value the next nonce must exceed (the venue said "nonce too low"). */
  private readonly minimums = new Map<string, bigint>();

  constructor(options: NonceSourceOptions = {}) {
    this.store = options.store ?? new MemoryNonceStore();
    this.floor = options.floor ?? (() => 0n);
  }

  /**
   * Runs `use` with the next nonce of `key`, holding the key until `use`
   * settles: the next caller for the key gets a higher nonce, after this one's
   * request is out. The nonce is saved before `use` runs.
   */
  async withNonce<T>(
    key: string,
    use: (nonce: bigint) => Promise<T>,
    options: WithNonceOptions = {},
  ): Promise<T> {
    return this.exclusive(key, async () => {
      const nonce = await this.allocate(key);
      try {
        return await use(nonce);
      } catch (e) {
        if (options.releaseOnError?.(e) === true && this.last.get(key) === nonce) {
          // Nothing used it and nobody else holds the key: hand it out again.
          this.last.set(key, nonce - 1n);
          await this.store.save(key, nonce - 1n);
        }
        throw e;
      }
    });
  }

  /** The next nonce of `key`, saved before it is returned (for callers that only need uniqueness). */
  async next(key: string): Promise<bigint> {
    return this.exclusive(key, () => this.allocate(key));
  }

  /**
   * Notes that the venue has seen nonces up to `used` for `key` (an answer
   * like "nonce too low", or transactions sent by another tool): the next
   * nonce is above it.
   */
  async noteUsed(key: string, used: bigint): Promise<void> {
    const m = this.minimums.get(key);
    if (m === undefined || used > m) this.minimums.set(key, used);
  }

  /** The last nonce handed out for `key` (from the store after a restart), if any. */
  async peekLast(key: string): Promise<bigint | undefined> {
    return this.exclusive(key, () => this.lastOf(key));
  }

  private async allocate(key: string): Promise<bigint> {
    const last = await this.lastOf(key);
    const floor = await this.floor(key);
    const minimum = this.minimums.get(key);
    let nonce = floor;
    if (last !== undefined && last + 1n > nonce) nonce = last + 1n;
    if (minimum !== undefined && minimum + 1n > nonce) nonce = minimum + 1n;
    if (nonce < 0n) nonce = 0n;
    // Saved first: a crash after this point can only skip a nonce, never reuse one.
    await this.store.save(key, nonce);
    this.last.set(key, nonce);
    return nonce;
  }

  private async lastOf(key: string): Promise<bigint | undefined> {
    if (this.last.has(key)) return this.last.get(key);
    const saved = await this.store.load(key);
    if (saved !== undefined) this.last.set(key, saved);
    return saved;
  }

  /** Runs `task` after every earlier task of `key` has settled. */
  private exclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget the queue once it drains, so idle keys hold no memory.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }
}
