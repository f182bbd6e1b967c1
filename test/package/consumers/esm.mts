// An ESM consumer of the built package (dist/index.d.ts), by its own name, under strict.
import axios, { AxiosError } from 'axios';
import {
  attachBoxStatus,
  isBoxClientError,
  isBoxServerError,
  type BoxPlainErrorFields,
  type BoxStatus,
  type BoxStatusKind,
  BOX_RATE_LIMITS,
  boxClientCredentialsGrant,
  createBoxAuth,
  createMemoryStore,
  type BoxRateRule,
  type BoxStateStore,
  withBoxStatus,
  BOX_CHANNELS,
  type BoxAxiosInstance,
  type BoxRetryMessage,
} from 'axios-box-status';
import { createRedisStore, type BoxRedisStore } from 'axios-box-status/redis';

const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
const handle = attachBoxStatus(box, { retry: { retries: 2, jitter: 'equal', onRetry: (e) => void e.attempt } });

export async function folderName(id: string): Promise<string> {
  try {
    const res = await box.get<{ name: string }>(`/folders/${id}`, { boxRetry: { retries: 1 } });
    const status: BoxStatus | undefined = res.boxStatus;
    const kind: BoxStatusKind | undefined = status?.kind;
    return `${res.data.name} ${kind ?? ''} ${res.boxStatus?.attempts ?? 0}`;
  } catch (error) {
    if (isBoxClientError(error) && error.boxCode === 'not_found') return '';
    if (isBoxServerError(error)) throw new Error(error.message, { cause: error });
    if (error instanceof AxiosError) {
      const attempts = (error as AxiosError & BoxPlainErrorFields).boxAttempts;
      throw new Error(`network, ${attempts ?? 0} attempts`);
    }
    throw error;
  }
}

await box.post('/folders', { name: 'x' }, { boxRetry: { idempotent: true } });
await box.post('/files/content', {}, { boxRetry: false });
handle.eject();

// A fleet: the Redis store (its own entry) is a BoxStateStore for the plugin and for the credentials.
declare const redisClient: object;
declare const acrossProcesses: boolean;
const redisStore: BoxRedisStore = createRedisStore({ client: redisClient, prefix: 'app:', timeoutMs: 50 });
const store: BoxStateStore = acrossProcesses ? redisStore : createMemoryStore();
const rules: readonly BoxRateRule[] = [...BOX_RATE_LIMITS, { name: 'mine', max: 10, perMs: 1000, match: (config) => config.method === 'get' }];
const auth = createBoxAuth({
  refresh: boxClientCredentialsGrant({ clientId: 'id', clientSecret: 'secret', subjectType: 'enterprise', subjectId: '1' }),
  store,
  key: 'service-account',
});
const fleet = axios.create({ baseURL: 'https://api.box.com/2.0' });
attachBoxStatus(fleet, { auth, store, scope: (config) => String(config.headers.get('As-User') ?? 'app'), rateLimit: { rules } });
const shared: boolean = redisStore.status().shared;
export const processes: number = shared ? redisStore.status().processes : 0;
await redisStore.close();

// A JWT app: Box's downloaded config, as it is (its own entry, Node only).
import { boxJwtGrant, type BoxAppConfig, type BoxJwtGrantOptions } from 'axios-box-status/jwt';
declare const configText: string;
const appConfig = JSON.parse(configText) as BoxAppConfig;
const jwtOptions: BoxJwtGrantOptions = { config: appConfig, subjectType: 'user', subjectId: '33' };
export const jwtAuth = createBoxAuth({ refresh: boxJwtGrant(jwtOptions), refreshCooldownMs: 2000 });

// Typed without a cast: boxStatus is not optional on a withBoxStatus instance's responses.
const typed: BoxAxiosInstance = withBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }));
export async function fileOrNothing(id: string): Promise<string | undefined> {
  const found = await typed.get<{ id: string }>(`/files/${id}`, { validateStatus: (status) => status === 200 || status === 404 });
  const { attempts, waitedMs, durationMs } = found.boxStatus;
  return found.status === 404 ? undefined : `${found.data.id} ${attempts} ${waitedMs} ${durationMs}`;
}
export const retryChannel: string = BOX_CHANNELS.retry;
export const describeRetry = (message: BoxRetryMessage): string => `${message.method} ${message.url ?? ''} ${message.delayMs}`;
