import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../src/errors.js';
import {
  hasStoredKeys,
  keyFilePath,
  openCredentials,
  readKeyFile,
  sealCredentials,
  writeKeyFile,
} from '../src/keystore.js';

const CREDS = { apiKey: 'key-123456', apiSecret: 'secret-abcdef', passphrase: 'pass-xyz' };

describe('key store (scrypt + AES-256-GCM)', () => {
  it('round-trips with the right password, never holds the keys in clear', () => {
    const text = sealCredentials('coinbase-pro', CREDS, 'a long password');
    for (const v of Object.values(CREDS)) expect(text).not.toContain(v);
    expect(openCredentials('coinbase-pro', text, 'a long password')).toEqual(CREDS);
  });

  it('salts: the same keys and password seal differently each time', () => {
    expect(sealCredentials('binance', CREDS, 'pw-pw-pw-pw')).not.toBe(
      sealCredentials('binance', CREDS, 'pw-pw-pw-pw'),
    );
  });

  it('a wrong password, a modified file or another exchange name fails authentication', () => {
    const text = sealCredentials('binance', CREDS, 'right password');
    expect(() => openCredentials('binance', text, 'wrong password')).toThrow(CliError);
    const file = JSON.parse(text) as { cipher: { data: string } };
    const bytes = Buffer.from(file.cipher.data, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    file.cipher.data = bytes.toString('base64');
    expect(() => openCredentials('binance', JSON.stringify(file), 'right password')).toThrow(
      /wrong password/,
    );
    expect(() => openCredentials('huobi', text, 'right password')).toThrow(/wrong password/);
  });

  it('writes owner-only under HB_HOME and refuses a file others can read', () => {
    const home = mkdtempSync(join(tmpdir(), 'hb-ks-'));
    try {
      const env = { HB_HOME: home };
      expect(hasStoredKeys(env, 'binance')).toBe(false);
      const path = writeKeyFile(env, 'binance', sealCredentials('binance', CREDS, 'password!'));
      expect(path).toBe(keyFilePath(env, 'binance'));
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(hasStoredKeys(env, 'binance')).toBe(true);
      expect(openCredentials('binance', readKeyFile(env, 'binance'), 'password!')).toEqual(CREDS);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
