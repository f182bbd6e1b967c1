// What the local Box-like server holds, and the requests that move bytes: folders and files, the
// upload (multipart, on the upload origin), its preflight, and downloads (a 202 while a file is
// not ready, then a redirect to the dl origin, which refuses a request that carries a token).

import { createHash } from 'node:crypto';
import { boxError, json, notFound } from './replies.mjs';

/** How long the server asks a download that is not ready to wait, in seconds (Box: whole seconds). */
const NOT_READY_RETRY_AFTER = '0.1';

/**
 * @typedef {{ type: 'file', id: string, name: string, parent: string, content: Buffer, sha1: string, pollsBeforeReady: number }} StoredFile
 * @typedef {{ type: 'folder', id: string, name: string, parent: string | null }} StoredFolder
 */

const sha1 = (/** @type {Buffer} */ bytes) => createHash('sha1').update(bytes).digest('hex');

/** @param {{ flags: ReadonlySet<string>, dlOrigin: string, uploadUrl: string }} options */
export function createContent({ flags, dlOrigin, uploadUrl }) {
  /** @type {Map<string, StoredFolder>} */
  const folders = new Map([
    ['0', { type: 'folder', id: '0', name: 'All Files', parent: null }],
    ['1234', { type: 'folder', id: '1234', name: 'Reports', parent: '0' }],
  ]);
  /** @type {Map<string, StoredFile>} */
  const files = new Map();
  let nextId = 9000;
  const addFile = (/** @type {string} */ id, /** @type {string} */ name, /** @type {string} */ parent, /** @type {Buffer} */ content, pollsBeforeReady = 0) =>
    files.set(id, { type: 'file', id, name, parent, content, sha1: sha1(content), pollsBeforeReady });
  for (let month = 1; month <= 7; month += 1) {
    addFile(String(8100 + month), `2026-0${month} report.pdf`, '1234', Buffer.from(`%PDF-1.7 report ${month}`));
  }
  // Ready after one "not ready yet"; and one that stays not ready (a large file still processed).
  addFile('8000', 'Budget 2026.xlsx', '0', Buffer.from('PK\u0003\u0004 pretend spreadsheet bytes'), 1);
  addFile('8001', 'All hands.mp4', '0', Buffer.from('pretend video bytes'), Number.POSITIVE_INFINITY);
  let uploadsFailedAfterWrite = 0;

  /** The mini representation Box lists items by. */
  const mini = (/** @type {StoredFile | StoredFolder} */ item) =>
    item.type === 'file'
      ? { type: 'file', id: item.id, name: item.name, sha1: item.sha1, size: item.content.length, etag: '0', sequence_id: '0' }
      : { type: 'folder', id: item.id, name: item.name, etag: '0', sequence_id: '0' };
  const childrenOf = (/** @type {string} */ id) => [...folders.values(), ...files.values()].filter((item) => item.parent === id);
  const named = (/** @type {string} */ parent, /** @type {string} */ name) => childrenOf(parent).find((item) => item.name === name);
  /** Box's 409 for a name in use: the existing item in `context_info.conflicts`. */
  const conflict = (/** @type {StoredFile | StoredFolder} */ item) => ({
    status: 409,
    body: boxError(409, 'item_name_in_use', 'Item with the same name already exists', { context_info: { conflicts: mini(item) } }),
    note: 'item_name_in_use',
  });

  return {
    folder: (/** @type {string} */ id) => folders.get(id),
    file: (/** @type {string} */ id) => files.get(id),
    childrenOf,
    mini,

    /** OPTIONS /files/content: would an upload of this name and size be accepted? */
    preflight(/** @type {Buffer} */ body) {
      const attributes = json(body);
      if (!attributes?.name || !folders.has(attributes.parent?.id)) return { status: 400, body: boxError(400, 'bad_request', 'Bad request') };
      const existing = named(attributes.parent.id, attributes.name);
      if (existing) return conflict(existing);
      return { status: 200, body: { upload_url: `${uploadUrl}/files/content`, upload_token: null } };
    },

    /** POST /api/2.0/files/content on the upload origin: a multipart body, `attributes` then `file`. */
    async upload(/** @type {import('node:http').IncomingMessage} */ req, /** @type {string} */ path, /** @type {Buffer} */ body) {
      if (req.method !== 'POST' || path !== '/api/2.0/files/content') return notFound();
      const form = await new Response(body, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData().catch(() => undefined);
      const attributes = json(Buffer.from(String(form?.get('attributes') ?? '')));
      const file = form?.get('file');
      if (!attributes?.name || !folders.has(attributes.parent?.id) || !(file instanceof Blob)) {
        return { status: 400, body: boxError(400, 'bad_request', 'Expected multipart fields attributes and file'), note: 'bad_request' };
      }
      const bytes = Buffer.from(await file.arrayBuffer());
      const digest = req.headers['content-md5'];
      if (digest !== undefined && digest !== sha1(bytes)) {
        return { status: 400, body: boxError(400, 'bad_digest', 'The specified Content-MD5 did not match what we received'), note: 'bad_digest' };
      }
      const existing = named(attributes.parent.id, attributes.name);
      if (existing) return conflict(existing);
      const id = String(nextId++);
      addFile(id, attributes.name, attributes.parent.id, bytes);
      const stored = /** @type {StoredFile} */ (files.get(id));
      if (flags.has('upload-503-after-write') && uploadsFailedAfterWrite === 0) {
        // Box: "in rare cases a write still completes after the 503".
        uploadsFailedAfterWrite += 1;
        return { status: 503, body: boxError(503, 'unavailable', 'Unavailable'), note: 'stored, then 503' };
      }
      return { status: 201, body: { total_count: 1, entries: [{ ...mini(stored), parent: mini(/** @type {StoredFolder} */ (folders.get(stored.parent))) }] } };
    },

    /** GET /files/:id/content on the api origin: 202 while not ready, then a redirect to dl. */
    content(/** @type {string} */ id) {
      const file = files.get(id);
      if (!file) return notFound();
      if (file.pollsBeforeReady > 0) {
        file.pollsBeforeReady -= 1;
        return { status: 202, headers: { 'retry-after': NOT_READY_RETRY_AFTER }, note: `retry-after: ${NOT_READY_RETRY_AFTER}` };
      }
      return { status: 302, headers: { location: `${dlOrigin}/d/${id}` } };
    },

    /** The dl origin: the bytes, to a request without a token (a token must not follow a redirect). */
    download(/** @type {import('node:http').IncomingMessage} */ req, /** @type {string} */ path) {
      const file = files.get(/^\/d\/(\d+)$/.exec(path)?.[1] ?? '');
      if (!file) return notFound();
      if (req.headers.authorization) {
        return { status: 400, body: boxError(400, 'bad_request', 'A token was sent to the download host'), note: 'token leaked' };
      }
      return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: file.content };
    },
  };
}
