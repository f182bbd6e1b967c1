// Recipe: test your own code with axios-mock-adapter: mocked replies are retried like real ones.
// Run it: npm run example testing-mock-adapter (no server needed), or node --test this file.
// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import axios from 'axios';
import MockAdapter from 'axios-mock-adapter';
import { attachBoxStatus, isBoxClientError } from 'axios-box-status';

// The code under test: it takes the instance, so that a test can hand it a mocked one.
/**
 * @param {import('axios').AxiosInstance} box
 * @param {string} id
 */
async function fileName(box, id) {
  try {
    const res = await box.get(`/files/${id}`);
    return /** @type {string} */ (res.data.name);
  } catch (error) {
    if (isBoxClientError(error) && error.status === 404) return undefined;
    throw error;
  }
}

function mockedBox() {
  const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
  // No waits in tests: the backoff's base to 0 (Retry-After is still waited as the mock says).
  attachBoxStatus(box, { retry: { baseDelayMs: 0 } });
  // The cast: under `nodenext` its types see axios's CommonJS types, a type apart from the ESM
  // ones your instance has (https://github.com/ctimmerm/axios-mock-adapter/issues/400).
  return { box, mock: new MockAdapter(/** @type {any} */ (box)) };
}

test('a 503 is retried, then the name is read', async () => {
  const { box, mock } = mockedBox();
  mock.onGet('/files/1').replyOnce(503).onGet('/files/1').reply(200, { type: 'file', id: '1', name: 'a.txt' });
  assert.equal(await fileName(box, '1'), 'a.txt');
  assert.equal(mock.history['get']?.length, 2);
});

test('a 404 is no file', async () => {
  const { box, mock } = mockedBox();
  mock.onGet('/files/2').reply(404, { type: 'error', status: 404, code: 'not_found', message: 'Not Found' });
  assert.equal(await fileName(box, '2'), undefined);
});
