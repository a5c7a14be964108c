/**
 * Connection URLs as they may be printed or logged: never with a password. The PostgreSQL driver
 * takes a password from the user-info part (`postgres://user:secret@host/db`) and from the query
 * (`?password=secret`, `?sslpassword=…`): both are masked.
 */

/** Query parameters the driver reads a secret from. */
const SECRET_PARAM = /password/i;

/** `postgres://user:***@host:port/db?password=***`: the URL as it may be printed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) if (SECRET_PARAM.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Any text with every `scheme://user:password@` and `password=…` in it masked: for messages that may
 * quote what an operator typed (an argument in the wrong place, a URL given for a file).
 */
export function redactSecrets(text: string): string {
  return (
    text
      // The last @ before the host ends the password (the driver reads `u:p@ss@host` as password p@ss).
      .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/?#]*:)[^\s/?#]*@/gi, '$1***@')
      .replace(/([?&][a-z_]*password=)[^&\s"']*?(?=[&\s"']|[:,.;)]\s|[:,.;)]?$)/gim, '$1***')
  );
}
