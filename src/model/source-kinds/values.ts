// The values of the source flags that az passes to the service unchecked and fluxcfg would hand to git, ssh-keyscan
// or the API server: URLs, refs, digests, bucket names, certificates. Each bad value is a UsageError before any
// request. Secret values are never part of a message.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { UsageError } from '../../errors.js';
import { decodeBase64Text } from '../ssh.js';
import { pretty, type SourceFlags, type SourceParam } from './params.js';

const flag = (p: SourceParam) => pretty(p).slice(1, -1);

/** URL checks every kind shares: no whitespace or control characters, no credentials in http(s) userinfo. */
export function checkUrlValue(url: string): void {
  if (/[\s\u0000-\u001f\u007f]/.test(url)) {
    throw new UsageError('Error! Invalid --url.', {
      hint: 'The url contains a space, a newline or a control character: quote it correctly (percent-encode spaces)',
    });
  }
  if (url.startsWith('-')) throw new UsageError('Error! Invalid --url.', { hint: 'A url cannot begin with a hyphen' });
  const userinfo = /^https?:\/\/([^/?#]*)@/i.exec(url);
  if (userinfo) {
    // Never echo the userinfo: it may hold a password.
    throw new UsageError('Error! Invalid --url: credentials in the url are not accepted', {
      hint: 'Remove user:password@ from the url and pass them with --https-user and --https-key-file (or --https-key)',
    });
  }
  const host = hostOf(url);
  if (host !== undefined && (host === '' || host.startsWith('-') || /[^A-Za-z0-9.\-_[\]:]/.test(host))) {
    throw new UsageError('Error! Invalid --url.', {
      hint: 'The host of the url is not a valid host name (it cannot be empty or begin with a hyphen)',
    });
  }
}

/** The host of an http(s)/ssh URL or an scp-like `git@host:path`; undefined when the form is not recognised. */
export function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@]*@)?(\[[^\]]*\]|[^/:?#]*)/i.exec(url);
  if (m) return m[1]!;
  const scp = /^[^@/:]+@([^:/]*):/.exec(url);
  return scp ? scp[1]! : undefined;
}

/** git check-ref-format, for branch and tag names, and never an option. */
function checkRefName(p: SourceParam, value: string): void {
  const why = value.startsWith('-')
    ? 'it cannot begin with a hyphen'
    : /[\s\u0000-\u001f\u007f~^:?*[\\]/.test(value)
      ? 'it cannot contain spaces, control characters or any of ~ ^ : ? * [ \\'
      : value.includes('..') || value.includes('@{') || value.includes('//')
        ? "it cannot contain '..', '@{' or '//'"
        : value.startsWith('/') ||
            value.endsWith('/') ||
            value.endsWith('.') ||
            value.endsWith('.lock') ||
            value === '@'
          ? "it cannot begin or end with '/', end with '.' or '.lock', or be '@'"
          : undefined;
  if (why) throw new UsageError(`Error! Invalid ${flag(p)} '${value}'`, { hint: `Not a valid git ref name: ${why}` });
}

const COMPARATOR =
  /^(?:[<>]=?|=|~>?|\^)?\s*v?(?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** A semver range as Masterminds/semver (Flux) reads it: comparators joined by spaces/commas, `||`, `a - b`. */
export function isSemverRange(value: string): boolean {
  const v = value.trim();
  if (!v || v.startsWith('-')) return false;
  return v.split('||').every((alt) => {
    const a = alt.trim();
    if (!a) return false;
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(a);
    if (hyphen) return COMPARATOR.test(hyphen[1]!) && COMPARATOR.test(hyphen[2]!);
    const parts = a
      .replace(/([<>]=?|=|~>?|\^)\s+/g, '$1')
      .split(/[\s,]+/)
      .filter(Boolean);
    return parts.length > 0 && parts.every((c) => COMPARATOR.test(c));
  });
}

/** S3's bucket naming rules (also what MinIO and GCS interop accept). */
export function s3BucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'it must be 3 to 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    return 'only lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit';
  if (name.includes('..') || name.includes('.-') || name.includes('-.'))
    return 'dots cannot be adjacent to dots or hyphens';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'it cannot be formatted as an IP address';
  if (name.startsWith('xn--') || name.endsWith('-s3alias')) return "it cannot begin with 'xn--' or end with '-s3alias'";
  return undefined;
}

/** Azure Blob container names. */
function containerNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'it must be 3 to 63 characters long';
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(name))
    return 'only lowercase letters, digits and single hyphens, beginning and ending with a letter or digit';
  return undefined;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([.\-a-z0-9]*[a-z0-9])?$/;

