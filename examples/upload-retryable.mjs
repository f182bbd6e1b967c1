// Recipe: a retryable upload: a preflight, a buffered body, `idempotent: true` and a content check.
// Local Box: upload-503-after-write
// Run it: npm run example upload-retryable (the local server stores the first upload, then
// answers 503, as Box rarely does). Against Box, set BOX_DEVELOPER_TOKEN.
//
// POST is not retried after a 5xx by default: Box may have stored the file. This upload opts in
// with `idempotent: true`, which is safe because (1) the body is in memory, so it can be sent again,
// and (2) a retry that meets its own earlier upload gets a 409 whose conflicting file has the same
// SHA-1 as ours, and is taken as done. Box documents no idempotency key.
// @ts-check
import { createHash } from 'node:crypto';
import axios from 'axios';
import { attachBoxStatus, isBoxClientError } from 'axios-box-status';

const headers = { Authorization: `Bearer ${process.env.BOX_DEVELOPER_TOKEN}` };
const api = axios.create({ baseURL: process.env.BOX_API_BASE_URL ?? 'https://api.box.com/2.0', headers });
const upload = axios.create({ baseURL: process.env.BOX_UPLOAD_BASE_URL ?? 'https://upload.box.com/api/2.0', headers });
attachBoxStatus(api);
attachBoxStatus(upload);

const name = 'quarterly.csv';
const parent = { id: '0' };
const bytes = Buffer.from('quarter,revenue\nQ1,100\nQ2,120\n');
const sha1 = createHash('sha1').update(bytes).digest('hex');

/**
 * The file a 409 says is in the way, when it holds our very bytes: our own upload, done.
 * @param {unknown} error
 * @returns {{ id: string, sha1: string } | undefined}
 */
function ourOwnUpload(error) {
  if (!isBoxClientError(error) || error.boxCode !== 'item_name_in_use') return undefined;
  const conflict = /** @type {{ id: string, sha1: string } | undefined} */ ([error.contextInfo?.conflicts].flat()[0]);
  return conflict?.sha1 === sha1 ? conflict : undefined;
}

// 1. Preflight (OPTIONS /files/content): is the name free, is there room? Nothing is uploaded.
try {
  await api.options('/files/content', { data: { name, parent, size: bytes.length } });
  console.log('preflight: accepted');
} catch (error) {
  const done = ourOwnUpload(error);
  if (!done) throw error;
  console.log(`preflight: already uploaded as file ${done.id}`);
  process.exit(0);
}

// 2. The upload, retried like a GET. `content-md5` (Box wants the SHA-1) has Box check the bytes.
const form = new FormData();
form.append('attributes', JSON.stringify({ name, parent }));
form.append('file', new Blob([bytes]), name);
try {
  const res = await upload.post('/files/content', form, {
    headers: { 'content-md5': sha1 },
    boxRetry: { idempotent: true },
  });
  console.log(`uploaded: file ${res.data.entries[0].id}, ${res.boxStatus?.attempts} attempt(s)`);
} catch (error) {
  const done = ourOwnUpload(error);
  if (!done) throw error;
  const attempts = isBoxClientError(error) ? error.attempts : 0;
  console.log(`uploaded: file ${done.id} (a retry found our own upload: same SHA-1), ${attempts} attempts`);
}
