// `npm run example <name>`: run the recipe examples/<name>.mjs against the local Box-like server.
//
// Builds the package first when dist/ is missing or older than src/ (the recipes import
// 'axios-box-status' by its name, which resolves to dist/ as it would for a user), makes up an
// app's credentials and a JWT key pair for this run, starts the server on 127.0.0.1 (random
// ports) and a redis-server when the recipe needs one, runs the recipe in a temp directory with
// the server's URLs and the credentials in its environment, then prints every request the server
// answered. Exits with the recipe's exit code.
//
//   npm run example                 # lists the recipes
//   npm run example read-folder
//   node examples/local-box/run.mjs read-folder --no-build

import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisMissingError, startRedis } from '../redis-server.mjs';
import { startLocalBox } from './server.mjs';

const examples = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const RECIPE_TIMEOUT_MS = 120_000;

/** The recipes: examples/*.mjs whose first line is `// Recipe: <what it shows>`. */
function recipes() {
  return readdirSync(examples)
    .filter((file) => file.endsWith('.mjs'))
    .map((file) => ({ name: file.slice(0, -'.mjs'.length), header: readFileSync(join(examples, file), 'utf8').split('\n', 12) }))
    .filter((recipe) => recipe.header[0]?.startsWith('// Recipe: '))
    .map((recipe) => ({
      name: recipe.name,
      title: (recipe.header[0] ?? '').slice('// Recipe: '.length),
      /** `// Local Box: flag, flag`: what the server plays for this recipe. */
      flags: headerList(recipe.header, 'Local Box'),
      /** `// Needs: redis-server`. */
      needs: headerList(recipe.header, 'Needs'),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function headerList(/** @type {string[]} */ header, /** @type {string} */ label) {
  const line = header.find((text) => text.startsWith(`// ${label}: `));
  return line ? line.slice(`// ${label}: `.length).split(',').map((item) => item.trim()) : [];
}

/** Build when dist/ is missing or any source is newer than it. */
function buildIfNeeded() {
  const built = ['index.js', 'redis/index.js', 'jwt/index.js'].map((file) => join(root, 'dist', file));
  const oldest = Math.min(...built.map((file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0));
  const sources = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).map((file) => statSync(join(root, 'src', file)));
  const newest = Math.max(...sources.map((stats) => stats.mtimeMs));
  if (oldest >= newest) return;
  console.error('Building the package first (npm run build)...');
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** An app's credentials for this run, and a JWT app config file with a fresh key pair. */
function makeCredentials(/** @type {string} */ dir) {
  const passphrase = randomBytes(12).toString('hex');
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  });
  const credentials = {
    developerToken: `dev-${randomBytes(12).toString('hex')}`,
    clientId: `client-${randomBytes(6).toString('hex')}`,
    clientSecret: `secret-${randomBytes(12).toString('hex')}`,
    enterpriseId: '1234567',
    refreshToken: `refresh-${randomBytes(12).toString('hex')}`,
    publicKeyId: randomBytes(4).toString('hex'),
    publicKey,
  };
  // The JSON the Box Developer Console downloads for a JWT app.
  const config = {
    boxAppSettings: {
      clientID: credentials.clientId,
      clientSecret: credentials.clientSecret,
      appAuth: { publicKeyID: credentials.publicKeyId, privateKey, passphrase },
    },
    enterpriseID: credentials.enterpriseId,
  };
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2), { mode: 0o600 });
  return { credentials, configPath };
}

const args = process.argv.slice(2);
const name = args.find((arg) => !arg.startsWith('--'));
const all = recipes();
const recipe = all.find((candidate) => candidate.name === name);
if (!recipe) {
  if (name !== undefined) console.error(`No recipe named "${name}".`);
  console.error('Usage: npm run example <name>. The recipes:');
  for (const { name: each, title } of all) console.error(`  ${each.padEnd(24)} ${title}`);
  process.exit(2);
}
if (!args.includes('--no-build')) buildIfNeeded();

// The recipe runs in a directory of its own (what it writes is listed at the end); the app's
// config is kept apart from it.
const work = mkdtempSync(join(tmpdir(), `axios-box-status-${recipe.name}-`));
const secrets = mkdtempSync(join(tmpdir(), 'axios-box-status-app-'));
const { credentials, configPath } = makeCredentials(secrets);
/** @type {Awaited<ReturnType<typeof startRedis>> | undefined} */
let redis;
if (recipe.needs.includes('redis-server')) {
  try {
    redis = await startRedis();
  } catch (error) {
    if (!(error instanceof RedisMissingError)) throw error;
    console.error(`The recipe ${recipe.name} needs redis-server: on Debian or Ubuntu, sudo apt-get install redis-server (or set REDIS_SERVER to its path).`);
    for (const dir of [work, secrets]) rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
}
const box = await startLocalBox({ credentials, flags: recipe.flags });
console.log(`# ${recipe.name}: ${recipe.title}`);
console.log(`# local Box-like server: api ${box.urls.api}, upload ${box.urls.upload}${redis ? '; redis-server on a unix socket' : ''}`);

const env = {
  ...process.env,
  BOX_API_BASE_URL: box.urls.api,
  BOX_UPLOAD_BASE_URL: box.urls.upload,
  BOX_TOKEN_URL: box.urls.token,
  BOX_DEVELOPER_TOKEN: credentials.developerToken,
  BOX_CLIENT_ID: credentials.clientId,
  BOX_CLIENT_SECRET: credentials.clientSecret,
  BOX_ENTERPRISE_ID: credentials.enterpriseId,
  BOX_REFRESH_TOKEN: credentials.refreshToken,
  BOX_CONFIG_PATH: configPath,
  ...(redis ? { REDIS_URL: redis.socket } : {}),
};
const child = spawn(process.execPath, [join(examples, `${recipe.name}.mjs`)], { cwd: work, env, stdio: 'inherit' });
const timer = setTimeout(() => {
  console.error(`# the recipe did not finish within ${RECIPE_TIMEOUT_MS / 1000} s: stopped`);
  child.kill('SIGKILL');
}, RECIPE_TIMEOUT_MS);
const code = await new Promise((resolve) => child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
clearTimeout(timer);

console.log(`# the local Box answered ${box.log.length} request${box.log.length === 1 ? '' : 's'}:`);
for (const entry of box.log) {
  console.log(`#   ${entry.method.padEnd(7)} ${entry.origin.padEnd(6)} ${entry.path} -> ${entry.status}${entry.note ? ` (${entry.note})` : ''}`);
}
for (const file of readdirSync(work)) console.log(`# the recipe wrote ${file} (${statSync(join(work, file)).size} B)`);
await box.close();
await redis?.close();
for (const dir of [work, secrets]) rmSync(dir, { recursive: true, force: true });
process.exit(code);
