import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Every recipe of examples/ (a file whose first line is `// Recipe: ...`), run as a user runs it:
// `npm run example <name>` (here its script, with --no-build: `npm test` has built dist/ already)
// against the local Box-like server, which prints every request it answered and what the recipe
// wrote. Each recipe must exit 0 and do what the README says it does.

const runner = fileURLToPath(new URL('../examples/local-box/run.mjs', import.meta.url));
const examples = new URL('../examples/', import.meta.url);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function example(name: string): Promise<Run> {
  // Generous: a recipe takes 2 s alone, and has taken 50 s on a machine loaded 25 times over.
  const run = promisify(execFile)(process.execPath, [runner, name, '--no-build'], { timeout: 240_000 });
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === 'number' ? error.code : -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
}

/** The requests the local server answered, as the runner lists them: `METHOD origin path -> status (note)`. */
function served(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => /^# {3}\S/.test(line))
    .map((line) => line.slice(4).replace(/ +/g, ' '));
}

/** What the logging and metrics recipes' app does: a token, the root folder, 8 searches (one 429), a file that is gone. */
const APP_REQUESTS = [
  'POST api /oauth2/token -> 200 (client_credentials)',
  'GET api /2.0/folders/0 -> 200',
  'GET api /2.0/search -> 429 (retry-after: 0.1)',
  ...Array<string>(8).fill('GET api /2.0/search -> 200'),
  'GET api /2.0/files/404404 -> 404 (not_found)',
];

