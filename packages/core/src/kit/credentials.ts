// The signer side of core's Credentials holder: a base class for a
// connector's Auth that keeps the credentials private and prints as a mask, so
// no connector writes its own toString/toJSON/inspect again.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { HbError } from '../errors/hb-error.js';
import { Credentials, type Secret } from '../net/credentials.js';

/** `util.inspect`'s hook. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Raw credential fields as market options and the CLI carry them. */
export interface CredentialFields {
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly passphrase?: string;
}

/**
 * The account's credentials from market options: undefined when no key and no
 * secret were given (public data only); a typed `authentication` error when
 * only one is, or when the exchange needs a passphrase and none was given. A
 * half-configured account must not quietly run without its keys.
 */
export function credentialsFromFields(
  exchange: string,
  fields: CredentialFields | Credentials | undefined,
  needs: { readonly passphrase?: boolean } = {},
): Credentials | undefined {
  if (fields instanceof Credentials) return fields;
  if (fields === undefined) return undefined;
  const credentials = Credentials.fromOptional(exchange, {
    apiKey: fields.apiKey,
    secret: fields.apiSecret,
    passphrase: fields.passphrase === '' ? undefined : fields.passphrase,
  });
  if (credentials !== undefined && needs.passphrase === true && credentials.passphrase === undefined) {
    throw new HbError('authentication', `${exchange}: an API passphrase is needed with the key`, {
      exchange,
      retryable: false,
    });
  }
  return credentials;
}

/** An HMAC key of a secret: `utf8` text (Binance) or `base64` as issued (Coinbase). */
export function hmacKey(secret: Secret, encoding: 'utf8' | 'base64' = 'utf8'): KeyObject {
  return createSecretKey(Buffer.from(secret.reveal(), encoding));
}

/**
 * The base of a connector's signer: holds the {@link Credentials} and the
 * exchange clock, and prints as a mask. Subclasses add the exchange's signing
 * rule and read secrets only through `reveal()` at signing time.
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
    return `${this.authName}(apiKey=${maskedKey(this.credentials)})`;
  }

  /** Safe JSON form. */
  toJSON(): Record<string, string> {
    return { type: this.authName, apiKey: maskedKey(this.credentials) };
  }

  /** Safe `util.inspect` / console.log form. */
  [INSPECT](): string {
    return this.toString();
  }
}

function maskedKey(credentials: Credentials): string {
  return (credentials.toJSON()['apiKey'] as string | undefined) ?? '';
}

/**
 * The options without the key fields: what a market may keep for later (the
 * signer alone holds the keys, so nothing the market prints can show them).
 */
export function withoutCredentials<T extends CredentialFields>(options: T): Omit<T, keyof CredentialFields> {
  const { apiKey: _apiKey, apiSecret: _apiSecret, passphrase: _passphrase, ...rest } = options;
  return rest;
}
