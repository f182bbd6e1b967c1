// An ESM consumer of the built package (dist/index.d.ts), by its own name, under strict.
import axios, { AxiosError } from 'axios';
import {
  attachBoxStatus,
  isBoxClientError,
  isBoxServerError,
  type BoxPlainErrorFields,
  type BoxStatus,
  type BoxStatusKind,
} from 'axios-box-status';

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
