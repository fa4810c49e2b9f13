import { z } from 'zod';
import { csv, defineConfigSlice, type SliceValue } from '#libs/config';

/** Defaults shared with producers outside the service (the log shipper's queue sink), which redact alike. */
export const REDACTION_DEFAULTS = {
  redactFields:
    'password,passwd,secret,token,access_token,refresh_token,authorization,api_key,apikey,x-api-key,passphrase,pwd,' +
    'credential,credentials,auth,jwt,session_id,sessionid,signature,cookie,set-cookie,client_secret,private_key',
  clientIpMode: 'full',
} as const;

export const REDACTION_CONFIG = defineConfigSlice({
  key: 'redaction',
  variables: {
    REDACT_FIELDS: z.string().default(REDACTION_DEFAULTS.redactFields),
    CLIENT_IP_MODE: z.enum(['full', 'truncate', 'hash']).default(REDACTION_DEFAULTS.clientIpMode),
    CLIENT_IP_HASH_KEY: z.string().min(16).optional(),
  },
  checks: [
    {
      variable: 'CLIENT_IP_HASH_KEY',
      message: 'is required when CLIENT_IP_MODE=hash',
      holds: (env) => env.CLIENT_IP_MODE !== 'hash' || env.CLIENT_IP_HASH_KEY !== undefined,
    },
  ],
  build: (env) => ({ fields: csv(env.REDACT_FIELDS), clientIpMode: env.CLIENT_IP_MODE, clientIpHashKey: env.CLIENT_IP_HASH_KEY }),
});
export type RedactionConfig = SliceValue<typeof REDACTION_CONFIG>;
