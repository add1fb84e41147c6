// SSH material checks as az does them (§3.7 known_hosts, §3.8 private key), plus the base64 helpers az's inputs need.
import { createPrivateKey } from 'node:crypto';
import { UsageError } from '../errors.js';

export const KNOWN_HOSTS_BASE64_ERROR = 'Error! ssh known_hosts is not a valid utf-8 base64 encoded string';
export const KNOWN_HOSTS_BASE64_HELP = 'Verify that the string provided safely decodes into a valid utf-8 format';
export const KNOWN_HOSTS_FORMAT_ERROR = 'Error! ssh known_hosts provided in wrong format';
export const KNOWN_HOSTS_FORMAT_HELP =
  'Verify that all lines in the known_hosts contents are provided in a valid sshd(8) format';
export const SSH_PRIVATE_KEY_ERROR = 'Error! --ssh-private-key provided in invalid format';
export const SSH_PRIVATE_KEY_HELP =
  'Verify the key provided is a valid PEM-formatted key of type RSA, ECC, DSA, or Ed25519';

/** Python's base64.b64decode (non-strict): characters outside the alphabet are dropped, padding must be right. */
export function decodeBase64(value: string): Buffer | undefined {
  const cleaned = value.replace(/[^A-Za-z0-9+/=]/g, '');
  if (cleaned.length % 4 !== 0) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(cleaned)) return undefined;
  return Buffer.from(cleaned, 'base64');
}

/** Decodes base64 into UTF-8 text; undefined when either step fails. */
export function decodeBase64Text(value: string): string | undefined {
  const bytes = decodeBase64(value);
  if (!bytes) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

const HOST_KEY_TYPES = new Set([
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
]);

/** Reads an SSH wire-format string at `offset`; undefined when it runs past the end. */
function readSshString(buf: Buffer, offset: number): { value: Buffer; next: number } | undefined {
  if (offset + 4 > buf.length) return undefined;
  const len = buf.readUInt32BE(offset);
  const end = offset + 4 + len;
  if (end > buf.length) return undefined;
  return { value: buf.subarray(offset + 4, end), next: end };
}

/** One known_hosts entry as paramiko's HostKeyEntry.from_line reads it: `hosts keytype base64-key [comment]`. */
export function isKnownHostsLine(line: string): boolean {
  const fields = line.split(/[ \t]+/).filter((f) => f !== '');
  if (fields.length < 3) return false;
  const [hosts, keyType, key] = fields as [string, string, string];
  if (hosts.startsWith('@')) return false; // markers (@cert-authority, @revoked) are not understood by paramiko
  if (!HOST_KEY_TYPES.has(keyType)) return false;
  const blob = decodeBase64(key);
  if (!blob || blob.length === 0) return false;
  const type = readSshString(blob, 0);
  return type !== undefined && type.value.toString('latin1') === keyType;
}

/** az §3.7 on known_hosts TEXT (already decoded): blank lines and `#` comments skipped, every other line checked. */
export function validateKnownHostsText(text: string): void {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^ +| +$/g, '');
    if (line.length === 0 || line.startsWith('#')) continue;
    if (!isKnownHostsLine(line)) throw new UsageError(KNOWN_HOSTS_FORMAT_ERROR, { hint: KNOWN_HOSTS_FORMAT_HELP });
  }
}

/** az §3.7 on the base64 value az sends; returns the decoded text. */
export function validateKnownHostsBase64(value: string): string {
  const text = decodeBase64Text(value);
  if (text === undefined) throw new UsageError(KNOWN_HOSTS_BASE64_ERROR, { hint: KNOWN_HOSTS_BASE64_HELP });
  validateKnownHostsText(text);
  return text;
}

const OPENSSH_BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const OPENSSH_END = '-----END OPENSSH PRIVATE KEY-----';
const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

/** Structural check of an OpenSSH-format private key (PROTOCOL.key): magic, cipher, kdf, one public key, private part. */
export function isOpenSshPrivateKey(text: string): boolean {
  const begin = text.indexOf(OPENSSH_BEGIN);
  const end = text.indexOf(OPENSSH_END);
  if (begin === -1 || end === -1 || end < begin) return false;
  const body = text.slice(begin + OPENSSH_BEGIN.length, end).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return false;
  const buf = Buffer.from(body, 'base64');
  if (buf.length < OPENSSH_MAGIC.length || !buf.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) return false;
  let offset = OPENSSH_MAGIC.length;
  for (let i = 0; i < 3; i++) {
    // ciphername, kdfname, kdfoptions
    const s = readSshString(buf, offset);
    if (!s) return false;
    offset = s.next;
  }
  if (offset + 4 > buf.length) return false;
  const count = buf.readUInt32BE(offset);
  offset += 4;
  if (count < 1) return false;
  for (let i = 0; i < count; i++) {
    const pub = readSshString(buf, offset);
    if (!pub || pub.value.length === 0) return false;
    offset = pub.next;
  }
  const priv = readSshString(buf, offset);
  return priv !== undefined && priv.value.length > 0 && priv.next === buf.length;
}

/** A PEM key with `ENCRYPTED` (PKCS#8 or the legacy Proc-Type header), or an OpenSSH key with a cipher. */
export function isPassphraseProtected(text: string): boolean {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /Proc-Type:\s*4,ENCRYPTED/.test(text)) return true;
  const begin = text.indexOf(OPENSSH_BEGIN);
  const end = text.indexOf(OPENSSH_END);
  if (begin === -1 || end < begin) return false;
  const buf = Buffer.from(text.slice(begin + OPENSSH_BEGIN.length, end).replace(/\s+/g, ''), 'base64');
  if (!buf.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) return false;
  const cipher = readSshString(buf, OPENSSH_MAGIC.length);
  return cipher !== undefined && cipher.value.toString('latin1') !== 'none';
}

/**
 * az §3.8 on the decoded key bytes: PEM (PKCS#1, PKCS#8, SEC1, DSA), DER, or OpenSSH format.
 * Returns the key as text for the Secret (DER is re-encoded as PKCS#8 PEM); throws the az error otherwise.
 */
export function checkPrivateKey(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (isPassphraseProtected(text)) {
    throw new UsageError('Error! --ssh-private-key is protected by a passphrase', {
      hint: "Flux cannot use a passphrase-protected key: remove the passphrase (ssh-keygen -p -N '' -f <key file>)",
    });
  }
  if (text.includes(OPENSSH_BEGIN)) {
    if (isOpenSshPrivateKey(text)) return text;
    throw new UsageError(SSH_PRIVATE_KEY_ERROR, { hint: SSH_PRIVATE_KEY_HELP });
  }
  if (text.includes('-----BEGIN ')) {
    try {
      createPrivateKey({ key: text, format: 'pem' });
      return text;
    } catch {
      throw new UsageError(SSH_PRIVATE_KEY_ERROR, { hint: SSH_PRIVATE_KEY_HELP });
    }
  }
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      const key = createPrivateKey({ key: bytes, format: 'der', type });
      return key.export({ format: 'pem', type: 'pkcs8' }).toString();
    } catch {
      // next
    }
  }
  throw new UsageError(SSH_PRIVATE_KEY_ERROR, { hint: SSH_PRIVATE_KEY_HELP });
}
