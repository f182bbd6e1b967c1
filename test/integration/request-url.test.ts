import axios, { type AxiosResponse } from 'axios';
import { describe, expect, it } from 'vitest';
import { attachBoxStatus, type BoxRetryEvent } from '../../src/index.js';
import { boxError, useBoxServer } from '../helpers/box-server.js';
import { rejection } from '../helpers/client.js';

const server = useBoxServer();

// Axios joins even an absolute url to baseURL when allowAbsoluteUrls is false (axios 1.8 on): the
// request goes to the base's host. What the plugin reads of a request's URL must be that one.
const honoured = axios.getUri({ baseURL: 'http://base.invalid', url: 'http://other.invalid/x', allowAbsoluteUrls: false }).startsWith('http://base.invalid/');

describe.skipIf(!honoured)('the URL axios sends, with allowAbsoluteUrls: false', () => {
  it('counts a request in the rate limits by the URL sent: an absolute upload URL joined to the base is no upload', async () => {
    const joined = '/https://upload.box.com/api/2.0/files/content';
    server.script(joined, [{ status: 200, body: { type: 'file', id: '1' } }]);
    server.script('/files/content', [{ status: 201, body: { type: 'file', id: '2' } }]);
    const instance = axios.create({ baseURL: server.url, allowAbsoluteUrls: false });
    attachBoxStatus(instance, {
      retry: { deadlineMs: 2000 },
      rateLimit: { rules: [{ name: 'uploads', max: 1, perMs: 60_000, match: 'upload' }] },
    });

    // Sent to the test server's /https://upload.box.com/...: a GET there counts in no upload
    // window, so neither waits (read as upload.box.com, the second would wait a minute for a slot).
    const responses: AxiosResponse[] = await Promise.all([
      instance.get('https://upload.box.com/api/2.0/files/content'),
      instance.get('https://upload.box.com/api/2.0/files/content'),
    ]);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    expect(server.count(joined)).toBe(2);

    // The rule holds what is an upload where it is sent: the second POST to /files/content waits
    // for the minute's slot, which its deadline refuses at once.
    expect((await instance.post('/files/content', 'x')).status).toBe(201);
    const held = await rejection(instance.post('/files/content', 'y'));
    expect(held.boxNotRetriedReason).toMatch(/^deadlineMs \(2000 ms\) would pass during the wait for a rate-limit slot/);
    expect(server.count('/files/content')).toBe(1);
  });

  it("shows a failed call by the URL sent, redacted: the error's JSON and the onRetry event's", async () => {
    const joined = '/https://elsewhere.example/files/1';
    server.script(joined, [
      { status: 503, body: boxError(503, 'unavailable', 'Unavailable') },
      { status: 404, body: boxError(404, 'not_found', 'Not Found') },
    ]);
    const shown: BoxRetryEvent[] = [];
    const instance = axios.create({ baseURL: server.url, allowAbsoluteUrls: false });
    attachBoxStatus(instance, {
      retry: { baseDelayMs: 1, jitter: 'none', onRetry: (event) => void shown.push(JSON.parse(JSON.stringify(event)) as BoxRetryEvent) },
    });

    const error = await rejection(instance.get('https://elsewhere.example/files/1?access_token=secret-token-0123456789'));
    expect(server.log.map((request) => request.url)).toEqual([
      `${joined}?access_token=secret-token-0123456789`,
      `${joined}?access_token=secret-token-0123456789`,
    ]);
    const sent = `${server.url}${joined}?access_token=[REDACTED]`;
    expect(error.toJSON().url).toBe(sent);
    expect(shown.map((event) => event.config.url)).toEqual([sent]);
    expect(JSON.stringify(error)).not.toContain('secret-token-0123456789');
  });
});
