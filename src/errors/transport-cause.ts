/** An error's code as the retry rules read it, and the error on its cause chain that carries it. */
export interface InnerCode {
  readonly code: unknown;
  /** The error that carries `code`: the error itself, or a cause. */
  readonly source: unknown;
}

/**
 * The error's code. The fetch adapter reports every transport failure as ERR_NETWORK, and a body
 * broken off ("terminated") with no code at all, and keeps the real one (ECONNREFUSED,
 * UND_ERR_SOCKET, ECONNRESET, Z_DATA_ERROR...) on its cause chain, where the rules must find it.
 */
export function innerCode(error: unknown): InnerCode {
  let source = error;
  let code = (error as { code?: unknown } | null)?.code;
  let cause = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; (code === 'ERR_NETWORK' || code === undefined) && depth < 3 && cause; depth += 1) {
    const inner = (cause as { code?: unknown }).code;
    if (typeof inner === 'string') {
      code = inner;
      source = cause;
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return { code, source };
}

/**
 * What a fetch adapter's `Network Error` hides: the cause that says what happened (`connect
 * ECONNREFUSED 127.0.0.1:8080`), for its message; undefined for any other error.
 */
export function hiddenCause(error: unknown): string | undefined {
  if ((error as { code?: unknown } | null)?.code !== 'ERR_NETWORK') return undefined;
  const { code, source } = innerCode(error);
  if (source === error || typeof code !== 'string') return undefined;
  const message = (source as { message?: unknown }).message;
  if (typeof message !== 'string' || message === '') return code;
  return message.includes(code) ? message : `${code}: ${message}`;
}
