/**
 * Append `suffix` to an error's message, and to its stack's first line as well: a logger prints
 * one or the other, and both must say the same.
 */
export function noteInMessage(error: { message: string; stack?: string | undefined }, suffix: string): void {
  const before = error.message;
  // Read first: V8 renders a stack lazily, from the message of the moment it is first read.
  const stack = error.stack;
  error.message = `${before}${suffix}`;
  if (before && typeof stack === 'string') {
    error.stack = stack.replace(before, () => error.message);
  }
}
