// Git remote URLs as they may appear in reports. A remote can carry credentials
// (https://user:token@host/…), which must never be written out, and scp-style remotes
// (git@host:owner/repo.git) are not URIs, which SARIF's repositoryUri requires.

const SCP_LIKE = /^(?:([^@/\s]+)@)?([^:/\s]+):(?!\/\/)(.+)$/;

/**
 * The remote with any password removed, and any user name for http(s)/ftp(s), where a "user name"
 * is often a token. ssh users such as `git@` are kept; an scp-style `user:pw@host:path` loses both.
 */
export function withoutCredentials(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is.exec(url);
  if (scheme) {
    const [, protocol = '', authority = '', rest = ''] = scheme;
    const at = authority.lastIndexOf('@');
    if (at === -1) return url;
    const user = authority.slice(0, at);
    const host = authority.slice(at + 1);
    const keepUser = !/^(https?|ftps?)$/i.test(protocol) && !user.includes(':');
    return `${protocol}://${keepUser ? `${user}@` : ''}${host}${rest}`;
  }
  const scp = /^([^@/]+)@([^:/]+:.*)$/s.exec(url);
  if (scp?.[1]?.includes(':')) return scp[2] ?? url;
  return url;
}

/** An absolute URI for the remote (scp-style becomes ssh://), or undefined when it has none. */
export function remoteUri(remoteUrl: string): string | undefined {
  const clean = withoutCredentials(remoteUrl);
  try {
    return new URL(clean).href;
  } catch {
    const m = SCP_LIKE.exec(clean);
    if (!m) return undefined;
    const path = (m[3] ?? '').replace(/^\/+/, '');
    try {
      return new URL(`ssh://${m[1] ? `${m[1]}@` : ''}${m[2]}/${path}`).href;
    } catch {
      return undefined;
    }
  }
}
