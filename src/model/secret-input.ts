// Secret and certificate inputs of the source flags: az's get_data_from_key_or_file (inline value or a file, never
// both), known_hosts and private keys validated, base64 PEM values decoded. Files are read only through the
// injected ReadFile (the command passes fs.readFileSync utf8), so this stays testable without a disk.
import { UsageError, UserError } from '../errors.js';
import { checkPrivateKey, decodeBase64, toBase64, validateKnownHostsBase64 } from './ssh.js';
import { pretty, type SourceFlags, type SourceParam } from './source-kinds/params.js';
import { isPemCertificates } from './source-kinds/values.js';

/** Reads a file as UTF-8 text; throws on error. */
export type ReadFile = (path: string) => string;

const KEY_AND_FILE_ERROR = 'Error! Both textual key and key filepath cannot be provided';
const KEY_AND_FILE_HELP = 'Try providing the file parameter without providing the plaintext parameter';

/** az get_data_from_key_or_file: inline value as given, or the file's text (whitespace-stripped when `strip`). */
function keyOrFile(
  f: SourceFlags,
  key: SourceParam,
  file: SourceParam,
  readFile: ReadFile,
  strip: boolean,
): { inline?: string; text?: string } {
  const inline = f.str(key);
  const path = f.str(file);
  if (inline !== undefined && path !== undefined) throw new UsageError(KEY_AND_FILE_ERROR, { hint: KEY_AND_FILE_HELP });
  if (path !== undefined) {
    let text: string;
    try {
      text = readFile(path);
    } catch (err) {
      throw new UserError(`Error! Unable to read key file specified with: ${(err as Error).message ?? String(err)}`, {
        hint: 'Verify that the filepath specified exists and contains valid utf-8 data',
        cause: err,
      });
    }
    if (text.length === 0) {
      throw new UserError('Error! Unable to read key file specified with: File provided does not contain any data', {
        hint: 'Verify that the filepath specified exists and contains valid utf-8 data',
      });
    }
    return { text: strip ? text.trim() : text };
  }
  return inline !== undefined ? { inline } : {};
}

/** Known hosts (§3.7): returns the base64 the model stores, validated. */
export function readKnownHosts(f: SourceFlags, readFile: ReadFile): string | undefined {
  const { inline, text } = keyOrFile(f, 'known_hosts', 'known_hosts_file', readFile, true);
  const b64 = text !== undefined ? toBase64(text) : inline;
  if (b64 !== undefined) validateKnownHostsBase64(b64);
  return b64;
}

/** CA certificate: base64 as the model stores it (inline values are passed through, as az does). */
export function readCaCert(f: SourceFlags, readFile: ReadFile): string | undefined {
  const { inline, text } = keyOrFile(f, 'https_ca_cert', 'https_ca_cert_file', readFile, true);
  if (text !== undefined && !isPemCertificates(text)) {
    throw new UsageError('Error! --https-ca-cert-file does not hold a PEM certificate', {
      hint: 'Pass a file of PEM certificates (-----BEGIN CERTIFICATE----- ...)',
    });
  }
  return text !== undefined ? toBase64(text) : inline;
}

/** Private key (§3.8): raw key text for the Secret. */
export function readPrivateKey(f: SourceFlags, readFile: ReadFile): string | undefined {
  const { inline, text } = keyOrFile(f, 'ssh_private_key', 'ssh_private_key_file', readFile, false);
  if (text !== undefined) return checkPrivateKey(Buffer.from(text, 'utf8'));
  if (inline === undefined) return undefined;
  const bytes = decodeBase64(inline);
  if (!bytes || bytes.length === 0) {
    return checkPrivateKey(Buffer.alloc(0));
  }
  return checkPrivateKey(bytes);
}

