import { inspect } from 'node:util';

function enumerableCopy(value: object): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = (value as Record<string, unknown>)[key];
  return copy;
}

/** Every way an error gets shown, logged or shipped to a log service. */
export function renderings(value: any): Record<string, string> {
  const shown: Record<string, string> = {
    message: String(value?.message),
    stack: String(value?.stack),
    string: String(value),
    'JSON.stringify': String(JSON.stringify(value)),
    'util.inspect depth 6': inspect(value, { depth: 6 }),
    'util.inspect depth Infinity': inspect(value, { depth: Infinity, showHidden: false }),
    'util.inspect showHidden': inspect(value, { depth: 6, showHidden: true }),
    'util.inspect nested': inspect({ failure: [value] }, { depth: 6 }),
  };
  if (typeof value?.toJSON === 'function') shown['toJSON'] = JSON.stringify(value.toJSON());
  if (typeof value === 'object' && value !== null) {
    // What pino's err serializer and other structured loggers do: copy the enumerable fields.
    shown['for-in copy'] = JSON.stringify(enumerableCopy(value));
    shown['spread copy'] = JSON.stringify({ ...value });
  }
  return shown;
}

/**
 * Every secret that any rendering of `value`, or of an error on its cause chain, shows, as
 * `cause.cause.how: secret`; empty when none does.
 */
export function shownSecrets(value: unknown, secrets: readonly string[]): string[] {
  const shown: string[] = [];
  let current: any = value;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth += 1) {
    for (const [how, text] of Object.entries(renderings(current))) {
      for (const secret of secrets) if (text.includes(secret)) shown.push(`${'cause.'.repeat(depth)}${how}: ${secret}`);
    }
    current = current.cause;
  }
  return shown;
}
