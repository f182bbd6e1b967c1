// Absolute, or protocol-relative (//host/path), as axios's isAbsoluteURL has it.
const ABSOLUTE = /^(?:[a-z][a-z\d+.-]*:)?\/\//i;

/** What a request's URL is made of: the fields of its config that axios builds it from. */
export interface UrlParts {
  readonly url?: string | undefined;
  readonly baseURL?: string | undefined;
  readonly allowAbsoluteUrls?: boolean | undefined;
}

/**
 * The URL axios sends a request to, made as its buildFullPath makes it: `baseURL` and `url` joined
 * (combineURLs), unless `url` is absolute and absolute URLs are allowed (`allowAbsoluteUrls:
 * false`, axios 1.8 on, joins even those). Whatever reads a request's URL (its origin for the
 * token, the rate limits it counts in, its redacted form) reads this one, the URL that was sent.
 */
export function requestUrl({ url = '', baseURL, allowAbsoluteUrls }: UrlParts): string {
  if (!baseURL || (ABSOLUTE.test(url) && allowAbsoluteUrls !== false)) return url;
  return url ? `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
}
