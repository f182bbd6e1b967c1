import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import type { BoxStatus } from './status-types.js';

/**
 * A response of an instance the plugin is attached to: `boxStatus` is always there.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { withBoxStatus, type BoxAxiosResponse } from 'axios-box-status';
 *
 * const box = withBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }));
 * const res: BoxAxiosResponse<{ id: string }> = await box.get('/folders/0');
 * console.log(res.data.id, res.boxStatus.attempts);
 * ```
 */
export type BoxAxiosResponse<T = any, D = any> = AxiosResponse<T, D> & {
  /** What the plugin did for this response. */
  boxStatus: BoxStatus;
};

/** The request methods whose responses {@link BoxAxiosInstance} types with `boxStatus`. */
type RequestMethod = 'request' | 'get' | 'delete' | 'head' | 'options' | 'post' | 'put' | 'patch' | 'postForm' | 'putForm' | 'patchForm';

/**
 * An axios instance the plugin is attached to, as {@link withBoxStatus} and
 * {@link BoxStatusHandle.instance} give it: the same object, whose request methods resolve to a
 * {@link BoxAxiosResponse}, so that `res.boxStatus.attempts` needs no check or cast under
 * `strict`. It can be passed wherever an `AxiosInstance` is expected.
 *
 * @example
 * const box = withBoxStatus(axios.create({ baseURL: 'https://api.box.com/2.0' }));
 * const res = await box.get<{ id: string }>('/folders/0');
 * console.log(res.data.id, res.boxStatus.attempts);
 */
export interface BoxAxiosInstance extends Omit<AxiosInstance, RequestMethod> {
  <T = any, R = BoxAxiosResponse<T>, D = any>(config: AxiosRequestConfig<D>): Promise<R>;
  <T = any, R = BoxAxiosResponse<T>, D = any>(url: string, config?: AxiosRequestConfig<D>): Promise<R>;
  /** As axios\'s own `request`, resolving to a {@link BoxAxiosResponse}. */
  request<T = any, R = BoxAxiosResponse<T>, D = any>(config: AxiosRequestConfig<D>): Promise<R>;
  /** As axios\'s own `get`, resolving to a {@link BoxAxiosResponse}. */
  get<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, config?: AxiosRequestConfig<D>): Promise<R>;
  /** As axios\'s own `delete`, resolving to a {@link BoxAxiosResponse}. */
  delete<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, config?: AxiosRequestConfig<D>): Promise<R>;
  /** As axios\'s own `head`, resolving to a {@link BoxAxiosResponse}. */
  head<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, config?: AxiosRequestConfig<D>): Promise<R>;
  /** As axios\'s own `options`, resolving to a {@link BoxAxiosResponse}. */
  options<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, config?: AxiosRequestConfig<D>): Promise<R>;
  /** As axios\'s own `post`, resolving to a {@link BoxAxiosResponse}. */
  post<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
  /** As axios\'s own `put`, resolving to a {@link BoxAxiosResponse}. */
  put<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
  /** As axios\'s own `patch`, resolving to a {@link BoxAxiosResponse}. */
  patch<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
  /** As axios\'s own `postForm`, resolving to a {@link BoxAxiosResponse}. */
  postForm<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
  /** As axios\'s own `putForm`, resolving to a {@link BoxAxiosResponse}. */
  putForm<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
  /** As axios\'s own `patchForm`, resolving to a {@link BoxAxiosResponse}. */
  patchForm<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
}
