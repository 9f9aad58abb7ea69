// Summarising V8 .cpuprofile files (node --cpu-prof): self time per function and per file,
// summed over every thread's profile (the main thread and each scan worker write one each).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function shortUrl(url) {
  if (!url) return '(native)';
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + 14);
  return url.replace(/^file:\/\//, '').replace(/^node:/, 'node:');
}

/** Self time (ms) of each profile node, from the sample list and the time deltas. */
function selfTimes(profile) {
  const self = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; charge it to the sample's node.
    self.set(samples[i], (self.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0) / 1000);
  }
  return self;
}

export function summariseProfiles(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const byFunction = new Map();
  const byFile = new Map();
  const threads = [];
  let total = 0;
  for (const f of files) {
    const profile = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const self = selfTimes(profile);
    let threadTotal = 0;
    let idle = 0;
    for (const node of profile.nodes) {
      const ms = self.get(node.id) ?? 0;
      if (ms === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const name = functionName || '(anonymous)';
      threadTotal += ms;
      if (name === '(idle)') idle += ms;
      const file = shortUrl(url);
      const key = `${name} ${file}${url ? `:${lineNumber + 1}` : ''}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
      byFile.set(file, (byFile.get(file) ?? 0) + ms);
    }
    threads.push({ file: f, totalMs: threadTotal, idleMs: idle });
    total += threadTotal;
  }
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms, share: total > 0 ? ms / total : 0 }));
  return { threads, totalMs: total, functions: sorted(byFunction), files: sorted(byFile) };
}
