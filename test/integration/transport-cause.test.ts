// Under the fetch adapter a refused connection is axios's bare "Network Error" (ERR_NETWORK); the
// real cause (ECONNREFUSED) is on err.cause, and the plugin's error says it in its message.
import { describe, expect, it } from 'vitest';
import { refusedPort, useBoxServer } from '../helpers/box-server.js';
import { boxClient, rejection } from '../helpers/client.js';

const server = useBoxServer();

describe('a refused connection under the fetch adapter', () => {
  it('reads "Network Error (connect ECONNREFUSED host:port; after N attempts)"; code and cause stay axios\'s', async () => {
    const port = await refusedPort();
    const { instance } = boxClient(server, { retries: 1 }, { baseURL: `http://127.0.0.1:${port}`, adapter: 'fetch' });
    const error = await rejection(instance.get('/folders/0'));
    expect(error.message).toBe(`Network Error (connect ECONNREFUSED 127.0.0.1:${port}; after 2 attempts)`);
    expect(String(error.stack).split('\n')[0]).toBe(`AxiosError: ${error.message}`);
    expect(error.toJSON().message).toBe(error.message);
    expect(error.code).toBe('ERR_NETWORK');
    expect(error.cause?.code).toBe('ECONNREFUSED');
  });

  it('one attempt (retries: 0): the cause alone', async () => {
    const port = await refusedPort();
    const { instance } = boxClient(server, { retries: 0 }, { baseURL: `http://127.0.0.1:${port}`, adapter: 'fetch' });
    expect((await rejection(instance.get('/folders/0'))).message).toBe(`Network Error (connect ECONNREFUSED 127.0.0.1:${port})`);
  });

  it('the http adapter, which says it already, is left as it was', async () => {
    const port = await refusedPort();
    const { instance } = boxClient(server, { retries: 0 }, { baseURL: `http://127.0.0.1:${port}`, adapter: 'http' });
    const error = await rejection(instance.get('/folders/0'));
    expect(error.message).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(error.code).toBe('ECONNREFUSED');
  });
});
