// Recipe: download a file, checking for a 202 "not ready yet" that ran out of polls.
// Run it: npm run example download-file (against a local Box-like server). Against Box, set
// BOX_DEVELOPER_TOKEN and use file ids of your own.
//
// Box answers 202 with Retry-After while a file is not ready; the plugin polls it (5 attempts
// with the defaults). When the polls run out, the call RESOLVES with the 202 and an empty body:
// check the status, or you write an empty file.
// @ts-check
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import axios from 'axios';
import { attachBoxStatus } from 'axios-box-status';

const box = axios.create({
  baseURL: process.env.BOX_API_BASE_URL ?? 'https://api.box.com/2.0',
  headers: { Authorization: `Bearer ${process.env.BOX_DEVELOPER_TOKEN}` },
});
attachBoxStatus(box);

/**
 * @param {string} fileId
 * @param {string} path
 */
async function download(fileId, path) {
  // Box redirects to dl.boxcloud.com; axios follows, and drops the token for the other host.
  const res = await box.get(`/files/${fileId}/content`, { responseType: 'stream' });
  if (res.status === 202) {
    res.data.destroy();
    return `not ready after ${res.boxStatus?.attempts} attempts: try again in ${res.boxStatus?.retryAfterMs} ms; nothing written`;
  }
  await pipeline(res.data, createWriteStream(path));
  return `saved ${path} (${res.boxStatus?.attempts} attempts)`;
}

console.log(`file 8000: ${await download('8000', 'budget.xlsx')}`);
console.log(`file 8001: ${await download('8001', 'all-hands.mp4')}`);
