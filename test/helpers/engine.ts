import { fileURLToPath } from 'node:url';
import { createEngine, type Engine, type EngineOptions } from '../../src/engine/detect.js';
import { loadRules } from '../../src/rules/load.js';

export const ENGINE_RULES_DIR = fileURLToPath(new URL('../../fixtures/engine/rules/', import.meta.url));

/** An engine over the small engine-test rule set only (not the built-in rules). */
export function engineWithTestRules(options: EngineOptions = {}): Engine {
  return createEngine(loadRules({ builtin: false, extraDirs: [ENGINE_RULES_DIR] }), options);
}

export function builtinEngine(options: EngineOptions = {}): Engine {
  return createEngine(loadRules(), options);
}
