// Keys come from the environment or from a config file only (never from argv, where
// they would land in shell history and `ps`), and every value read is also handed
// to the output scrubber so it cannot be printed.
import { readFileSync, statSync } from 'node:fs';
import type { ConnectorCredentials } from './contracts.js';
import { CliError } from './errors.js';

/** A credential field of core's `ConnectorCredentials`. */
export type CredentialField = keyof ConnectorCredentials;

/** The env var suffix of each credential field. */
const ENV_SUFFIX: Readonly<Record<CredentialField, string>> = {
  apiKey: 'API_KEY',
  apiSecret: 'API_SECRET',
  passphrase: 'PASSPHRASE',
  privateKey: 'PRIVATE_KEY',
  rpcUrl: 'RPC_URL',
};

const FIELDS: readonly CredentialField[] = ['apiKey', 'apiSecret', 'passphrase', 'privateKey', 'rpcUrl'];

/** `HB_<EXCHANGE>_`: the exchange upper-cased, dashes (and anything not alphanumeric) as underscores. */
export function envPrefix(exchange: string): string {
  return `HB_${exchange.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
}

/** The env var that holds one credential field of an exchange (`HB_COINBASE_PRO_API_KEY`). */
export function credentialEnvName(exchange: string, field: CredentialField): string {
  return `${envPrefix(exchange)}${ENV_SUFFIX[field]}`;
}

/** The credentials of an exchange found in the environment (only the fields that are set and non-empty). */
export function readEnvCredentials(exchange: string, env: NodeJS.ProcessEnv): ConnectorCredentials {
  const out: Partial<Record<CredentialField, string>> = {};
  for (const f of FIELDS) {
    const v = env[credentialEnvName(exchange, f)];
    if (v !== undefined && v !== '') out[f] = v;
  }
  return out;
}

/** True when no field is set. */
export function isEmptyCredentials(c: ConnectorCredentials): boolean {
  return FIELDS.every((f) => c[f] === undefined);
}

/**
 * Every credential value of any exchange in the environment (`HB_*_API_KEY`,
 * `_API_SECRET`, `_PASSPHRASE`, `_PRIVATE_KEY`, `_RPC_URL`: node URLs embed keys), to scrub from all output even
 * when the command uses another exchange's keys.
 */
export function secretValuesInEnv(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    if (/^HB_.+_(API_KEY|API_SECRET|PASSPHRASE|PRIVATE_KEY|RPC_URL)$/.test(name)) out.push(value);
  }
  return out;
}

/** Credentials per exchange name, as a config file holds them. */
export type ConfigCredentials = Readonly<Record<string, ConnectorCredentials>>;

/** What the config reader needs of the file system (injectable for tests). */
export interface ConfigFs {
  statMode(path: string): number;
  readText(path: string): string;
}

const nodeFs: ConfigFs = {
  statMode: (p) => statSync(p).mode,
  readText: (p) => readFileSync(p, 'utf8'),
};

/**
 * Reads a JSON config file `{ "<exchange>": { "apiKey": ..., "apiSecret": ..., "passphrase": ... } }`.
 * Refuses a file that group or others may access (as ssh does with keys): the
 * keys in it would be readable by other users of the machine.
 */
export function readConfigFile(
  path: string,
  fs: ConfigFs = nodeFs,
  platform: string = process.platform,
): ConfigCredentials {
  let mode: number;
  try {
    mode = fs.statMode(path);
  } catch (e) {
    throw new CliError({ what: `cannot read config file ${path}`, detail: errnoText(e) });
  }
  // Windows has no POSIX permission bits to check.
  if (platform !== 'win32' && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new CliError({
      what: `config file ${path} is readable by others (mode ${octal})`,
      detail: `refusing to use it; run: chmod 600 ${path}`,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readText(path));
  } catch (e) {
    // The parser's message may quote the file's content: never echo it.
    throw new CliError({
      what: `cannot read config file ${path}`,
      detail: e instanceof SyntaxError ? 'not valid JSON' : errnoText(e),
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError({
      what: `cannot read config file ${path}`,
      detail: 'expected an object keyed by exchange name',
    });
  }
  const out: Record<string, ConnectorCredentials> = {};
  for (const [exchange, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const creds: Partial<Record<CredentialField, string>> = {};
    for (const f of FIELDS) {
      const v = (entry as Record<string, unknown>)[f];
      if (typeof v === 'string' && v !== '') creds[f] = v;
    }
    out[exchange] = creds;
  }
  return out;
}

/** Every value in a config file, for the scrubber. */
export function secretValuesInConfig(config: ConfigCredentials): string[] {
  return Object.values(config).flatMap((c) =>
    FIELDS.map((f) => c[f]).filter((v): v is string => v !== undefined),
  );
}

/**
 * The credentials for an exchange: each field from the environment when set
 * there, else from the config file.
 */
export function resolveCredentials(
  exchange: string,
  env: NodeJS.ProcessEnv,
  config: ConfigCredentials | undefined,
): ConnectorCredentials {
  const fromEnv = readEnvCredentials(exchange, env);
  const fromFile = config?.[exchange] ?? {};
  const out: Partial<Record<CredentialField, string>> = {};
  for (const f of FIELDS) {
    const v = fromEnv[f] ?? fromFile[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

/** The required fields that are missing. */
export function missingFields(
  required: readonly CredentialField[],
  creds: ConnectorCredentials,
): CredentialField[] {
  return required.filter((f) => creds[f] === undefined || creds[f] === '');
}

/** The `missing keys` failure, naming the env vars to set. */
export function missingKeysError(exchange: string, missing: readonly CredentialField[]): CliError {
  const names = missing.map((f) => credentialEnvName(exchange, f));
  return new CliError({
    exchange,
    what: 'missing API keys',
    detail: `set ${names.join(', ')} (or run hb connect ${exchange}, pass --config FILE, or --sandbox to use the simulator)`,
  });
}

function errnoText(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return typeof code === 'string' ? code : 'unreadable';
}
