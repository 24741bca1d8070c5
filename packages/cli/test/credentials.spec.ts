import {
  credentialEnvName,
  envPrefix,
  missingFields,
  missingKeysError,
  readConfigFile,
  readEnvCredentials,
  resolveCredentials,
  secretValuesInEnv,
  type ConfigFs,
} from '../src/credentials.js';
import { CliError, formatErrorLine } from '../src/errors.js';

function fakeFs(mode: number, text: string): ConfigFs {
  return { statMode: () => 0o100000 | mode, readText: () => text };
}

describe('env key names', () => {
  it('upper-cases the exchange and turns dashes into underscores', () => {
    expect(envPrefix('binance')).toBe('HB_BINANCE_');
    expect(credentialEnvName('coinbase-pro', 'apiKey')).toBe('HB_COINBASE_PRO_API_KEY');
    expect(credentialEnvName('coinbase-pro', 'apiSecret')).toBe('HB_COINBASE_PRO_API_SECRET');
    expect(credentialEnvName('coinbase-pro', 'passphrase')).toBe('HB_COINBASE_PRO_PASSPHRASE');
    expect(credentialEnvName('radar-relay', 'privateKey')).toBe('HB_RADAR_RELAY_PRIVATE_KEY');
  });

  it('reads only the exchange own, non-empty variables', () => {
    const env = {
      HB_COINBASE_PRO_API_KEY: 'k',
      HB_COINBASE_PRO_API_SECRET: '',
      HB_COINBASE_PRO_PASSPHRASE: 'p',
      HB_BINANCE_API_KEY: 'other',
    };
    expect(readEnvCredentials('coinbase-pro', env)).toEqual({ apiKey: 'k', passphrase: 'p' });
  });

  it('collects every hb credential value in the environment for the scrubber', () => {
    const env = {
      HB_BINANCE_API_SECRET: 's1',
      HB_X_Y_PASSPHRASE: 'p2',
      HB_BINANCE_API_KEY: 'k3',
      HB_DEBUG: 'no',
      PATH: '/bin',
    };
    expect(secretValuesInEnv(env).sort()).toEqual(['k3', 'p2', 's1']);
  });

  it('names the missing variables in the error', () => {
    const creds = { apiKey: 'k' };
    const missing = missingFields(['apiKey', 'apiSecret'], creds);
    expect(missing).toEqual(['apiSecret']);
    expect(formatErrorLine(missingKeysError('binance', missing))).toBe(
      'hb: binance: missing API keys: set HB_BINANCE_API_SECRET (or run hb connect binance, pass --config FILE, or --sandbox to use the simulator)',
    );
  });
});

describe('config file', () => {
  const json = JSON.stringify({ binance: { apiKey: 'file-key', apiSecret: 'file-secret' } });

  it('reads keys from a file only its owner can read', () => {
    expect(readConfigFile('/k.json', fakeFs(0o600, json), 'linux')).toEqual({
      binance: { apiKey: 'file-key', apiSecret: 'file-secret' },
    });
    expect(readConfigFile('/k.json', fakeFs(0o400, json), 'linux')).toHaveProperty('binance');
  });

  it.each([0o644, 0o640, 0o604, 0o660, 0o606])('refuses a file with mode %o', (mode) => {
    let error: unknown;
    try {
      readConfigFile('/k.json', fakeFs(mode, json), 'linux');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    const line = formatErrorLine(error);
    expect(line).toMatch(
      /^hb: config file \/k\.json is readable by others \(mode 0\d{3}\): refusing to use it; run: chmod 600 \/k\.json$/,
    );
    expect(line).not.toContain('file-secret');
  });

  it('never echoes the content of a file it cannot parse', () => {
    let line = '';
    try {
      readConfigFile('/k.json', fakeFs(0o600, '{"binance": {"apiSecret": "leak-me"'), 'linux');
    } catch (e) {
      line = formatErrorLine(e);
    }
    expect(line).toBe('hb: cannot read config file /k.json: not valid JSON');
  });

  it('prefers the environment, field by field, over the file', () => {
    const config = { binance: { apiKey: 'file-key', apiSecret: 'file-secret' } };
    expect(resolveCredentials('binance', { HB_BINANCE_API_KEY: 'env-key' }, config)).toEqual({
      apiKey: 'env-key',
      apiSecret: 'file-secret',
    });
    expect(resolveCredentials('binance', {}, undefined)).toEqual({});
  });
});
