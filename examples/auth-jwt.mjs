// Recipe: a JWT app: the config file the Box Developer Console downloads, as it is.
// Run it: npm run example auth-jwt (with a key pair made for the run). Against Box, point
// BOX_CONFIG_PATH at your app's config.json.
// @ts-check
import { readFileSync } from 'node:fs';
import axios from 'axios';
import { attachBoxStatus, createBoxAuth } from 'axios-box-status';
import { boxJwtGrant } from 'axios-box-status/jwt'; // Node only

const API = process.env.BOX_API_BASE_URL ?? 'https://api.box.com/2.0';
const UPLOAD = process.env.BOX_UPLOAD_BASE_URL ?? 'https://upload.box.com/api/2.0';

const auth = createBoxAuth({
  refresh: boxJwtGrant({
    config: JSON.parse(readFileSync(process.env.BOX_CONFIG_PATH ?? 'config.json', 'utf8')),
    // The service account by default; a user: subjectType: 'user', subjectId: '33'.
    tokenUrl: process.env.BOX_TOKEN_URL, // unset: https://api.box.com/oauth2/token
  }),
  origins: [new URL(API).origin, new URL(UPLOAD).origin],
  onRefresh: (event) => console.log(`token refreshed (reason ${event.reason}): ${event.ok ? 'ok' : 'failed'}`),
});
const box = axios.create({ baseURL: API });
attachBoxStatus(box, { auth });

const me = await box.get('/users/me');
console.log(`signed in as ${me.data.name} (${me.data.login})`);
