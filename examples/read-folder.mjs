// Recipe: read a folder, page by page (Box's marker paging), a 429 waited out on the way.
// Run it: npm run example read-folder (against a local Box-like server). Against Box, set
// BOX_DEVELOPER_TOKEN and leave BOX_API_BASE_URL unset.
// @ts-check
import axios from 'axios';
import { attachBoxStatus } from 'axios-box-status';

const box = axios.create({
  baseURL: process.env.BOX_API_BASE_URL ?? 'https://api.box.com/2.0',
  headers: { Authorization: `Bearer ${process.env.BOX_DEVELOPER_TOKEN}` },
  timeout: 30_000, // per attempt
});
attachBoxStatus(box, { retry: { deadlineMs: 60_000 } }); // per call, retries and waits included

/**
 * Every item of a folder: `usemarker` paging, as Box recommends for large folders.
 * @param {string} folderId
 * @returns {AsyncGenerator<{ type: string, id: string, name: string }>}
 */
async function* folderItems(folderId) {
  /** @type {string | undefined} */
  let marker;
  do {
    const res = await box.get(`/folders/${folderId}/items`, {
      params: { usemarker: true, limit: 2, fields: 'name', ...(marker ? { marker } : {}) },
    });
    console.log(`page of ${res.data.entries.length}: ${res.boxStatus?.attempts} attempt(s)`);
    yield* res.data.entries;
    marker = res.data.next_marker ?? undefined;
  } while (marker);
}

let count = 0;
for await (const item of folderItems('0')) {
  console.log(`  ${item.type} ${item.id} ${item.name}`);
  count += 1;
}
console.log(`${count} items`);
