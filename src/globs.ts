// Glob matching for --include/--exclude, rule `paths` and config allowlists. A glob with a `/`
// matches the whole relative path; one without matches the file name at any depth, as users
// expect from `*.min.js` or `.env*`. (picomatch's own `basename` option applies to every glob.)
import picomatch from 'picomatch';

export type PathMatcher = (path: string) => boolean;

export function globMatcher(globs: readonly string[]): PathMatcher {
  const full = globs.filter((g) => g.includes('/'));
  const names = globs.filter((g) => !g.includes('/'));
  const matchFull = full.length > 0 ? picomatch(full, { dot: true }) : undefined;
  const matchName = names.length > 0 ? picomatch(names, { dot: true }) : undefined;
  return (path) => (matchFull?.(path) ?? false) || (matchName?.(path.slice(path.lastIndexOf('/') + 1)) ?? false);
}
