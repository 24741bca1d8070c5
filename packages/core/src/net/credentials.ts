// Holders for API credentials that cannot be printed by accident. A secret kept
// in a plain property shows up in `util.inspect(market)`, `console.log`, a JSON
// dump of options or an error's cause chain; these classes keep the value in an
// ECMAScript private field (invisible to inspect, JSON and Object.keys) and give
// every printing path a mask. Reading the value is an explicit `reveal()` call,
// which only signers make.
import { HbError } from '../errors/hb-error.js';

/** What every printing path of a {@link Secret} or {@link Credentials} shows instead of a secret. */
export const SECRET_MASK = '***';

/** `util.inspect`'s hook, without importing node:util into core's browser-safe code. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * One secret value (API secret, passphrase, private key). `toString`, `toJSON`,
 * template literals and `util.inspect` all show {@link SECRET_MASK}; only
 * {@link reveal} returns the value.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself: for signers only, never for messages or logs. */
  reveal(): string {
    return this.#value;
  }

  /** True when the secret is the empty string. */
  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  /** The mask. */
  toString(): string {
    return SECRET_MASK;
  }

  /** The mask, so `JSON.stringify` of anything holding a Secret shows no secret. */
  toJSON(): string {
    return SECRET_MASK;
  }

  /** The mask, for `util.inspect` and `console.log`. */
  [INSPECT](): string {
    return `Secret(${SECRET_MASK})`;
  }

  /** `${secret}` and `+secret` give the mask, never the value. */
  [Symbol.toPrimitive](): string {
    return SECRET_MASK;
  }
}

/** What {@link Credentials} is built from. */
export interface CredentialsInit {
  /** The API key: an identifier, shown in logs only as its first characters. */
  readonly apiKey: string;
  /** The API secret. */
  readonly secret: string | Secret;
  /** The passphrase, on exchanges that have one (Coinbase). */
  readonly passphrase?: string | Secret;
}

/**
 * An exchange account's API credentials. The key is kept in a private field too
 * (it is not a secret, but a full key in a shared log invites abuse); printing
 * shows its first four characters and masks the rest.
 */
export class Credentials {
  readonly #apiKey: string;
  readonly #secret: Secret;
  readonly #passphrase: Secret | undefined;

  constructor(init: CredentialsInit) {
    this.#apiKey = init.apiKey;
    this.#secret = init.secret instanceof Secret ? init.secret : new Secret(init.secret);
    this.#passphrase =
      init.passphrase === undefined
        ? undefined
        : init.passphrase instanceof Secret
          ? init.passphrase
          : new Secret(init.passphrase);
  }

  /**
   * Credentials from optional fields (market options): undefined when neither
   * key nor secret is given; a typed `authentication` error when only one is.
   */
  static fromOptional(
    exchange: string,
    init: { apiKey?: string; secret?: string | Secret; passphrase?: string | Secret },
  ): Credentials | undefined {
    const hasKey = init.apiKey !== undefined && init.apiKey !== '';
    const hasSecret =
      init.secret !== undefined &&
      !(init.secret instanceof Secret ? init.secret.isEmpty : init.secret === '');
    if (!hasKey && !hasSecret) return undefined;
    if (!hasKey || !hasSecret) {
      throw new HbError('authentication', `${exchange}: both an API key and a secret are needed`, {
        exchange,
        retryable: false,
      });
    }
    return new Credentials({ apiKey: init.apiKey!, secret: init.secret!, passphrase: init.passphrase });
  }

  /** The API key (sent in headers; not a secret, but not printed whole either). */
  get apiKey(): string {
    return this.#apiKey;
  }

  /** The secret, wrapped: call `reveal()` only to sign. */
  get secret(): Secret {
    return this.#secret;
  }

  /** The passphrase, wrapped, when the exchange has one. */
  get passphrase(): Secret | undefined {
    return this.#passphrase;
  }

  /** The key's first characters and masks: enough to tell accounts apart in logs. */
  toString(): string {
    const p = this.#passphrase === undefined ? '' : `, passphrase=${SECRET_MASK}`;
    return `Credentials(apiKey=${maskApiKey(this.#apiKey)}, secret=${SECRET_MASK}${p})`;
  }

  /** Masked JSON form. */
  toJSON(): Record<string, string> {
    const json: Record<string, string> = { apiKey: maskApiKey(this.#apiKey), secret: SECRET_MASK };
    if (this.#passphrase !== undefined) json['passphrase'] = SECRET_MASK;
    return json;
  }

  /** Masked `util.inspect` form. */
  [INSPECT](): string {
    return this.toString();
  }
}

/** First four characters of an API key, then a mask; short keys are masked whole. */
export function maskApiKey(key: string): string {
  return key.length <= 8 ? SECRET_MASK : `${key.slice(0, 4)}${SECRET_MASK}`;
}
