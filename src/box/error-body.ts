/** The Box fields of an error body, each a string (or an object for contextInfo) or undefined. */
export interface BoxErrorBody {
  code: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
  helpUrl: string | undefined;
  contextInfo: Record<string, unknown> | undefined;
}

// Box error bodies are well under a kilobyte; anything far larger is not one, and parsing a
// 50 MB proxy page would only cost time.
const MAX_BODY_CHARS = 1 << 20;

const EMPTY: BoxErrorBody = Object.freeze({
  code: undefined,
  message: undefined,
  requestId: undefined,
  helpUrl: undefined,
  contextInfo: undefined,
});

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decode(data: unknown): unknown {
  if (typeof data === 'string') {
    if (data.length > MAX_BODY_CHARS) return undefined;
    const trimmed = data.trim();
    if (!trimmed.startsWith('{')) return undefined;
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return undefined;
    }
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    if (data.byteLength > MAX_BODY_CHARS) return undefined;
    return decode(new TextDecoder().decode(data));
  }
  return data;
}

/**
 * Box's fields from an error body in any of its shapes: the standard error (`code`, `message`,
 * `request_id`, `help_url`, `context_info`), the OAuth2 error (`error`, `error_description`) and
 * the slim metadata error. Accepts a parsed object, a JSON string or bytes; anything else (an
 * HTML page, broken JSON, a stream) gives every field undefined. Never throws.
 */
export function parseBoxErrorBody(data: unknown): BoxErrorBody {
  try {
    const body = decode(data);
    if (!isRecord(body)) return EMPTY;
    return {
      code: text(body['code']) ?? text(body['error']),
      message: text(body['message']) ?? text(body['error_description']),
      requestId: text(body['request_id']),
      helpUrl: text(body['help_url']),
      contextInfo: isRecord(body['context_info']) ? body['context_info'] : undefined,
    };
  } catch {
    // A hostile object (a throwing getter, a revoked proxy) is no Box body either.
    return EMPTY;
  }
}

/** The `request_id` of an already-parsed body, or undefined. */
export function bodyRequestId(data: unknown): string | undefined {
  try {
    return isRecord(data) ? text(data['request_id']) : undefined;
  } catch {
    return undefined;
  }
}
