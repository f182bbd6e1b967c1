// The routes of the local server's api origin (https://api.box.com/2.0 in real life), the
// token endpoint apart: users/me, folders and their items (paged by marker, one 429 on the
// second page), the upload preflight, files and their content, and search (a 429 on the first).

import { notFound, rateLimited } from './replies.mjs';

const PAGE_RETRY_AFTER = '0.1';

/** @param {ReturnType<typeof import('./content.mjs').createContent>} content */
export function apiRoutes(content) {
  let pageRefused = false;
  let searchRefused = false;

  /** GET /folders/:id/items: Box's marker paging (`usemarker=true`, `marker`, `limit`), else offset paging. */
  const items = (/** @type {string} */ id, /** @type {URLSearchParams} */ query) => {
    const folder = content.folder(id);
    if (!folder) return notFound();
    const all = content.childrenOf(id);
    const limit = Math.min(Number(query.get('limit') ?? 100) || 100, 1000);
    if (query.get('usemarker') === 'true') {
      const marker = query.get('marker');
      if (marker && !pageRefused) {
        pageRefused = true;
        return rateLimited(PAGE_RETRY_AFTER);
      }
      const start = marker ? Number(Buffer.from(marker, 'base64url').toString('utf8')) : 0;
      const end = start + limit;
      const next = end < all.length ? Buffer.from(String(end)).toString('base64url') : null;
      return { status: 200, body: { entries: all.slice(start, end).map(content.mini), limit, next_marker: next } };
    }
    const offset = Number(query.get('offset') ?? 0) || 0;
    return { status: 200, body: { entries: all.slice(offset, offset + limit).map(content.mini), total_count: all.length, offset, limit } };
  };

  return {
    /**
     * @param {import('node:http').IncomingMessage} req
     * @param {string} path
     * @param {Buffer} body
     * @returns {import('./replies.mjs').Reply | Promise<import('./replies.mjs').Reply>}
     */
    api(req, path, body) {
      const query = new URL(req.url ?? '/', 'http://local').searchParams;
      const method = req.method ?? 'GET';
      let match;
      if (method === 'GET' && path === '/2.0/users/me') {
        return { status: 200, body: { type: 'user', id: '33', name: 'Local Service Account', login: 'AutomationUser_33@boxdevedition.com' } };
      }
      if (method === 'GET' && (match = /^\/2\.0\/folders\/(\d+)\/items$/.exec(path))) return items(match[1] ?? '', query);
      if (method === 'GET' && (match = /^\/2\.0\/folders\/(\d+)$/.exec(path))) {
        const folder = content.folder(match[1] ?? '');
        return folder ? { status: 200, body: { ...content.mini(folder), item_collection: { total_count: content.childrenOf(folder.id).length } } } : notFound();
      }
      if (method === 'OPTIONS' && path === '/2.0/files/content') return content.preflight(body);
      if (method === 'GET' && (match = /^\/2\.0\/files\/(\d+)\/content$/.exec(path))) return content.content(match[1] ?? '');
      if (method === 'GET' && (match = /^\/2\.0\/files\/(\d+)$/.exec(path))) {
        const file = content.file(match[1] ?? '');
        return file ? { status: 200, body: content.mini(file) } : notFound();
      }
      if (method === 'GET' && path === '/2.0/search') {
        if (!searchRefused) {
          searchRefused = true;
          return rateLimited(PAGE_RETRY_AFTER);
        }
        const words = (query.get('query') ?? '').toLowerCase();
        const found = ['0', '1234'].flatMap((id) => content.childrenOf(id)).filter((item) => item.name.toLowerCase().includes(words));
        return { status: 200, body: { total_count: found.length, entries: found.map(content.mini), limit: 30, offset: 0 } };
      }
      return notFound();
    },
  };
}
