// Which files a scan looks at: include / exclude globs over POSIX paths relative to the root,
// each set labelled with who asked for it, so the report can say what every one kept out.
import { globMatcher, type PathMatcher } from '../globs.js';
import type { Narrowing, NarrowingOrigin } from '../types.js';

/** Never scanned unless an --include names them: git's object store and installed packages. */
export const DEFAULT_EXCLUDES = ['**/.git', '**/.git/**', '**/node_modules', '**/node_modules/**'];
/** History and staged scans read what was committed: a committed node_modules/ is content like any other. */
const GIT_DIRECTORY_EXCLUDES = ['**/.git', '**/.git/**'];

/** Globs from one place: the command line, a policy file, or the scanned tree's .segscan.yaml. */
export interface PathGlobs {
  globs: readonly string[];
  origin: NarrowingOrigin;
  /** Where they were set, as reports name it (`--exclude`, `.segscan.yaml`). */
  source: string;
}

export interface PathFilterOptions {
  include?: readonly PathGlobs[];
  exclude?: readonly PathGlobs[];
  /** `node_modules/` is left out by default only where it holds installed packages: directory scans. */
  skipNodeModules?: boolean;
}

export interface PathFilter {
  (path: string): boolean;
  /** Globs the walker may prune directories with (the default excludes no --include overrides). */
  pruneGlobs: string[];
  /** What each include and exclude kept out so far (distinct paths asked about). */
  narrowing(): Narrowing[];
}

/** Does an include glob name `.git` as a path segment (so it brings git's object store back in)? */
export const namesGitDirectory = (glob: string): boolean => /(^|\/)\.git(\/|$)/.test(glob);
const namesNodeModules = (glob: string): boolean => /(^|\/)node_modules(\/|$)/.test(glob);

/** Plain globs from the command line (tests and callers without a config). */
export function invokerGlobs(globs: readonly string[], source: string): PathGlobs[] {
  return globs.length > 0 ? [{ globs, origin: 'invoker', source }] : [];
}

interface CountedSet {
  set: PathGlobs;
  matches: PathMatcher;
  count: number;
}

export function createPathFilter(options: PathFilterOptions): PathFilter {
  const includeSets = (options.include ?? []).filter((s) => s.globs.length > 0);
  const excludeSets: CountedSet[] = (options.exclude ?? []).filter((s) => s.globs.length > 0).map((set) => ({ set, matches: globMatcher(set.globs), count: 0 }));
  const includeGlobs = includeSets.flatMap((s) => s.globs);
  const includes = includeGlobs.length > 0 ? globMatcher(includeGlobs) : () => true;
  let notIncluded = 0;
  // Named as a path segment, not as a substring: `.github/**` must not bring `.git` back in.
  const overridden = (names: (glob: string) => boolean) => includeGlobs.some(names);
  const candidates = options.skipNodeModules === false ? GIT_DIRECTORY_EXCLUDES : DEFAULT_EXCLUDES;
  const defaults = candidates.filter((g) => !overridden(g.includes('.git') ? namesGitDirectory : namesNodeModules));
  const defaultExcluded = globMatcher(defaults);
  const filter = ((path: string) => {
    if (defaultExcluded(path)) return false;
    if (!includes(path)) {
      notIncluded++;
      return false;
    }
    const excluded = excludeSets.find((e) => e.matches(path));
    if (excluded) excluded.count++;
    return excluded === undefined;
  }) as PathFilter;
  filter.pruneGlobs = defaults;
  filter.narrowing = () => [
    ...includeSets.map((set): Narrowing => ({ origin: set.origin, setting: 'include', value: set.globs.join(', '), source: set.source, count: notIncluded })),
    ...excludeSets.map(({ set, count }): Narrowing => ({ origin: set.origin, setting: 'exclude', value: set.globs.join(', '), source: set.source, count })),
  ];
  return filter;
}
