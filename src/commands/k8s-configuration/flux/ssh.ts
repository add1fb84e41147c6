// SSH material for git sources: a generated deploy key (as Flux and Azure do for SSH URLs without a key) and the
// server's host key through ssh-keyscan.
import { generateKeyPairSync } from 'node:crypto';
import { UserError } from '../../../errors.js';
import type { Exec } from '../../../exec.js';

export interface DeployKey {
  /** PEM (PKCS#1) private key, what goes into the Secret's `identity`. */
  readonly privateKey: string;
  /** `ssh-rsa AAAA... fluxcfg`, what the user adds as a deploy key. */
  readonly publicKey: string;
}

function sshString(buf: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

function mpint(b64url: string): Buffer {
  let bytes = Buffer.from(b64url, 'base64url');
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return sshString(bytes);
}

/**
 * RSA 3072 (RSA-SHA2 signatures): the one key type every git host takes, Azure DevOps included (it refuses
 * ECDSA and Ed25519 deploy keys).
 */
export function generateDeployKey(comment = 'fluxcfg'): DeployKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const jwk = publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)]);
  return {
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey: `ssh-rsa ${blob.toString('base64')} ${comment}`,
  };
}

/** Host and port of an SSH git URL: `ssh://[user@]host[:port]/path` or scp-like `user@host:path`. */
export function sshHostOf(url: string): { host: string; port: number } | undefined {
  if (url.startsWith('ssh://')) {
    const u = new URL(url);
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 22 };
  }
  const scp = /^[^@/]+@([^:/]+):/.exec(url);
  return scp ? { host: scp[1]!, port: 22 } : undefined;
}

export function isSshUrl(url: string): boolean {
  return sshHostOf(url) !== undefined;
}

/** known_hosts text for the git host, from ssh-keyscan (30 s, as flux does). */
export async function scanKnownHosts(exec: Exec, url: string): Promise<string> {
  const target = sshHostOf(url);
  if (!target || target.host.startsWith('-')) throw new UserError(`cannot tell the SSH host of ${url}`);
  const where = `${target.host}:${target.port}`;
  const argv = ['-T', '30', '-p', String(target.port), '--', target.host];
  const res = await exec('ssh-keyscan', argv, { timeoutMs: 40_000 });
  const lines = res.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  if (res.exitCode !== 0 || lines.length === 0)
    throw new UserError(
      `SSH key scan for host ${where} failed, error: ${
        res.stderr
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('#'))
          .join(' ') || 'no host key returned'
      }`,
      { hint: 'check the URL and that the host is reachable, or pass the host key with --known-hosts-file' },
    );
  return `${lines.join('\n')}\n`;
}
