// A worker thread of the scan pool: builds its own engine from the same rule selection, then
// scans the items the main thread sends: one message each way per batch of files, or of blobs that passed the keyword gate.
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineOptions } from '../engine/detect.js';
import type { KnownKeyIndex } from '../knownKeys/file.js';
import { createScanEngine } from '../knownKeys/engine.js';
import { loadRules, type RuleSelection } from '../rules/load.js';
import { detectContent, scanItem } from './scanItem.js';
import type { WorkerRequest } from './scanPool.js';

export interface WorkerSetup {
  rules: RuleSelection;
  engine: EngineOptions;
  /** --known-keys: the hashes and their sources, as plain data. */
  knownKeys?: KnownKeyIndex;
}

const setup = workerData as WorkerSetup;
const engine = createScanEngine(loadRules(setup.rules), setup.engine, setup.knownKeys);

parentPort?.on('message', (message: WorkerRequest) => {
  try {
    const result = 'batch' in message
      ? message.batch.entries.map(({ part, start, end, origin }) => detectContent(engine, (message.batch.parts[part] as Uint8Array).subarray(start, end), origin))
      : message.files.map((task) => scanItem(engine, task));
    parentPort?.postMessage({ id: message.id, result });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
