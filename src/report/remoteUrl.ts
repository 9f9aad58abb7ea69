// Git remote URLs as they may appear in reports. A remote can carry credentials
// (https://user:token@host/…), which must never be written out, and scp-style remotes
// (git@host:owner/repo.git) are not URIs, which SARIF's repositoryUri requires.

const SCP_LIKE = /^(?:([^@/\s]+)@)?([^:/\s]+):(?!\/\/)(.+)$/;

/** The remote with any user name and password removed; scp-style remotes are left in their form. */
export function withoutCredentials(remoteUrl: string): string {
  try {
    const url = new URL(remoteUrl);
    if (url.username === '' && url.password === '') return remoteUrl;
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    // scp-style: keep the conventional "git@" user, drop anything that looks like a secret.
    const m = SCP_LIKE.exec(remoteUrl);
    if (!m) return remoteUrl;
    const user = m[1] === 'git' ? 'git@' : '';
    return `${user}${m[2]}:${m[3]}`;
  }
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
