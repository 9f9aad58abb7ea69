// Building Verification values. Every outcome carries a reason; "invalid" is only ever built from
// a definite answer by the documented host, never from a failed check.

import type { Verification } from '../types.js';
import type { HttpResult } from './http.js';

export function live(reason: string, details?: Record<string, string>): Verification {
  return details ? { status: 'live', reason, details } : { status: 'live', reason };
}

export function invalid(reason: string): Verification {
  return { status: 'invalid', reason };
}

export function unknown(reason: string): Verification {
  return { status: 'unknown', reason };
}

/** The check itself failed (network, timeout, retries exhausted, refused by policy). */
export function checkFailed(result: Extract<HttpResult, { ok: false }>): Verification {
  return unknown(result.reason);
}

/** An answer the check does not know how to read. */
export function unexpectedStatus(result: Extract<HttpResult, { ok: true }>): Verification {
  return unknown(`${result.host} answered ${result.status}, which this check does not recognise`);
}

export function unexpectedBody(result: Extract<HttpResult, { ok: true }>, expected: string): Verification {
  return unknown(`${result.host} answered ${result.status} but the body is not ${expected}`);
}
