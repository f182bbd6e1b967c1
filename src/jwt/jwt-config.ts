import { createPrivateKey, type KeyObject } from 'node:crypto';
import { aString, checkKeys, fail, isRecord, oneOf } from '../options/rules.js';
import { CREDENTIALS, TOKEN_URL } from '../auth/token-request.js';
import type { BoxJwtGrantOptions } from './jwt-types.js';

/** What a JWT grant signs and posts with, read and checked once, before any request. */
export interface JwtSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly publicKeyId: string;
  readonly key: KeyObject;
  readonly subjectType: 'enterprise' | 'user';
  readonly subjectId: string;
  readonly tokenUrl: string;
  /** The private key's PEM and its passphrase, to scrub from errors. */
  readonly keySecrets: readonly string[];
}

const NAME = 'boxJwtGrant';
const OPTIONS: Record<keyof BoxJwtGrantOptions, true> = {
  config: true,
  clientId: true,
  clientSecret: true,
  publicKeyId: true,
  privateKey: true,
  passphrase: true,
  subjectType: true,
  subjectId: true,
  tokenUrl: true,
};

/** A TypeError naming a field whose value is a secret: what it is, never what it holds. */
function refuse(name: string, expected: string, value: unknown): never {
  throw new TypeError(`axios-box-status: ${name} must be ${expected}, received ${typeof value === 'string' ? `a string of ${value.length} characters` : value === null ? 'null' : typeof value}`);
}

/** `config.<path>`, an object, or a TypeError naming it. */
function objectAt(value: unknown, name: string): Record<string, unknown> {
  return isRecord(value) ? value : fail(name, "an object, as in Box's app config", value);
}

/**
 * A field, flat or from the config: the flat option wins; a missing one is a TypeError naming
 * both places, a bad one names the place it came from.
 */
function field(flat: unknown, fromConfig: unknown, flatName: string, configName: string | undefined): { value: unknown; name: string } | undefined {
  if (flat !== undefined) return { value: flat, name: `${NAME}.${flatName}` };
  if (fromConfig !== undefined) return { value: fromConfig, name: `${NAME}.${configName}` };
  return undefined;
}

function required(found: ReturnType<typeof field>, flatName: string, configName: string): { value: unknown; name: string } {
  return found ?? fail(`${NAME}.${flatName}`, `set (or ${configName} in config)`, undefined);
}

/** The private key, decrypted with its passphrase: an RSA key, or a TypeError naming the field at fault. */
function privateKeyOf(pem: { value: unknown; name: string }, passphrase: { value: unknown; name: string } | undefined): KeyObject {
  if (typeof pem.value !== 'string' || !pem.value.includes('PRIVATE KEY-----')) {
    refuse(pem.name, 'a PEM private key (-----BEGIN ENCRYPTED PRIVATE KEY----- ...)', pem.value);
  }
  if (passphrase !== undefined && typeof passphrase.value !== 'string') refuse(passphrase.name, 'a string', passphrase.value);
  // A key pasted into an environment variable often keeps its newlines as "\n".
  const key = pem.value.replace(/\\n/g, '\n');
  const encrypted = key.includes('ENCRYPTED PRIVATE KEY') || key.includes('Proc-Type: 4,ENCRYPTED');
  if (encrypted && passphrase === undefined) fail(`${NAME}.passphrase`, `set: ${pem.name} is encrypted`, undefined);
  let made: KeyObject;
  try {
    made = createPrivateKey({ key, format: 'pem', ...(passphrase ? { passphrase: passphrase.value as string } : {}) });
  } catch {
    if (encrypted) refuse((passphrase as { name: string }).name, `the passphrase that decrypts ${pem.name}`, passphrase?.value);
    return refuse(pem.name, 'a PEM private key that node:crypto can read', pem.value);
  }
  if (made.asymmetricKeyType !== 'rsa') refuse(pem.name, `an RSA private key (RS256), not an ${String(made.asymmetricKeyType)} one`, pem.value);
  return made;
}

/** The grant's settings from its options, every field checked: a TypeError naming the first bad one. */
export function jwtSettings(options: BoxJwtGrantOptions): JwtSettings {
  if (!isRecord(options)) fail(NAME, 'an object', options);
  checkKeys(options, OPTIONS, `${NAME}.`);
  const config = options.config === undefined ? undefined : objectAt(options.config, `${NAME}.config`);
  const app = config && objectAt(config['boxAppSettings'], `${NAME}.config.boxAppSettings`);
  const appAuth = app && objectAt(app['appAuth'], `${NAME}.config.boxAppSettings.appAuth`);
  const text = (found: { value: unknown; name: string }): string => aString(found.value, found.name, undefined) as string;
  const secret = (found: { value: unknown; name: string }): string =>
    typeof found.value === 'string' && found.value !== '' ? found.value : refuse(found.name, 'a non-empty string', found.value);

  const clientId = text(required(field(options.clientId, app?.['clientID'], 'clientId', 'config.boxAppSettings.clientID'), 'clientId', 'boxAppSettings.clientID'));
  const clientSecret = secret(
    required(field(options.clientSecret, app?.['clientSecret'], 'clientSecret', 'config.boxAppSettings.clientSecret'), 'clientSecret', 'boxAppSettings.clientSecret'),
  );
  const publicKeyId = text(
    required(field(options.publicKeyId, appAuth?.['publicKeyID'], 'publicKeyId', 'config.boxAppSettings.appAuth.publicKeyID'), 'publicKeyId', 'boxAppSettings.appAuth.publicKeyID'),
  );
  const pem = required(field(options.privateKey, appAuth?.['privateKey'], 'privateKey', 'config.boxAppSettings.appAuth.privateKey'), 'privateKey', 'boxAppSettings.appAuth.privateKey');
  const passphrase = field(options.passphrase, appAuth?.['passphrase'], 'passphrase', 'config.boxAppSettings.appAuth.passphrase');
  const key = privateKeyOf(pem, passphrase);
  const subjectType = (options.subjectType === undefined ? 'enterprise' : oneOf('enterprise', 'user')(options.subjectType, `${NAME}.subjectType`, undefined)) as JwtSettings['subjectType'];
  const enterprise = subjectType === 'enterprise' ? config?.['enterpriseID'] : undefined;
  const subject = field(options.subjectId, typeof enterprise === 'number' ? String(enterprise) : enterprise, 'subjectId', 'config.enterpriseID');
  if (subject === undefined) {
    fail(`${NAME}.subjectId`, subjectType === 'user' ? "set (the user's id) for subjectType 'user'" : 'set (the enterprise id), or config.enterpriseID', undefined);
  }
  const tokenUrl = options.tokenUrl === undefined ? TOKEN_URL : (CREDENTIALS.tokenUrl(options.tokenUrl, `${NAME}.tokenUrl`, undefined) as string);
  return {
    clientId,
    clientSecret,
    publicKeyId,
    key,
    subjectType,
    subjectId: text(subject),
    tokenUrl,
    keySecrets: [pem.value as string, ...(typeof passphrase?.value === 'string' && passphrase.value !== '' ? [passphrase.value] : [])],
  };
}
