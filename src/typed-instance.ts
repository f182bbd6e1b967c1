import type { AxiosInstance } from 'axios';
import { attachBoxStatus } from './attach.js';
import type { BoxAxiosInstance } from './box-axios-instance.js';
import type { BoxStatusOptions } from './types.js';

/**
 * Attach the plugin to `instance` (as {@link attachBoxStatus} does, with the same options) and
 * give the instance back typed as a {@link BoxAxiosInstance}: its responses' `boxStatus` is not
 * optional. For `eject()` and `stats()`, use `attachBoxStatus(instance).instance` instead.
 *
 * @example
 * const box = withBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }), { retry: { retries: 2 } });
 */
export function withBoxStatus(instance: AxiosInstance, options?: BoxStatusOptions): BoxAxiosInstance {
  return attachBoxStatus(instance, options).instance;
}
