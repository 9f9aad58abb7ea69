import type { RepositoryDescription } from '../sources/gitRepository.js';
import type { ScanReport } from '../types.js';

/** The repository facts a report carries (SARIF versionControlProvenance, JSON repository). */
export function repositoryFacts(repo: RepositoryDescription): NonNullable<ScanReport['repository']> {
  return {
    root: repo.root,
    shallow: repo.shallow,
    ...(repo.head ? { head: repo.head } : {}),
    ...(repo.branch ? { branch: repo.branch } : {}),
    ...(repo.remoteUrl ? { remoteUrl: repo.remoteUrl } : {}),
  };
}
