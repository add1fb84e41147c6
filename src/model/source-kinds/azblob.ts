import { UsageError } from '../../errors.js';
import type { AzureBlobDefinition } from '../flux-configuration.js';
import type { SourceKindSpec } from './kind.js';
import { INVALID_URL_HELP, given, without, type SourceFlags, type SourceParam } from './params.js';

const SP_PARAMS = [
  'sp_client_id', 'sp_tenant_id', 'sp_client_secret', 'sp_client_cert', 'sp_client_cert_password',
  'sp_client_cert_send_chain',
] as const;
const OTHER_AUTH: SourceParam[] = ['account_key', 'sas_token', 'local_auth_ref', 'mi_client_id'];

function checkAzureBlobAuth(f: SourceFlags): void {
  const sp = SP_PARAMS.some((p) => f.truthy(p));
  if (sp) {
    if (!(f.truthy('sp_client_id') && f.truthy('sp_tenant_id') && (f.truthy('sp_client_secret') || f.truthy('sp_client_cert')))) {
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
  const methods = [sp, f.truthy('account_key'), f.truthy('sas_token'), f.truthy('local_auth_ref'), f.truthy('mi_client_id')];
  if (methods.filter(Boolean).length > 1) {
    throw new UsageError('Error! Too many authentication methods provided for Azure Blob', {
      hint:
        "Specify one of the available authentication methods from the list: '--local-auth-ref', '--account-key', " +
        "'--sas-token', '--mi-client-id', or service principal with '--sp-client-id', '--sp-tenant-id', and either " +
        "'--sp-client-secret' or '--sp-client-cert'",
    });
  }
}

export const azblob: SourceKindSpec<AzureBlobDefinition> = {
  flag: 'azblob',
  sourceKind: 'AzureBlob',
  blockKey: 'azureBlob',
  params: [
    'url', 'container_name', 'sync_interval', 'timeout', 'account_key', 'local_auth_ref', 'sp_tenant_id',
    'sp_client_id', 'sp_client_cert', 'sp_client_cert_password', 'sp_client_secret', 'sp_client_cert_send_chain',
    'sas_token', 'mi_client_id',
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
    } as AzureBlobDefinition;
  },
};
