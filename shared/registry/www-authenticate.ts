/** One challenge of a `WWW-Authenticate` header: `Bearer realm="…",service="…",scope="…"`. */
export interface AuthChallenge {
  /** Lowercased: `basic`, `bearer`, … */
  scheme: string;
  /** Parameter names lowercased; values unquoted and unescaped. */
  params: Record<string, string>;
  token68?: string;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y;
const SPACES = /[ \t]*/y;

/**
 * Parses a `WWW-Authenticate` value into its challenges (RFC 9110 section 11.6.1). Quoted values may
 * hold commas (a registry's `scope="repository:a/b:pull,push"`) and backslash escapes; several
 * challenges may share one header. Malformed trailing text is ignored rather than thrown on, since
 * the caller then reports the missing challenge with the registry's name.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let pos = 0;
  const skip = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const match = re.exec(header);
    if (!match || match[0] === '') return undefined;
    pos = re.lastIndex;
    return match[0];
  };
  const spaces = () => void skip(SPACES);
  const skipCommas = () => {
    for (spaces(); header[pos] === ','; spaces()) pos++;
  };
  // Looks ahead: does `name = value` start at pos (a parameter), as opposed to the next challenge's
  // scheme or a token68 ending in '=' padding?
  const paramAhead = (): boolean => {
    const start = pos;
    const name = skip(TOKEN);
    spaces();
    let isParam = name !== undefined && header[pos] === '=';
    if (isParam) {
      pos++;
      spaces();
      isParam = header[pos] === '"' || skip(TOKEN) !== undefined;
    }
    pos = start;
    return isParam;
  };
  const quoted = (): string => {
    let value = '';
    for (pos++; pos < header.length && header[pos] !== '"'; pos++) {
      if (header[pos] === '\\' && pos + 1 < header.length) pos++;
      value += header[pos];
    }
    pos++; // the closing quote, or past the end when it is missing
    return value;
  };

  skipCommas();
  while (pos < header.length) {
    const scheme = skip(TOKEN);
    if (!scheme) break;
    const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    spaces();
    if (!paramAhead()) {
      const start = pos;
      const token68 = skip(TOKEN68);
      spaces();
      if (token68 && (pos >= header.length || header[pos] === ',')) challenge.token68 = token68;
      else pos = start;
    }
    while (paramAhead()) {
      const name = skip(TOKEN)!.toLowerCase();
      spaces();
      pos++; // '='
      spaces();
      challenge.params[name] = header[pos] === '"' ? quoted() : (skip(TOKEN) ?? '');
      skipCommas();
    }
    skipCommas();
  }
  return challenges;
}
