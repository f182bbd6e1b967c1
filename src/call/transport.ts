import axios, { AxiosHeaders } from 'axios';
import type { AxiosAdapter, AxiosRequestConfig, AxiosResponse, InternalAxiosRequestConfig } from 'axios';

export type AdapterSetting = AxiosRequestConfig['adapter'];

/** The adapter a request would have used without the plugin: its own setting, or axios's default. */
export function adapterFor(setting: AdapterSetting, config: InternalAxiosRequestConfig): AxiosAdapter {
  return axios.getAdapter(setting ?? axios.defaults.adapter, config as never) as AxiosAdapter;
}

/**
 * Headers this copy of axios can read. The instance may come from another copy (an ESM app
 * with a CJS copy of the plugin) whose AxiosHeaders axios before 1.16 mistakes for a value.
 */
export function ownHeaders(headers: unknown): AxiosHeaders {
  if (headers instanceof AxiosHeaders) return headers;
  const foreign = headers as { toJSON?: () => object } | undefined;
  return AxiosHeaders.from((typeof foreign?.toJSON === 'function' ? foreign.toJSON() : foreign) as never);
}

/** What the loop changes in an attempt's copy of the request. */
export interface AttemptOverrides {
  /** The deadline's cut of the timeout, and its signal. */
  timeout?: number;
  signal?: AbortSignal;
}

/**
 * The config of one attempt: a shallow copy of `request`, so that nothing a transport or a mock
 * does to it (axios-mock-adapter deletes `adapter` from the config it is handed) reaches the next
 * attempt or the caller. Every status resolves: the call loop decides what is a failure.
 */
export function attemptConfig(
  request: InternalAxiosRequestConfig,
  overrides?: AttemptOverrides,
  token?: string,
): InternalAxiosRequestConfig {
  const attempt = copyConfig(request);
  attempt.validateStatus = null;
  attempt.headers = ownHeaders(request.headers);
  if (overrides) Object.assign(attempt, overrides);
  // On a copy of the headers: the token is this attempt's, not the caller's.
  if (token !== undefined) attempt.headers = new AxiosHeaders(attempt.headers).set('Authorization', `Bearer ${token}`);
  return attempt;
}

/**
 * What the copy of a null-prototype config inherits: nothing but the `hasOwnProperty` that axios
 * gives such a config (non-enumerable, writable). Axios 1.16 and later build the config on a null
 * prototype so that a polluted Object.prototype cannot reach `config.auth` or `config.proxy`; the
 * copy's chain ends in null as well. Sealed: shared by every copy, it must not gain properties.
 */
const NULL_PROTOTYPE_CONFIG: object = Object.seal(
  Object.create(null, { hasOwnProperty: { value: Object.prototype.hasOwnProperty, writable: true } }),
);

/**
 * A shallow copy of a request config: its enumerable own keys, symbols included, as a spread
 * would copy them. Copied key by key into a fast object: axios's config is a dictionary-mode object
 * (null-prototype ones always are), whose spread costs several times as much (3 µs against
 * 0.8 µs in the benchmark), a cost every call would pay.
 */
export function copyConfig(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  const source = config as unknown as Record<PropertyKey, unknown>;
  const copy = (Object.getPrototypeOf(source) === null ? Object.create(NULL_PROTOTYPE_CONFIG) : {}) as Record<PropertyKey, unknown>;
  for (const key of Object.keys(source)) copy[key] = source[key];
  for (const key of Object.getOwnPropertySymbols(source)) {
    if (Object.prototype.propertyIsEnumerable.call(source, key)) copy[key] = source[key];
  }
  return copy as unknown as InternalAxiosRequestConfig;
}

/**
 * Release the body of a response that is retried past. With `responseType: 'stream'` (a
 * download polled on 202) nobody else will read it, and an unread stream holds its socket.
 */
export function discardBody(response: AxiosResponse | undefined): void {
  const body = response?.data as { destroy?: () => void; cancel?: () => Promise<void> } | undefined;
  if (typeof body?.destroy === 'function') body.destroy();
  else if (typeof body?.cancel === 'function') body.cancel().catch(() => {});
}

/**
 * Give the caller's config what the last attempt was sent with, where it differs: the headers the
 * plugin gave it (the token set per attempt), and what `onRetry` may have changed in `request`
 * (the URL, the params, `auth`), which a caller re-sending `error.config` needs and the redaction
 * must know. Not what a transport did to its copy afterwards.
 */
export function adoptSentConfig(
  config: InternalAxiosRequestConfig,
  request: InternalAxiosRequestConfig,
  sentHeaders: InternalAxiosRequestConfig['headers'] | undefined,
): void {
  if (sentHeaders) config.headers = sentHeaders;
  if (request === config) return;
  if (request.url !== undefined) config.url = request.url;
  config.params = request.params;
  if (request.auth) config.auth = request.auth;
}
