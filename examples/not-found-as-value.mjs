// Recipe: a 404 as a value (validateStatus on the request), not an error.
// Run it: npm run example not-found-as-value (against a local Box-like server).
//
// A 404 as a value: ask Box for a file that may not exist and get its answer back, not an error.
//
//   BOX_API_BASE_URL=http://127.0.0.1:8080 BOX_DEVELOPER_TOKEN=... node examples/not-found-as-value.mjs 12345 67890
//
// BOX_API_BASE_URL defaults to https://api.box.com/2.0. The one line that matters is the request's
// own validateStatus: the statuses it accepts resolve (once the retries are over), with
// res.boxStatus; every other failure still rejects with its Box error.
import axios from 'axios';
import { withBoxStatus } from 'axios-box-status';

const baseURL = process.env.BOX_API_BASE_URL ?? 'https://api.box.com/2.0';
const box = withBoxStatus(
  axios.create({ baseURL, headers: { Authorization: `Bearer ${process.env.BOX_DEVELOPER_TOKEN ?? 'developer-token'}` } }),
);

/**
 * The file's name, or undefined when Box has no such file.
 * @param {string} id
 */
async function fileName(id) {
  const res = await box.get(`/files/${id}`, {
    params: { fields: 'name' },
    validateStatus: (status) => status === 200 || status === 404,
  });
  // res.boxStatus is there on every response: typed without a cast by withBoxStatus.
  if (res.status === 404) {
    console.log(`file ${id}: does not exist (Box request ${res.boxStatus.requestId ?? 'without an id'})`);
    return undefined;
  }
  return res.data.name;
}

const ids = process.argv.length > 2 ? process.argv.slice(2) : ['12345'];
for (const id of ids) {
  const name = await fileName(id);
  if (name !== undefined) console.log(`file ${id}: ${name}`);
}
