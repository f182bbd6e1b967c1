// Recipe: a Client Credentials Grant app (CCG): the token fetched, kept and refreshed for you.
// Run it: npm run example auth-ccg (against a local Box-like server and its token endpoint).
// Against Box, set BOX_CLIENT_ID, BOX_CLIENT_SECRET and BOX_ENTERPRISE_ID.
// @ts-check
import axios from 'axios';
import { attachBoxStatus, boxClientCredentialsGrant, createBoxAuth } from 'axios-box-status';

const API = process.env.BOX_API_BASE_URL ?? 'https://api.box.com/2.0';
const UPLOAD = process.env.BOX_UPLOAD_BASE_URL ?? 'https://upload.box.com/api/2.0';

/** @param {string} name */
function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}`);
  return value;
}

const auth = createBoxAuth({
  refresh: boxClientCredentialsGrant({
    clientId: env('BOX_CLIENT_ID'),
    clientSecret: env('BOX_CLIENT_SECRET'),
    subjectType: 'enterprise',
    subjectId: env('BOX_ENTERPRISE_ID'),
    tokenUrl: process.env.BOX_TOKEN_URL, // unset: https://api.box.com/oauth2/token
  }),
  // The origins that get the token (default: https://api.box.com and https://upload.box.com).
  origins: [new URL(API).origin, new URL(UPLOAD).origin],
  onRefresh: (event) => console.log(`token refreshed (reason ${event.reason}): ${event.ok ? 'ok' : 'failed'}`),
});
const box = axios.create({ baseURL: API });
attachBoxStatus(box, { auth }); // one BoxAuth may serve several instances

const me = await box.get('/users/me');
const root = await box.get('/folders/0');
console.log(`signed in as ${me.data.name}; the root folder holds ${root.data.item_collection.total_count} items`);
