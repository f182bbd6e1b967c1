import { AxiosError, AxiosHeaders, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';

/** One scripted answer: a response, or an error the adapter rejects with. */
export type Answer = { status: number; headers?: Record<string, string>; data?: unknown; delayMs?: number } | Error;

export interface SentAttempt {
  /** `performance.now()` when the adapter was called (the fake clock's, under fake timers). */
  at: number;
  config: InternalAxiosRequestConfig;
}

/**
 * An axios adapter that answers from a script, with no network: per path, the n-th attempt gets
 * the n-th answer and the last repeats; an answer may take `delayMs` (a timer). Every attempt it was handed is logged, with when. As
 * axios's own adapters do, a status the config's validateStatus refuses rejects.
 */
export function scriptedAdapter(script: Record<string, Answer[] | ((attempt: number, config: InternalAxiosRequestConfig) => Answer)>) {
  const sent: SentAttempt[] = [];
  const counts = new Map<string, number>();
  const adapter: AxiosAdapter = async (config) => {
    sent.push({ at: performance.now(), config });
    const path = config.url ?? '';
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    const replies = script[path];
    if (replies === undefined) throw new Error(`no script for ${path}`);
    const answer = typeof replies === 'function' ? replies(count, config) : (replies[Math.min(count, replies.length) - 1] as Answer);
    if (answer instanceof Error) throw answer;
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    const response: AxiosResponse = {
      status: answer.status,
      statusText: '',
      headers: new AxiosHeaders(answer.headers),
      data: answer.data ?? '',
      config,
      request: {},
    };
    if (config.validateStatus && !config.validateStatus(answer.status)) {
      throw new AxiosError(`Request failed with status code ${answer.status}`, 'ERR_BAD_RESPONSE', config, {}, response);
    }
    return response;
  };
  return { adapter, sent, count: (path: string) => counts.get(path) ?? 0 };
}
