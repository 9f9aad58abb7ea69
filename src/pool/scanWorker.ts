// A worker thread of the scan pool: builds its own engine from the same rule selection, then
// scans the items the main thread sends, one message each way per item.
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, type EngineOptions } from '../engine/detect.js';
import { loadRules, type RuleSelection } from '../rules/load.js';
import { scanItem, type ItemTask } from './scanItem.js';

export interface WorkerSetup {
  rules: RuleSelection;
  engine: EngineOptions;
}

const setup = workerData as WorkerSetup;
const engine = createEngine(loadRules(setup.rules), setup.engine);

parentPort?.on('message', (message: { id: number; task: ItemTask }) => {
  try {
    parentPort?.postMessage({ id: message.id, result: scanItem(engine, message.task) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
