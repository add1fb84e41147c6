import { UsageError } from '../../errors.js';
import type { AzureBlobDefinition } from '../flux-configuration.js';
import type { FlagSpec } from './flag-spec.js';
import type { SourceKindSpec } from './kind.js';
import { INVALID_URL_HELP, given, without, type SourceFlags, type SourceParam } from './params.js';

const SP_PARAMS = [
  'sp_client_id',
  'sp_tenant_id',
  'sp_client_secret',
  'sp_client_cert',
  'sp_client_cert_password',
  'sp_client_cert_send_chain',
] as const;
const OTHER_AUTH: SourceParam[] = ['account_key', 'sas_token', 'local_auth_ref', 'mi_client_id'];

function checkAzureBlobAuth(f: SourceFlags): void {
  const sp = SP_PARAMS.some((p) => f.truthy(p));
  if (sp) {
    if (!(
      f.truthy('sp_client_id') &&
      f.truthy('sp_tenant_id') &&
      (f.truthy('sp_client_secret') || f.truthy('sp_client_cert'))
    )) {
      throw new UsageError('Error! Service principal is invalid because it is missing value(s)', {
        hint: "Provide '--sp-client-id', '--sp-tenant-id', and either '--sp-client-secret' or '--sp-client-cert'",
      });
    }
    if (f.truthy('sp_client_secret') && f.truthy('sp_client_cert')) {
      throw new UsageError('Error! Too many authentication methods provided for service principal', {
        hint: "Provide either '--sp-client-secret' or '--sp-client-cert'",
      });
    }
    if (f.truthy('sp_client_cert_password') && !f.truthy('sp_client_cert')) {
      throw new UsageError('Error! Service principal certificate password is invalid', {
        hint: "Provide '--sp-client-id', '--sp-tenant-id', and '--sp-client-cert' with your '--sp-cert-password",
      });
    }
  }
  const methods = [
    sp,
    f.truthy('account_key'),
    f.truthy('sas_token'),
    f.truthy('local_auth_ref'),
    f.truthy('mi_client_id'),
  ];
  if (methods.filter(Boolean).length > 1) {
    throw new UsageError('Error! Too many authentication methods provided for Azure Blob', {
      hint:
        "Specify one of the available authentication methods from the list: '--local-auth-ref', '--account-key', " +
        "'--sas-token', '--mi-client-id', or service principal with '--sp-client-id', '--sp-tenant-id', and either " +
        "'--sp-client-secret' or '--sp-client-cert'",
    });
  }
}

const withSp = (what: string) => `${what} for authenticating a service principal with Azure Blob`;

/** The flags only Azure Blob sources have. */
export const AZBLOB_FLAGS = {
  container_name: { flags: '--container-name <name>', description: 'Name of the Azure Blob Storage container to sync' },
  sp_client_id: { flags: '--sp-client-id, --service-principal-client-id <id>', description: withSp('The client ID') },
  sp_tenant_id: { flags: '--sp-tenant-id, --service-principal-tenant-id <id>', description: withSp('The tenant ID') },
  sp_client_secret: {
    flags: '--sp-client-secret, --service-principal-client-secret <secret>',
    description: withSp('The client secret'),
  },
  sp_client_cert: {
    flags: '--sp-client-cert, --service-principal-client-certificate <base64>',
    description: withSp('The Base64 encoded client certificate'),
  },
  sp_client_cert_password: {
    flags: '--sp-cert-password, --service-principal-client-certificate-password <password>',
    description: 'The password for the client certificate used to authenticate a service principal with Azure Blob',
  },
  sp_client_cert_send_chain: {
    flags: '--sp-cert-send-chain, --service-principal-client-certificate-send-chain [bool]',
    description:
      'Include the x5c header in client claims when acquiring a token (subject name / issuer based certificate auth)',
    type: 'bool',
  },
  account_key: { flags: '--account-key <key>', description: 'The Azure Blob Shared Key for authentication' },
  sas_token: { flags: '--sas-token <token>', description: 'The Azure Blob SAS Token for authentication' },
  mi_client_id: {
    flags: '--mi-client-id, --managed-identity-client-id <id>',
    description: 'The client ID of the managed identity for authentication with Azure Blob',
  },
} as const satisfies Record<string, FlagSpec>;

export const azblob: SourceKindSpec<AzureBlobDefinition> = {
  flag: 'azblob',
  flags: AZBLOB_FLAGS,
  sourceKind: 'AzureBlob',
  blockKey: 'azureBlob',
  params: [
    'url',
    'container_name',
    'sync_interval',
    'timeout',
    'account_key',
    'local_auth_ref',
    'sp_tenant_id',
    'sp_client_id',
    'sp_client_cert',
    'sp_client_cert_password',
    'sp_client_secret',
    'sp_client_cert_send_chain',
    'sas_token',
    'mi_client_id',
  ],
  required: ['url', 'container_name'],
  urlOk: (url) => /^(((http|https):\/\/))/.test(url),
  urlHint: INVALID_URL_HELP,
  validate: (f) => checkAzureBlobAuth(f),
  validateUpdate: (f) => checkAzureBlobAuth(f),
  block: ({ f, timeout, syncInterval }) => {
    const sp = SP_PARAMS.some((p) => f.truthy(p))
      ? without({
          clientId: f.str('sp_client_id'),
          tenantId: f.str('sp_tenant_id'),
          clientCertificateSendChain: f.bool('sp_client_cert_send_chain') ?? false,
        })
      : undefined;
    const mi = f.str('mi_client_id');
    return without({
      url: f.str('url')!,
      containerName: f.str('container_name')!,
      timeoutInSeconds: timeout,
      syncIntervalInSeconds: syncInterval,
      servicePrincipal: sp,
      managedIdentity: mi !== undefined ? { clientId: mi } : undefined,
      localAuthRef: f.str('local_auth_ref'),
    } satisfies AzureBlobDefinition);
  },
  merge: (old, s) => {
    const { f } = s;
    const fresh = azblob.block(s, false);
    // A new auth method replaces the old one as a whole.
    const authGiven = SP_PARAMS.some((p) => f.truthy(p)) || OTHER_AUTH.some((p) => f.truthy(p));
    const base = authGiven
      ? without({ ...old!, servicePrincipal: undefined, managedIdentity: undefined, localAuthRef: undefined })
      : old!;
    return {
      ...base,
      ...given({ ...fresh, url: f.str('url'), containerName: f.str('container_name') }),
    };
  },
};
