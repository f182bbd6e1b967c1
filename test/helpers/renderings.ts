import { inspect } from 'node:util';

function enumerableCopy(value: object): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = (value as Record<string, unknown>)[key];
  return copy;
}

/** JSON.stringify, or what it threw (a cycle of plain fields): a throw shows nothing. */
function json(value: unknown): string {
  try {
    return String(JSON.stringify(value));
  } catch (error) {
    return `[JSON.stringify threw ${(error as Error).name}]`;
  }
}

/** Every way an error gets shown, logged or shipped to a log service. */
export function renderings(value: any): Record<string, string> {
  const shown: Record<string, string> = {
    message: String(value?.message),
    stack: String(value?.stack),
    string: String(value),
    'JSON.stringify': json(value),
    'util.inspect depth 6': inspect(value, { depth: 6 }),
    'util.inspect depth Infinity': inspect(value, { depth: Infinity, showHidden: false }),
    'util.inspect showHidden': inspect(value, { depth: 6, showHidden: true }),
    'util.inspect nested': inspect({ failure: [value] }, { depth: 6 }),
  };
  if (typeof value?.toJSON === 'function') shown['toJSON'] = json(value.toJSON());
  if (typeof value === 'object' && value !== null) {
    // What pino's err serializer and other structured loggers do: copy the enumerable fields.
    shown['for-in copy'] = json(enumerableCopy(value));
    shown['spread copy'] = json({ ...value });
  }
  return shown;
}

/**
 * `value` and every error it leads to through `cause` and AggregateError `errors`, at any depth
 * (each once), with the path that reached it: `cause.errors[1].cause`.
 */
export function everyCause(value: unknown): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  const seen = new Set<unknown>();
  const walk = (current: any, path: string): void => {
    if (current === undefined || current === null || seen.has(current) || found.length > 200) return;
    seen.add(current);
    found.push([path, current]);
    if (typeof current !== 'object') return;
    walk(current.cause, `${path}cause.`);
    if (Array.isArray(current.errors)) current.errors.forEach((error: unknown, index: number) => walk(error, `${path}errors[${index}].`));
  };
  walk(value, '');
  return found;
}

/**
 * Every secret that any rendering of `value`, or of an error it leads to (causes at any depth,
 * AggregateError `errors`), shows, as `cause.cause.how: secret`; empty when none does.
 */
export function shownSecrets(value: unknown, secrets: readonly string[]): string[] {
  const shown: string[] = [];
  for (const [path, current] of everyCause(value)) {
    for (const [how, text] of Object.entries(renderings(current))) {
      for (const secret of secrets) if (text.includes(secret)) shown.push(`${path}${how}: ${secret}`);
    }
  }
  return shown;
}
