// Build step (`npm run build`): parse and validate rules/*.yaml, then write dist/builtin-rules.json.
// A broken built-in rule fails the build with the same one-line error a scan would print.
import { RuleError } from '../errors.js';
import { BUILTIN_CACHE_FILE, writeBuiltinCache } from '../rules/builtinCache.js';
import { compileRules } from '../rules/compile.js';
import { BUILTIN_RULES_DIR, loadRuleSchema, readRuleDirectory } from '../rules/load.js';

try {
  const files = readRuleDirectory(BUILTIN_RULES_DIR);
  compileRules(files, loadRuleSchema());
  writeBuiltinCache(files);
  process.stdout.write(`segscan: ${files.length} built-in rules cached in ${BUILTIN_CACHE_FILE}\n`);
} catch (error) {
  process.stderr.write(`segscan: error: ${error instanceof RuleError ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
