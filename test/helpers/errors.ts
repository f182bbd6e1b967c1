import { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { BoxApiError, BoxClientError, BoxRateLimitError, BoxServerError, type BoxApiErrorInit } from '../../src/errors/box-error-classes.js';

// Requests and responses as Box errors are built from, carrying credentials the renderings must hide.

export const TOKEN = 'SECRET-TOKEN-123';
export const QUERY_SECRET = 'QUERYSECRET99';
export const REDACTED_URL = 'https://api.box.com/2.0/files/1?access_token=[REDACTED]';

export function fakeConfig(): InternalAxiosRequestConfig {
  return {
    headers: new AxiosHeaders({ Authorization: `Bearer ${TOKEN}` }),
    url: `/files/1?access_token=${QUERY_SECRET}`,
    baseURL: 'https://api.box.com/2.0',
    method: 'get',
  };
}

export function fakeResponse(
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
  statusText = '',
): AxiosResponse {
  return { status, statusText, headers: new AxiosHeaders(headers), config: fakeConfig(), data, request: {} };
}

export type ErrorClass = new (init: BoxApiErrorInit) => BoxApiError;

export const CLASSES: [string, ErrorClass, number][] = [
  ['BoxApiError', BoxApiError, 600],
  ['BoxClientError', BoxClientError, 404],
  ['BoxRateLimitError', BoxRateLimitError, 429],
  ['BoxServerError', BoxServerError, 500],
];

/** Every serialised form of an error that the contract keeps free of credentials. */
export function serialisedForms(error: BoxApiError | AxiosError): string[] {
  return [error.message, String(error.stack), JSON.stringify(error), JSON.stringify(error.toJSON())];
}
