// Recipe: upload a small file. Uploads go to upload.box.com, not api.box.com.
// Run it: npm run example upload-file (against a local Box-like server). Against Box, set
// BOX_DEVELOPER_TOKEN and leave BOX_UPLOAD_BASE_URL unset.
// @ts-check
import axios from 'axios';
import { attachBoxStatus, isBoxClientError } from 'axios-box-status';

const upload = axios.create({
  baseURL: process.env.BOX_UPLOAD_BASE_URL ?? 'https://upload.box.com/api/2.0',
  headers: { Authorization: `Bearer ${process.env.BOX_DEVELOPER_TOKEN}` },
});
attachBoxStatus(upload);

// Box reads `attributes` first, then `file`. A FormData of a Blob can be sent again (a 429 is
// retried for any method); a stream could not.
const form = new FormData();
form.append('attributes', JSON.stringify({ name: 'notes.txt', parent: { id: '0' } }));
form.append('file', new Blob(['Hello, Box\n']), 'notes.txt');

try {
  const res = await upload.post('/files/content', form);
  const [file] = res.data.entries;
  console.log(`uploaded ${file.name}: file ${file.id}, sha1 ${file.sha1}, ${res.boxStatus?.attempts} attempt(s)`);
} catch (error) {
  // A 4xx is a BoxClientError with Box's code; a file of that name is there already:
  if (!isBoxClientError(error) || error.boxCode !== 'item_name_in_use') throw error;
  console.log(`not uploaded: ${error.boxMessage}`);
}
