// The package.json and npm-shrinkwrap.json of a release tree (see releaseTree.ts): what installs
// of the built CLI need, and nothing that would make npm build it again. Pure: objects in, out.

export interface PackageManifest {
  name: string;
  version: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * No scripts: npm prepares a git dependency (a full `npm install`, dev dependencies included)
 * whenever its package.json has a build, prepare, prepack or install script, and the release tree
 * is already built. No devDependencies: the pre-commit framework installs them too
 * (`npm install --include=dev`) before packing the hook.
 */
export function releaseManifest(source: PackageManifest): PackageManifest {
  const { scripts: _scripts, devDependencies: _dev, allowScripts, ...release } = source;
  // npm's allowScripts, for the packages a release installs (re2), not the build tools.
  const runtime = new Set(Object.keys(source.dependencies ?? {}));
  const allowed = Object.entries((allowScripts ?? {}) as Record<string, unknown>).filter(([name]) => runtime.has(name));
  return allowed.length > 0 ? { ...release, allowScripts: Object.fromEntries(allowed) } : release;
}

interface LockEntry {
  dev?: boolean;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}
export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
  [key: string]: unknown;
}

/**
 * package-lock.json without the dev-only packages, as npm-shrinkwrap.json: the one lockfile npm
 * honours inside an installed package, so a release installs the versions it was tested with.
 */
export function releaseShrinkwrap(lock: Lockfile): Lockfile {
  if (lock.lockfileVersion < 2) throw new Error(`package-lock.json v${lock.lockfileVersion}: regenerate it with npm 7 or later`);
  const packages: Record<string, LockEntry> = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (entry.dev === true) continue;
    if (path === '') {
      const { devDependencies: _dev, ...root } = entry;
      packages[path] = root;
    } else {
      packages[path] = entry;
    }
  }
  return { ...lock, packages };
}
