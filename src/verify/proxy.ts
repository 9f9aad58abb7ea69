// Node's global fetch ignores HTTPS_PROXY/NO_PROXY, and corporate networks need them. When a
// proxy variable is set, requests go through undici's fetch with an EnvHttpProxyAgent built from
// the given environment (not process.env, so tests and embedders decide). undici is imported only
// then, so scans without a proxy never load it.

import type { FetchLike } from './http.js';

export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

/** The proxy variables (lower case wins, as in curl), or undefined when no proxy is configured. */
export function proxySettingsFrom(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const httpProxy = env['http_proxy'] ?? env['HTTP_PROXY'] ?? '';
  const httpsProxy = env['https_proxy'] ?? env['HTTPS_PROXY'] ?? '';
  if (httpProxy.trim() === '' && httpsProxy.trim() === '') return undefined;
  // Empty strings (not undefined) stop undici from falling back to process.env.
  return { httpProxy: httpProxy.trim(), httpsProxy: httpsProxy.trim(), noProxy: env['no_proxy'] ?? env['NO_PROXY'] ?? '' };
}

export interface ProxyFetch {
  fetch: FetchLike;
  close(): Promise<void>;
}

export async function createProxyFetch(settings: ProxySettings): Promise<ProxyFetch> {
  const undici = await import('undici');
  const agent = new undici.EnvHttpProxyAgent(settings);
  const proxied = (input: Parameters<FetchLike>[0], init?: RequestInit): Promise<Response> => {
    const target = input instanceof URL || typeof input === 'string' ? input : input.url;
    // HTTPS goes through HTTPS_PROXY only, as in curl: undici's agent would send it through
    // HTTP_PROXY when HTTPS_PROXY is unset, putting every key on a plain-HTTP proxy's path.
    if (settings.httpsProxy === '' && new URL(String(target)).protocol === 'https:') return globalThis.fetch(input, init);
    // undici's Response has the shape of the global one (status, headers, a web stream body).
    return undici.fetch(target, { ...(init as Parameters<typeof undici.fetch>[1]), dispatcher: agent }) as unknown as Promise<Response>;
  };
  return { fetch: proxied, close: () => agent.close() };
}
