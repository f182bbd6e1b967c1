import { boxError, startBoxServer, type BoxServer, type LoggedRequest, type Reply } from './box-server.js';
import { perTest } from './per-test.js';

/** A Box-like API that answers 401 unless the bearer token is valid, and a token endpoint on another port. */
export interface TokenWorld {
  /** The API. A scripted path answers its script only to a valid token; 401 otherwise. */
  api: BoxServer;
  /** The token endpoint's server (`/oauth2/token`, scripted by the test). */
  tokens: BoxServer;
  /** The token endpoint's URL: `${tokens.url}/oauth2/token`. */
  tokenUrl: string;
  /** Requests the token endpoint has had. */
  tokenRequests(): LoggedRequest[];
  /** Tokens the API accepts now. */
  valid: Set<string>;
  /** Make a new token valid and return it (`token-1-xxxxxxxx`, `token-2-...`). */
  mint(): string;
  /** The bearer token a logged request carried, or undefined. */
  bearer(request: LoggedRequest): string | undefined;
  /**
   * Script an API path: a valid token gets the n-th reply (counting only the requests with a valid
   * token; the last repeats), any other request a 401 as Box sends it.
   */
  script(path: string, replies: Reply[]): void;
  close(): Promise<void>;
}

/** Box's 401, with the header Box has been seen to send. */
export const UNAUTHORIZED: Reply = {
  status: 401,
  headers: { 'www-authenticate': 'Bearer realm="Service", error="invalid_token"' },
  body: boxError(401, 'unauthorized', 'Unauthorized'),
};

export async function startTokenWorld(): Promise<TokenWorld> {
  const api = await startBoxServer();
  const tokens = await startBoxServer();
  const valid = new Set<string>();
  let minted = 0;
  const bearer = (request: LoggedRequest): string | undefined =>
    /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
  return {
    api,
    tokens,
    tokenUrl: `${tokens.url}/oauth2/token`,
    tokenRequests: () => tokens.log.filter((request) => request.path === '/oauth2/token'),
    valid,
    mint() {
      minted += 1;
      const token = `token-${minted}-${Math.random().toString(36).slice(2, 10)}`;
      valid.add(token);
      return token;
    },
    bearer,
    script(path, replies) {
      let accepted = 0;
      api.script(path, (_count, request) => {
        const token = bearer(request);
        if (token === undefined || !valid.has(token)) return UNAUTHORIZED;
        accepted += 1;
        return replies[Math.min(accepted, replies.length) - 1] ?? {};
      });
    },
    async close() {
      await Promise.all([api.close(), tokens.close()]);
    },
  };
}

/** The token endpoint refusing a refresh token (expired, reused, revoked), as Box does. */
export const INVALID_GRANT: Reply = {
  status: 400,
  body: { error: 'invalid_grant', error_description: 'Invalid refresh token' },
};

/** The form fields a logged token request posted. */
export const form = (request: LoggedRequest | undefined): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(request?.body ?? ''));

/** A fresh token world for each test of the calling file, closed after it. */
export function useTokenWorld(): TokenWorld {
  return perTest(startTokenWorld, 'the token world');
}
