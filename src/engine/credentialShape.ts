// Which kind of Segment credential a value is, from its shape alone (segment-credentials.md).
// Used by `verify: auto` rules and by verify-key when no --kind is given.

import type { CredentialKind } from '../types.js';

const SHAPES: ReadonlyArray<[RegExp, Exclude<CredentialKind, 'generic'>]> = [
  [/^sgp_[A-Za-z0-9]{64}$/, 'public-api-token'],
  [/^sg_[A-Za-z0-9]{16,32}$/, 'sg-key'],
  [/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/, 'config-api-token'],
  [/^[A-Za-z0-9]{32}$/, 'write-key'],
  [/^[a-z0-9]{10}$/, 'write-key'],
];

export function detectCredentialKind(secret: string): CredentialKind | undefined {
  return SHAPES.find(([shape]) => shape.test(secret))?.[1];
}

/** Does the value have (one of) the shapes of this kind? */
export function hasShapeOf(kind: Exclude<CredentialKind, 'generic'>, secret: string): boolean {
  return SHAPES.some(([shape, shapeKind]) => shapeKind === kind && shape.test(secret));
}
