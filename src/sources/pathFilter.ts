// Which files a scan looks at: --include / --exclude globs over POSIX paths relative to the root.
import { globMatcher } from '../globs.js';

/** Never scanned unless an --include names them: git's object store and installed packages. */
export const DEFAULT_EXCLUDES = ['**/.git', '**/.git/**', '**/node_modules', '**/node_modules/**'];

export interface PathFilterOptions {
  include?: readonly string[];
  exclude?: readonly string[];
}

export interface PathFilter {
  (path: string): boolean;
  /** Globs the walker may prune directories with (the default excludes no --include overrides). */
  pruneGlobs: string[];
}


export function createPathFilter(options: PathFilterOptions): PathFilter {
  const include = options.include ?? [];
  const includes = include.length > 0 ? globMatcher(include) : () => true;
  const excludes = globMatcher(options.exclude ?? []);
  const overridden = (dir: string) => include.some((g) => g.includes(dir));
  const defaults = DEFAULT_EXCLUDES.filter((g) => !overridden(g.includes('.git') ? '.git' : 'node_modules'));
  const defaultExcluded = globMatcher(defaults);
  const filter = ((path: string) => includes(path) && !excludes(path) && !defaultExcluded(path)) as PathFilter;
  filter.pruneGlobs = defaults;
  return filter;
}
