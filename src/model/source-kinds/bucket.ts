import { UsageError } from '../../errors.js';
import type { BucketDefinition } from '../flux-configuration.js';
import type { FlagSpec } from './flag-spec.js';
import type { SourceKindSpec } from './kind.js';
import { INVALID_URL_HELP, given, without } from './params.js';

/** The flags only bucket sources have. */
export const BUCKET_FLAGS = {
  bucket_name: { flags: '--bucket-name <name>', description: 'Name of the S3 bucket to sync' },
  bucket_access_key: {
    flags: '--bucket-access-key <key>',
    description: 'Access Key ID used to authenticate with the bucket',
  },
  bucket_secret_key: {
    flags: '--bucket-secret-key <key>',
    description: 'Secret Key used to authenticate with the bucket',
  },
  bucket_insecure: {
    flags: '--bucket-insecure [bool]',
    description: 'Communicate with a bucket without TLS',
    type: 'bool',
  },
} as const satisfies Record<string, FlagSpec>;

export const bucket: SourceKindSpec<BucketDefinition> = {
  flag: 'bucket',
  flags: BUCKET_FLAGS,
  sourceKind: 'Bucket',
  blockKey: 'bucket',
  params: [
    'url',
    'bucket_name',
    'sync_interval',
    'timeout',
    'bucket_access_key',
    'bucket_secret_key',
    'bucket_insecure',
    'local_auth_ref',
  ],
  required: ['url', 'bucket_name'],
  urlOk: (url) => /^(((http|https):\/\/))/.test(url),
  urlHint: INVALID_URL_HELP,
  validate: (f) => {
    if (!((f.truthy('bucket_access_key') && f.truthy('bucket_secret_key')) || f.truthy('local_auth_ref'))) {
      throw new UsageError("Error! Auth properties must be specified for kind 'bucket'", {
        hint: "Provide either both of '--secret-key' and '--access-key' or '--local-auth-ref'",
      });
    }
  },
  validateUpdate: () => undefined,
  block: ({ f, timeout, syncInterval }, create) =>
    without({
      url: f.str('url')!,
      bucketName: f.str('bucket_name')!,
      insecure: f.bool('bucket_insecure') ?? (create ? false : undefined),
      timeoutInSeconds: timeout,
      syncIntervalInSeconds: syncInterval,
      accessKey: f.str('bucket_access_key'),
      localAuthRef: f.str('local_auth_ref'),
    } satisfies BucketDefinition),
  merge: (old, s) => {
    const fresh = bucket.block(s, false);
    return { ...old!, ...given({ ...fresh, url: s.f.str('url'), bucketName: s.f.str('bucket_name') }) };
  },
};