/** Whether PEM text holds certificates only, each one parseable (X.509), at least one. */
export function isPemCertificates(text: string): boolean {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!blocks) return false;
  return blocks.every((b) => {
    try {
      new X509Certificate(b);
      return true;
    } catch {
      return false;
    }
  });
}

/** PEM in base64 (az's inline certificate and key flags): decoded and parsed, never echoed. */
function checkPemBase64(p: SourceParam, value: string, what: 'CERTIFICATE' | 'PRIVATE KEY'): void {
  const text = decodeBase64Text(value);
  if (what === 'PRIVATE KEY' && text !== undefined && /ENCRYPTED/.test(text)) throw passphraseError(flag(p));
  let ok = false;
  if (text !== undefined && what === 'CERTIFICATE') ok = isPemCertificates(text);
  if (text !== undefined && what === 'PRIVATE KEY') {
    try {
      createPrivateKey({ key: text, format: 'pem' });
      ok = true;
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new UsageError(`Error! ${flag(p)} is not a base64-encoded PEM ${what.toLowerCase()}`, {
      hint: `Pass the base64 of the PEM file, e.g. ${flag(p)} "$(base64 -w0 file.pem)"`,
    });
  }
}

export function passphraseError(name: string): UsageError {
  return new UsageError(`Error! ${name} is protected by a passphrase`, {
    hint: "Flux cannot use a passphrase-protected key: remove the passphrase (ssh-keygen -p -N '' -f <key file>)",
  });
}

/** Every source value fluxcfg passes on, checked on its own (the kind's rules come after). */
export function checkSourceValues(f: SourceFlags): void {
  const url = f.str('url');
  if (url !== undefined) checkUrlValue(url);
  for (const p of ['branch', 'tag'] as const) {
    const v = f.str(p);
    if (v !== undefined) checkRefName(p, v);
  }
  const commit = f.str('commit');
  if (commit !== undefined && !/^[0-9a-f]{7,64}$/i.test(commit)) {
    throw new UsageError(`Error! Invalid --commit '${commit}'`, {
      hint: 'A commit is its hexadecimal SHA (7 to 40 characters, 64 for SHA-256 repositories)',
    });
  }
  const semver = f.str('semver');
  if (semver !== undefined && !isSemverRange(semver)) {
    throw new UsageError(`Error! Invalid --semver '${semver}'`, {
      hint: "A semver range such as '>=1.0.0 <2.0.0', '~1.2', '^1.4' or '1.x'",
    });
  }
  const digest = f.str('digest');
  if (digest !== undefined && !/^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/.test(digest)) {
    throw new UsageError(`Error! Invalid --digest '${digest}'`, {
      hint: 'A digest is sha256:<64 lowercase hex digits> (sha384/sha512 of their length too)',
    });
  }
  const bucket = f.str('bucket_name');
  const bucketWhy = bucket === undefined ? undefined : s3BucketNameProblem(bucket);
  if (bucketWhy)
    throw new UsageError(`Error! Invalid --bucket-name '${bucket}'`, { hint: `Not a valid bucket name: ${bucketWhy}` });
  const container = f.str('container_name');
  const containerWhy = container === undefined ? undefined : containerNameProblem(container);
  if (containerWhy) {
    throw new UsageError(`Error! Invalid --container-name '${container}'`, {
      hint: `Not a valid container name: ${containerWhy}`,
    });
  }
  for (const p of ['local_auth_ref', 'service_account_name'] as const) {
    const v = f.str(p);
    if (v !== undefined && (v.length > 253 || !DNS_SUBDOMAIN.test(v))) {
      throw new UsageError(`Error! Invalid ${flag(p)} '${v}'`, {
        hint: 'It names a Kubernetes object: lowercase letters, digits, hyphens and dots, at most 253 characters',
      });
    }
  }
  for (const p of ['https_ca_cert', 'tls_ca_certificate', 'tls_client_certificate'] as const) {
    const v = f.str(p);
    if (v !== undefined) checkPemBase64(p, v, 'CERTIFICATE');
  }
  const tlsKey = f.str('tls_private_key');
  if (tlsKey !== undefined) checkPemBase64('tls_private_key', tlsKey, 'PRIVATE KEY');
  const spCert = f.str('sp_client_cert');
  if (spCert !== undefined) {
    const text = decodeBase64Text(spCert);
    if (text !== undefined && /ENCRYPTED/.test(text) && !f.str('sp_client_cert_password')) {
      throw passphraseError('--sp-client-cert');
    }
  }
}
