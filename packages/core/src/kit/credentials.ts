// A holder for API secrets that cannot be printed by accident. Every secret
// lives in a private field; the only way out is `reveal`, which a signer calls
// at the moment it signs. String conversion, JSON, util.inspect and error
// messages built with `redact` show a mask instead.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { HbError } from '../errors/hb-error.js';

/** The credential fields connectors use (the names of `ConnectorCredentials`). */
export type CredentialField = 'apiKey' | 'apiSecret' | 'passphrase' | 'privateKey';

/** Raw credential values, as a user or the CLI hands them over. */
export type CredentialValues = Readonly<Partial<Record<CredentialField, string | undefined>>>;

/** The mask shown in place of a secret. */
export const SECRET_MASK = '****';

/**
 * The public hint of an API key: its first four characters, enough to tell two
 * keys apart in a log, or a bare mask for a key too short to hint at safely.
 */
export function maskApiKey(key: string): string {
  return key.length <= 8 ? SECRET_MASK : `${key.slice(0, 4)}${SECRET_MASK}`;
}

/**
 * A connector's credentials: which fields it needs is the connector's
 * business, that none of them can be printed is core's.
 */
export class Credentials {
  readonly #values: ReadonlyMap<CredentialField, string>;
  /** The exchange these keys belong to (for messages). */
  readonly exchange: string;

  /**
   * Refuses a missing or empty required field with an `authentication` error
   * that names the field, never its value.
   */
  constructor(exchange: string, values: CredentialValues, required: readonly CredentialField[]) {
    const missing = required.filter((f) => (values[f] ?? '') === '');
    if (missing.length > 0) {
      throw new HbError('authentication', `${exchange}: credential ${missing.join(', ')} required`, {
        exchange,
        retryable: false,
      });
    }
    const map = new Map<CredentialField, string>();
    for (const [k, v] of Object.entries(values) as [CredentialField, string | undefined][]) {
      if (v !== undefined && v !== '') map.set(k, v);
    }
    this.#values = map;
    this.exchange = exchange;
  }

  /**
   * Credentials when the user gave any of the required fields, undefined when
   * they gave none (public data only). Some but not all is an error: a half
   * configured account must not quietly run without its keys.
   */
  static optional(
    exchange: string,
    values: CredentialValues | undefined,
    required: readonly CredentialField[],
  ): Credentials | undefined {
    if (values === undefined || required.every((f) => (values[f] ?? '') === '')) return undefined;
    return new Credentials(exchange, values, required);
  }

  /** Whether a field is set. */
  has(field: CredentialField): boolean {
    return this.#values.has(field);
  }

  /** The plain value of a field, for a signer at signing time. Throws when the field is not set. */
  reveal(field: CredentialField): string {
    const v = this.#values.get(field);
    if (v === undefined) {
      throw new HbError('authentication', `${this.exchange}: credential ${field} is not set`, {
        exchange: this.exchange,
        retryable: false,
      });
    }
    return v;
  }

  /** An HMAC key object of a secret field (`utf8` text or `base64` as issued). */
  secretKey(field: CredentialField, encoding: 'utf8' | 'base64' = 'utf8'): KeyObject {
    return createSecretKey(Buffer.from(this.reveal(field), encoding));
  }

  /** The key's public hint (first characters and a mask). */
  get apiKeyHint(): string {
    const key = this.#values.get('apiKey');
    return key === undefined ? SECRET_MASK : maskApiKey(key);
  }

  /** `text` with every credential value replaced by the mask: for messages that quote a request. */
  redact(text: string): string {
    let out = text;
    for (const v of this.#values.values()) if (v.length >= 4) out = out.split(v).join(SECRET_MASK);
    return out;
  }

  /** Safe description: never a secret, and only a hint of the key. */
  toString(): string {
    return `Credentials(${this.exchange}, apiKey=${this.apiKeyHint}, fields=${[...this.#values.keys()].join('+')})`;
  }

  /** Safe JSON form. */
  toJSON(): Record<string, string> {
    return { type: 'Credentials', exchange: this.exchange, apiKey: this.apiKeyHint };
  }

  /** Safe `util.inspect` / console.log form. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * The base of a connector's signer: holds the {@link Credentials} and the
 * exchange clock, and prints as a mask. Subclasses add the exchange's signing
 * rule and read secrets only through `credentials.reveal` / `secretKey`.
 */
export abstract class CredentialedAuth {
  /** The keys this signer signs with. */
  protected readonly credentials: Credentials;
  /** The exchange's clock in ms (core's `ServerTimeSync.now()`). */
  protected readonly serverTime: () => number;

  protected constructor(credentials: Credentials, serverTime: () => number) {
    this.credentials = credentials;
    this.serverTime = serverTime;
  }

  /** The signer's name in safe descriptions (`BinanceAuth`). */
  protected abstract get authName(): string;

  /** Safe description: never a secret, and only a hint of the key. */
  toString(): string {
    return `${this.authName}(apiKey=${this.credentials.apiKeyHint})`;
  }

  /** Safe JSON form (same as {@link toString}). */
  toJSON(): Record<string, string> {
    return { type: this.authName, apiKey: this.credentials.apiKeyHint };
  }

  /** Safe `util.inspect` / console.log form. */
  [inspect.custom](): string {
    return this.toString();
  }
}