/** Decodes an az base64 value into text (PEM); undefined when not given; a clear error when not base64. */
export function decodeInline(f: SourceFlags, p: SourceParam): string | undefined {
  const v = f.str(p);
  if (v === undefined) return undefined;
  const bytes = decodeBase64(v);
  if (!bytes) {
    throw new UsageError(`Error! ${pretty(p).slice(1, -1)} is not a valid base64 encoded string`, {
      hint: `Pass the base64 of the PEM text, e.g. ${pretty(p).slice(1, -1)} "$(base64 -w0 file.pem)"`,
    });
  }
  return bytes.toString('utf8');
}

/**
 * The secret flags' `-file` variants (a secret in argv is visible to `ps` for the whole run): flag, the attribute
 * commander stores it under, and the attribute of the inline flag it stands for. `-` reads stdin.
 */
export const SECRET_FILE_FLAGS = [
  { flag: '--https-key-file', attr: 'httpsKeyFile', inline: 'httpsKey', inlineFlag: '--https-key' },
  {
    flag: '--bucket-secret-key-file',
    attr: 'bucketSecretKeyFile',
    inline: 'bucketSecretKey',
    inlineFlag: '--bucket-secret-key',
  },
  { flag: '--account-key-file', attr: 'accountKeyFile', inline: 'accountKey', inlineFlag: '--account-key' },
  { flag: '--sas-token-file', attr: 'sasTokenFile', inline: 'sasToken', inlineFlag: '--sas-token' },
  {
    flag: '--sp-client-secret-file',
    attr: 'spClientSecretFile',
    inline: 'servicePrincipalClientSecret',
    inlineFlag: '--sp-client-secret',
  },
  {
    flag: '--sp-cert-password-file',
    attr: 'spCertPasswordFile',
    inline: 'servicePrincipalClientCertificatePassword',
    inlineFlag: '--sp-cert-password',
  },
  {
    flag: '--tls-private-key-file',
    attr: 'tlsPrivateKeyFile',
    inline: 'tlsPrivateKey',
    inlineFlag: '--tls-private-key',
  },
] as const;

/**
 * Replaces every secret `-file` flag by the inline value it stands for (the file's text, one trailing newline
 * dropped; `--tls-private-key-file` holds PEM, passed on as the base64 the inline flag takes). Both given: az's
 * "Both textual key and key filepath" error. At most one flag may read stdin (`-`).
 */
export function resolveSecretFiles(flags: Record<string, unknown>, readFile: ReadFile): Record<string, unknown> {
  const out = { ...flags };
  const fromStdin: string[] = SECRET_FILE_FLAGS.filter((s) => flags[s.attr] === '-').map((s) => s.flag);
  if (flags.sshPrivateKeyFile === '-') fromStdin.push('--ssh-private-key-file');
  if (fromStdin.length > 1) {
    throw new UsageError(`only one flag can read stdin ('-'): ${fromStdin.join(', ')}`, {
      hint: 'give the other secrets as files',
    });
  }
  for (const s of SECRET_FILE_FLAGS) {
    const file = flags[s.attr];
    if (file === undefined || file === null) continue;
    if (flags[s.inline] !== undefined && flags[s.inline] !== null)
      throw new UsageError(KEY_AND_FILE_ERROR, { hint: `Give ${s.inlineFlag} or ${s.flag}, not both` });
    let text: string;
    try {
      text = readFile(String(file));
    } catch (err) {
      throw new UserError(`Error! Unable to read ${s.flag} ${String(file)}: ${(err as Error).message ?? String(err)}`, {
        hint: 'Verify that the filepath specified exists and contains valid utf-8 data',
        cause: err,
      });
    }
    const value = text.replace(/\r?\n$/, '');
    if (!value) {
      throw new UserError(`Error! ${s.flag} ${String(file)} does not contain any data`, {
        hint: 'Verify that the filepath specified exists and contains valid utf-8 data',
      });
    }
    out[s.inline] = s.attr === 'tlsPrivateKeyFile' ? toBase64(text) : value;
    delete out[s.attr];
  }
  return out;
}
