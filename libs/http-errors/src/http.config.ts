import { isIP } from 'node:net';
import { z } from 'zod';
import { csv, defineConfigSlice, port, positiveInt, type SliceValue } from '#libs/config';

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
/** `false`, `true`, a hop count, or a list of proxy addresses/subnets (Express's forms, checked here). */
const trustProxy = z
  .string()
  .refine((v) => /^(true|false|\d+)$/.test(v) || csv(v).every((item) => PROXY_NAMES.includes(item) || isAddressOrSubnet(item)), {
    message: `must be true, false, a number of hops, or a comma-separated list of ${PROXY_NAMES.join(', ')}, IP addresses and CIDR subnets`,
  })
  .transform((v): boolean | number | string[] => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : csv(v)));

/** Where the apps listen and the limits of their HTTP servers (see server-limits.ts). */
export const HTTP_CONFIG = defineConfigSlice({
  key: 'http',
  variables: {
    HOST: z.string().default('0.0.0.0'),
    API_PORT: port.default(3000),
    WORKER_PORT: port.default(3001),
    // Express's "trust proxy": which hops may set X-Forwarded-For, so req.ip is the real client.
    TRUST_PROXY: trustProxy.default(false),
    HTTP_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(60_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(5_000),
  },
  checks: [
    {
      variable: 'HTTP_HEADERS_TIMEOUT_MS',
      message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS (Node refuses it)',
      holds: (env) => env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS,
    },
  ],
  build: (env) => ({
    host: env.HOST,
    apiPort: env.API_PORT,
    workerPort: env.WORKER_PORT,
    trustProxy: env.TRUST_PROXY,
    headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
  }),
});
export type HttpConfig = SliceValue<typeof HTTP_CONFIG>;

function isAddressOrSubnet(item: string): boolean {
  const [address = '', bits, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}
