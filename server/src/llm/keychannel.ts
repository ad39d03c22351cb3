import * as crypto from 'node:crypto';

/*
 * The LLM API key travels from the extension to the language server sealed with AES-256-GCM
 * under a per-session channel key that the extension passes in the server's environment. JSON-RPC
 * traces ("rampart.trace.server": "verbose") then show only ciphertext.
 */

export const KEY_CHANNEL_ENV = 'RAMPART_KEY_CHANNEL';

export function newChannelKey(): string {
  return crypto.randomBytes(32).toString('hex');
}

function keyBytes(channel: string): Buffer {
  const k = Buffer.from(channel, 'hex');
  if (k.length !== 32) throw new Error('the key channel is not set up');
  return k;
}

export function sealKey(channel: string, apiKey: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', keyBytes(channel), iv);
  const body = Buffer.concat([c.update(apiKey, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
}

export function unsealKey(channel: string, sealed: string): string {
  const buf = Buffer.from(sealed, 'base64');
  if (buf.length < 28) throw new Error('the sealed key is malformed');
  const d = crypto.createDecipheriv('aes-256-gcm', keyBytes(channel), buf.subarray(0, 12));
  d.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
}
