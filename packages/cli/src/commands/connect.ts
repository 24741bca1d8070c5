// `hb connect <exchange>`: asks for the connector's keys with hidden input and
// stores them encrypted with a password (see keystore.ts). Every command then uses
// them when the environment does not set the keys.
import type { ParsedCommand } from '../args.js';
import type { CredentialField } from '../credentials.js';
import { CliError } from '../errors.js';
import { PASSWORD_ENV, sealCredentials, writeKeyFile } from '../keystore.js';
import { findConnector, type CliContext } from '../session.js';

type Cmd<K extends ParsedCommand['command']> = Extract<ParsedCommand, { command: K }>;

/** How each credential field is asked for. */
const FIELD_LABEL: Readonly<Record<CredentialField, string>> = {
  apiKey: 'API key',
  apiSecret: 'API secret',
  passphrase: 'API passphrase',
  privateKey: 'private key (hex)',
  rpcUrl: 'Ethereum node URL',
};

/** The shortest password accepted for a new key store. */
const MIN_PASSWORD_LENGTH = 8;

/** `hb connect`: prompts, encrypts, writes the key file (0600), and says where. */
export async function runConnect(ctx: CliContext, cmd: Cmd<'connect'>): Promise<number> {
  const connector = await findConnector(ctx, cmd.exchange);
  const name = connector.descriptor.name;
  const fields = connector.descriptor.credentialFields as readonly CredentialField[];
  if (fields.length === 0) {
    ctx.out.line(`${name} needs no keys`);
    return 0;
  }
  const prompt = ctx.prompt();
  const creds: Partial<Record<CredentialField, string>> = {};
  for (const f of fields) {
    const v = (await prompt.ask(`${name} ${FIELD_LABEL[f]}: `)).trim();
    if (v === '') throw new CliError({ exchange: name, what: `no ${FIELD_LABEL[f]} given`, exitCode: 2 });
    creds[f] = v;
    ctx.out.addSecrets([v]);
  }
  let password = ctx.env[PASSWORD_ENV];
  if (password === undefined || password === '') {
    password = await prompt.ask('password to encrypt the keys with: ');
    const again = await prompt.ask('the same password again: ');
    if (again !== password) throw new CliError({ exchange: name, what: 'passwords differ', exitCode: 2 });
  }
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new CliError({
      exchange: name,
      what: 'password too short',
      detail: `use at least ${MIN_PASSWORD_LENGTH} characters`,
      exitCode: 2,
    });
  ctx.out.addSecrets([password]);
  const path = writeKeyFile(ctx.env, name, sealCredentials(name, creds, password));
  if (cmd.options.json) ctx.out.record({ exchange: name, stored: path, fields });
  else
    ctx.out.line(
      `${name} keys stored encrypted in ${path} (owner-only); commands use them when ${PASSWORD_ENV} or the prompt gives the password`,
    );
  return 0;
}
