// Recipe: an OAuth 2.0 app: refresh tokens are single use, so each new one is saved.
// Run it: npm run example auth-oauth (against a local token endpoint that rotates refresh tokens
// as Box's does). Against Box, set BOX_CLIENT_ID, BOX_CLIENT_SECRET and BOX_REFRESH_TOKEN.
// @ts-check
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import axios from 'axios';
import { attachBoxStatus, boxRefreshTokenGrant, createBoxAuth } from 'axios-box-status';

const API = process.env.BOX_API_BASE_URL ?? 'https://api.box.com/2.0';
const UPLOAD = process.env.BOX_UPLOAD_BASE_URL ?? 'https://upload.box.com/api/2.0';
const SAVED = 'box-refresh-token'; // keep it where you keep secrets: a database, a vault...

/** @param {string} name */
function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}`);
  return value;
}

let rotations = 0;
const auth = createBoxAuth({
  refresh: boxRefreshTokenGrant({
    clientId: env('BOX_CLIENT_ID'),
    clientSecret: env('BOX_CLIENT_SECRET'),
    // The last one saved, else the one the user's authorization gave.
    refreshToken: existsSync(SAVED) ? readFileSync(SAVED, 'utf8') : env('BOX_REFRESH_TOKEN'),
    // Box has spent the old refresh token: save the new one before anything else.
    onTokens: ({ refreshToken }) => {
      writeFileSync(SAVED, refreshToken, { mode: 0o600 });
      rotations += 1;
    },
    tokenUrl: process.env.BOX_TOKEN_URL, // unset: https://api.box.com/oauth2/token
  }),
  origins: [new URL(API).origin, new URL(UPLOAD).origin],
});
const box = axios.create({ baseURL: API });
attachBoxStatus(box, { auth });

const me = await box.get('/users/me');
auth.invalidate(); // as if the access token had expired: the next call refreshes again
await box.get('/users/me');
console.log(`signed in as ${me.data.name}; the refresh token was rotated and saved ${rotations} times`);
