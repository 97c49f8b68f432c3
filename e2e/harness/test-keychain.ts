/**
 * TEST-ONLY keychain for the browser harness: stands in for Electron's safeStorage with a reversible transform
 * (a marker, then the bytes reversed and XORed). It protects nothing; it only makes sure the saved file never holds
 * the password's bytes in clear, as a real keychain would. Never used by the app.
 */
import type { Keychain } from '../../src/main/app/team-store-config';

const MARK = Buffer.from('TEST-ONLY-KEYCHAIN:');

export const testKeychain: Keychain = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.concat([MARK, Buffer.from(Buffer.from(s, 'utf8').reverse().map((b) => b ^ 0x2c))]),
  decryptString: (b) => {
    if (!b.subarray(0, MARK.length).equals(MARK)) throw new Error('not encrypted by the TEST-ONLY keychain');
    return Buffer.from(Buffer.from(b.subarray(MARK.length)).map((x) => x ^ 0x2c).reverse()).toString('utf8');
  },
};