const expectations: Record<string, (run: Run) => void> = {
  'read-folder': ({ stdout }) => {
    expect(stdout).toContain('page of 2: 1 attempt(s)');
    expect(stdout).toContain('page of 1: 2 attempt(s)');
    expect(stdout).toContain('3 items');
    expect(served(stdout)).toEqual([
      'GET api /2.0/folders/0/items -> 200',
      'GET api /2.0/folders/0/items -> 429 (retry-after: 0.1)',
      'GET api /2.0/folders/0/items -> 200',
    ]);
  },
  'upload-file': ({ stdout }) => {
    expect(stdout).toMatch(/uploaded notes\.txt: file \d+, sha1 [0-9a-f]{40}, 1 attempt\(s\)/);
    // To upload.box.com's stand-in, not to the API's.
    expect(served(stdout)).toEqual(['POST upload /api/2.0/files/content -> 201']);
  },
  'upload-retryable': ({ stdout }) => {
    expect(stdout).toContain('preflight: accepted');
    expect(stdout).toMatch(/uploaded: file \d+ \(a retry found our own upload: same SHA-1\), 2 attempts/);
    expect(served(stdout)).toEqual([
      'OPTIONS api /2.0/files/content -> 200',
      'POST upload /api/2.0/files/content -> 503 (stored, then 503)',
      'POST upload /api/2.0/files/content -> 409 (item_name_in_use)',
    ]);
  },
  'download-file': ({ stdout }) => {
    expect(stdout).toContain('file 8000: saved budget.xlsx (2 attempts)');
    expect(stdout).toContain('file 8001: not ready after 5 attempts: try again in 100 ms; nothing written');
    // The 202 that ran out of polls wrote no (empty) file.
    expect(stdout.split('\n').filter((line) => line.startsWith('# the recipe wrote'))).toEqual(['# the recipe wrote budget.xlsx (30 B)']);
    expect(served(stdout)).toEqual([
      'GET api /2.0/files/8000/content -> 202 (retry-after: 0.1)',
      'GET api /2.0/files/8000/content -> 302',
      // The token did not follow the redirect to the download host (it would answer 400).
      'GET dl /d/8000 -> 200',
      ...Array<string>(5).fill('GET api /2.0/files/8001/content -> 202 (retry-after: 0.1)'),
    ]);
  },
  'auth-ccg': ({ stdout }) => {
    expect(stdout).toContain('token refreshed (reason missing): ok');
    expect(stdout).toContain('signed in as Local Service Account; the root folder holds 3 items');
    expect(served(stdout)).toEqual([
      'POST api /oauth2/token -> 200 (client_credentials)',
      'GET api /2.0/users/me -> 200',
      'GET api /2.0/folders/0 -> 200',
    ]);
  },
  'auth-jwt': ({ stdout }) => {
    expect(stdout).toContain('token refreshed (reason missing): ok');
    expect(stdout).toContain('signed in as Local Service Account (AutomationUser_33@boxdevedition.com)');
    // The server verified the RS256 assertion with the public key of the key pair made for the run.
    expect(served(stdout)).toEqual(['POST api /oauth2/token -> 200 (jwt-bearer)', 'GET api /2.0/users/me -> 200']);
  },
  'auth-oauth': ({ stdout }) => {
    expect(stdout).toContain('the refresh token was rotated and saved 2 times');
    // Each refresh spent the newest refresh token (a spent one is answered 400 invalid_grant).
    expect(served(stdout)).toEqual([
      'POST api /oauth2/token -> 200 (refresh_token)',
      'GET api /2.0/users/me -> 200',
      'POST api /oauth2/token -> 200 (refresh_token)',
      'GET api /2.0/users/me -> 200',
    ]);
    expect(stdout).toMatch(/^# the recipe wrote box-refresh-token \(\d+ B\)$/m);
  },
  'fleet-redis': ({ stdout }) => {
    expect(stdout).toMatch(/8 searches in \d+\.\d s, under 6 a second; 1 retried after a 429/);
    expect(stdout).toContain('Redis shared: true');
    const requests = served(stdout);
    expect(requests[0]).toBe('POST api /oauth2/token -> 200 (client_credentials)');
    expect(requests.slice(1).sort()).toEqual(['GET api /2.0/search -> 429 (retry-after: 0.1)', ...Array<string>(8).fill('GET api /2.0/search -> 200')].sort());
  },
  'logging-pino': ({ stdout }) => {
    const lines = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; level: number });
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^token refreshed \(missing\) in \d+ ms$/),
        'Box answered 429: default pauses 100 ms',
        expect.stringMatching(/^retrying GET http:\/\/127\.0\.0\.1:\d+\/2\.0\/search in 100 ms \(status 429\)$/),
        expect.stringMatching(/^gave up on GET .*\/files\/404404 after 1 attempts: not retryable$/),
      ]),
    );
    // No credential in any line.
    expect(stdout).not.toMatch(/Bearer|client_secret|access_token/);
    expect(served(stdout).sort()).toEqual([...APP_REQUESTS].sort());
  },
  'metrics-otel': ({ stdout }) => {
    const metrics = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { metric: string; attributes: object; value: unknown });
    expect(metrics).toEqual(
      expect.arrayContaining([
        { metric: 'box.retries', attributes: { status: '429', source: 'retry-after' }, value: 1 },
        { metric: 'box.pauses', attributes: { status: '429' }, value: 1 },
        { metric: 'box.token.refreshes', attributes: { reason: 'missing', ok: true }, value: 1 },
        { metric: 'box.give_ups', attributes: { reason: 'not retryable' }, value: 1 },
      ]),
    );
    expect(served(stdout).sort()).toEqual([...APP_REQUESTS].sort());
  },
  'not-found-as-value': ({ stdout }) => {
    expect(stdout).toMatch(/^file 12345: does not exist \(Box request [0-9a-f]+\)$/m);
    expect(served(stdout)).toEqual(['GET api /2.0/files/12345 -> 404 (not_found)']);
  },
  'testing-mock-adapter': ({ stdout }) => {
    expect(stdout).toMatch(/^# pass 2$/m);
    expect(stdout).toMatch(/^# fail 0$/m);
    expect(served(stdout)).toEqual([]);
  },
};

const recipes = readdirSync(examples)
  .filter((file) => file.endsWith('.mjs') && readFileSync(new URL(file, examples), 'utf8').startsWith('// Recipe: '))
  .map((file) => file.slice(0, -'.mjs'.length))
  .sort();

it('every recipe in examples/ has its checks here, and every check its recipe', () => {
  expect(recipes).toEqual(Object.keys(expectations).sort());
});

// One at a time: each is two Node processes and a server, and the suite's timing tests share the machine.
describe('npm run example <name>: each recipe against the local Box-like server', () => {
  for (const name of recipes) {
    it(name, async () => {
      const run = await example(name);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout.split('\n', 1)[0]).toMatch(new RegExp(`^# ${name}: `));
      expectations[name]?.(run);
    }, 250_000);
  }
});

it('npm run example without a known name lists the recipes and exits 2', async () => {
  const run = await example('no-such-recipe');
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('No recipe named "no-such-recipe".');
  for (const name of recipes) expect(run.stderr).toMatch(new RegExp(`^ {2}${name} +\\S`, 'm'));
}, 120_000);
