/**
 * Box's JWT grant, {@link boxJwtGrant}, for `createBoxAuth`. Node only (it signs with
 * `node:crypto`), in an entry of its own so that browser bundles never carry it.
 *
 * @module axios-box-status/jwt
 */
export { boxJwtGrant } from './jwt-grant.js';
export type { BoxAppConfig, BoxJwtGrantOptions } from './jwt-types.js';
