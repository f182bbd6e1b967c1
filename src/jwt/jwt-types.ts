/**
 * Box's app config, as the Developer Console downloads it for a JWT app
 * (`JSON.parse(readFileSync('config.json', 'utf8'))`). Other fields it has are ignored.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { boxJwtGrant, type BoxAppConfig } from 'axios-box-status/jwt';
 *
 * const config: BoxAppConfig = JSON.parse(readFileSync('config.json', 'utf8'));
 * const refresh = boxJwtGrant({ config, subjectType: 'user', subjectId: '33' });
 * ```
 */
export interface BoxAppConfig {
  /** The app's settings. */
  boxAppSettings: {
    /** The app's client id. */
    clientID: string;
    /** The app's client secret. */
    clientSecret: string;
    /** The app's key pair. */
    appAuth: {
      /** The id Box gave the public key: the assertion's `kid`. */
      publicKeyID: string;
      /** The private key, a PEM (Box's is an encrypted PKCS#8 one). */
      privateKey: string;
      /** What decrypts `privateKey`. */
      passphrase?: string | undefined;
    };
  };
  /** The app's enterprise: the default subject. */
  enterpriseID?: string | number | undefined;
}

/**
 * Options of {@link boxJwtGrant}: Box's app config as it is, or the same fields flat (a flat one
 * overrides the config's).
 *
 * @example
 * ```ts
 * import { boxJwtGrant, type BoxJwtGrantOptions } from 'axios-box-status/jwt';
 *
 * // The same fields as the app config, flat: from a secrets manager, say.
 * const options: BoxJwtGrantOptions = {
 *   clientId: process.env.BOX_CLIENT_ID!,
 *   clientSecret: process.env.BOX_CLIENT_SECRET!,
 *   publicKeyId: process.env.BOX_PUBLIC_KEY_ID!,
 *   privateKey: process.env.BOX_PRIVATE_KEY!,
 *   passphrase: process.env.BOX_PASSPHRASE!,
 *   subjectId: process.env.BOX_ENTERPRISE_ID!,
 * };
 * const refresh = boxJwtGrant(options);
 * ```
 */
export interface BoxJwtGrantOptions {
  /** The JSON the Box Developer Console downloads, parsed. */
  config?: BoxAppConfig | undefined;
  /** @default config.boxAppSettings.clientID */
  clientId?: string | undefined;
  /** @default config.boxAppSettings.clientSecret */
  clientSecret?: string | undefined;
  /** @default config.boxAppSettings.appAuth.publicKeyID */
  publicKeyId?: string | undefined;
  /** A PEM private key (PKCS#8 or PKCS#1, encrypted or not), RSA. @default config.boxAppSettings.appAuth.privateKey */
  privateKey?: string | undefined;
  /** Decrypts an encrypted `privateKey`. @default config.boxAppSettings.appAuth.passphrase */
  passphrase?: string | undefined;
  /** `enterprise` for the app's service account, `user` for a managed or app user. @default 'enterprise' */
  subjectType?: 'enterprise' | 'user' | undefined;
  /** The enterprise id, or the user id. @default config.enterpriseID (for subjectType 'enterprise') */
  subjectId?: string | undefined;
  /** `https:` (`http:` only on a loopback host); also the assertion's `aud`. @default 'https://api.box.com/oauth2/token' */
  tokenUrl?: string | undefined;
}
