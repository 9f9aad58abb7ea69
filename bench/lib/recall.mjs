// Recall on the planted keys: each must be reported at its path and line with the same secret
// (compared by SHA-256, so the report can stay redacted). Findings that match no plant are
// counted as "unplanted" (real-package look-alikes, decoys that slipped through): a figure to
// watch, not a failure.

/** `key(entry)` picks what identifies a plant in a finding (history adds the commit). */
export function recall(plants, findings, key = (x) => `${x.path}\0${x.line}\0${x.secretHash}`) {
  const byKey = new Map();
  for (const f of findings) {
    const k = key({ path: f.path, line: f.start.line, secretHash: f.secretHash, commit: f.commit?.sha });
    byKey.set(k, [...(byKey.get(k) ?? []), f]);
  }
  const missing = [];
  const wrongColumn = [];
  const matched = new Set();
  for (const p of plants) {
    const hits = byKey.get(key(p));
    if (!hits) {
      missing.push(p);
      continue;
    }
    for (const h of hits) matched.add(h);
    if (p.column !== undefined && !hits.some((h) => h.start.column === p.column)) wrongColumn.push({ plant: p, columns: hits.map((h) => h.start.column) });
  }
  const unplanted = findings.filter((f) => !matched.has(f));
  const unplantedByRule = {};
  for (const f of unplanted) unplantedByRule[f.ruleId] = (unplantedByRule[f.ruleId] ?? 0) + 1;
  return {
    planted: plants.length,
    found: plants.length - missing.length,
    recall: plants.length === 0 ? 1 : (plants.length - missing.length) / plants.length,
    missing: missing.map((p) => ({ path: p.path, line: p.line, column: p.column, kind: p.kind, context: p.context, secret: p.redacted, ...(p.commit ? { commit: p.commit } : {}) })),
    wrongColumn: wrongColumn.map(({ plant, columns }) => ({ path: plant.path, line: plant.line, expected: plant.column, got: columns, context: plant.context })),
    unplanted: unplanted.length,
    unplantedByRule,
    unplantedSample: unplanted.slice(0, 10).map((f) => ({ path: f.path, line: f.start.line, ruleId: f.ruleId, secret: f.secret })),
  };
}
