// An esbuild plugin for the CLI bundle: string-width (which yargs' help layout calls, through
// cliui and wrap-ansi) is initialised on its first non-ASCII text instead of when the CLI loads.
// Its initialisation builds an Intl.Segmenter and three Unicode-property regular expressions,
// /^\p{RGI_Emoji}$/v the slowest: ~16 ms of every segscan start (a tenth of a pre-commit run)
// for help text that a scan never prints, and that is ASCII when it is printed. Printable ASCII
// is one column a character in every string-width version, so the answers do not change.
import type { Plugin } from 'esbuild';

const NAMESPACE = 'lazy-string-width';

/** The module that stands in for one copy of string-width (`realPath`) in the bundle. */
function lazyStringWidthModule(realPath: string): string {
  // esbuild turns a require() of a bundled ES module into a call that runs its top level on first
  // use: that is what defers the work.
  return [
    'const PRINTABLE_ASCII = /^[\\x20-\\x7e]*$/;',
    'let real;',
    'export default function stringWidth(text, options) {',
    "  if (typeof text === 'string' && PRINTABLE_ASCII.test(text)) return text.length;",
    `  real ??= require(${JSON.stringify(realPath)}).default;`,
    '  return real(text, options);',
    '}',
    '',
  ].join('\n');
}

export const lazyStringWidth: Plugin = {
  name: NAMESPACE,
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === NAMESPACE) return undefined; // our own lookup of the real module
      // The copy this importer would get (cliui and wrap-ansi may each have their own version).
      const real = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: NAMESPACE });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: lazyStringWidthModule(args.path), loader: 'js', resolveDir: '/' }));
  },
};
