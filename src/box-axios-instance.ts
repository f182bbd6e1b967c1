import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import type { BoxStatus } from './status-types.js';

/** A response of an instance the plugin is attached to: `boxStatus` is always there. */
export type BoxAxiosResponse<T = any, D = any> = AxiosResponse<T, D> & { boxStatus: BoxStatus };

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
  request<T = any, R = BoxAxiosResponse<T>, D = any>(config: AxiosRequestConfig<D>): Promise<R>;
  get<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, config?: AxiosRequestConfig<D>): Promise<R>;
  delete<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, config?: AxiosRequestConfig<D>): Promise<R>;
  head<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, config?: AxiosRequestConfig<D>): Promise<R>;
  options<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, config?: AxiosRequestConfig<D>): Promise<R>;
  post<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
  put<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
  patch<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
  postForm<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
  putForm<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
  patchForm<T = any, R = BoxAxiosResponse<T>, D = any>(url: string, data?: D, config?: AxiosRequestConfig<D>): Promise<R>;
}
