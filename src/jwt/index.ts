export { boxJwtGrant } from './jwt-grant.js';
export type { BoxAppConfig, BoxJwtGrantOptions } from './jwt-types.js';
