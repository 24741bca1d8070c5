// `hb connect`: API keys stored once, encrypted with a password. One file per
// exchange under the hb home (`$HB_HOME`, default `~/.hb`), `keys/<exchange>.json`,
// mode 0600 in a 0700 folder. The key is derived with scrypt (salted, N=2^15) and the
// credentials sealed with AES-256-GCM, both from node:crypto, so a wrong password or
// a modified file fails authentication instead of yielding garbage.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorCredentials } from './contracts.js';
import type { CredentialField } from './credentials.js';
import { CliError } from './errors.js';

/** The env var holding the key-store password, for scripts (a prompt is used otherwise). */
export const PASSWORD_ENV = 'HB_PASSWORD';
/** The env var that moves the hb home folder (default `~/.hb`). */
export const HOME_ENV = 'HB_HOME';

/** scrypt cost: 2^15 iterations, block size 8 (about 32 MiB, a few tens of ms). */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, keyLength: 32, maxmem: 64 * 1024 * 1024 } as const;

/** The file as stored: everything needed to decrypt, except the password. */
interface KeyFile {
  readonly version: 1;
  readonly exchange: string;
  readonly kdf: {
    readonly name: 'scrypt';
    readonly N: number;
    readonly r: number;
    readonly p: number;
    readonly salt: string;
  };
  readonly cipher: {
    readonly name: 'aes-256-gcm';
    readonly iv: string;
    readonly tag: string;
    readonly data: string;
  };
}

/** The folder key files live in. */
export function keyStoreDir(env: NodeJS.ProcessEnv): string {
  const home = env[HOME_ENV] !== undefined && env[HOME_ENV] !== '' ? env[HOME_ENV]! : join(homedir(), '.hb');
  return join(home, 'keys');
}

/** The key file of one exchange. */
export function keyFilePath(env: NodeJS.ProcessEnv, exchange: string): string {
  return join(keyStoreDir(env), `${exchange}.json`);
}

/** Whether keys are stored for `exchange`. */
export function hasStoredKeys(env: NodeJS.ProcessEnv, exchange: string): boolean {
  return existsSync(keyFilePath(env, exchange));
}

function deriveKey(password: string, salt: Buffer, kdf: { N: number; r: number; p: number }): Buffer {
  return scryptSync(password, salt, SCRYPT.keyLength, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: SCRYPT.maxmem,
  });
}

/** Encrypts `credentials` with `password` into the stored form. */
export function sealCredentials(
  exchange: string,
  credentials: ConnectorCredentials,
  password: string,
): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = deriveKey(password, salt, SCRYPT);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // The exchange name is authenticated too: a file renamed to another exchange fails.
  cipher.setAAD(Buffer.from(exchange, 'utf8'));
  const data = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  const file: KeyFile = {
    version: 1,
    exchange,
    kdf: { name: 'scrypt', N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString('base64') },
    cipher: {
      name: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    },
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Decrypts a stored form; a wrong password or a modified file is a CliError. */
export function openCredentials(exchange: string, text: string, password: string): ConnectorCredentials {
  let file: KeyFile;
  try {
    file = JSON.parse(text) as KeyFile;
  } catch {
    throw new CliError({ exchange, what: 'stored keys unreadable', detail: 'the key file is not JSON' });
  }
  if (file.version !== 1 || file.kdf?.name !== 'scrypt' || file.cipher?.name !== 'aes-256-gcm')
    throw new CliError({ exchange, what: 'stored keys unreadable', detail: 'unknown key file format' });
  let plain: string;
  try {
    const key = deriveKey(password, Buffer.from(file.kdf.salt, 'base64'), file.kdf);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.cipher.iv, 'base64'));
    decipher.setAAD(Buffer.from(exchange, 'utf8'));
    decipher.setAuthTag(Buffer.from(file.cipher.tag, 'base64'));
    plain = Buffer.concat([
      decipher.update(Buffer.from(file.cipher.data, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new CliError({
      exchange,
      what: 'stored keys not opened',
      detail: `wrong password (${PASSWORD_ENV} or the prompt), or the key file was modified`,
      exitCode: 3,
    });
  }
  const parsed = JSON.parse(plain) as Record<string, unknown>;
  const out: Partial<Record<CredentialField, string>> = {};
  for (const f of ['apiKey', 'apiSecret', 'passphrase', 'privateKey'] as const) {
    const v = parsed[f];
    if (typeof v === 'string' && v !== '') out[f] = v;
  }
  return out;
}

/** Writes the key file owner-only (0600, folder 0700), atomically. */
export function writeKeyFile(env: NodeJS.ProcessEnv, exchange: string, text: string): string {
  const dir = keyStoreDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const path = keyFilePath(env, exchange);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return path;
}

/** Reads a key file, refusing one that others can read (as ssh does). */
export function readKeyFile(env: NodeJS.ProcessEnv, exchange: string): string {
  const path = keyFilePath(env, exchange);
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new CliError({
      exchange,
      what: 'stored keys refused',
      detail: `${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 ${path}`,
    });
  return readFileSync(path, 'utf8');
}
