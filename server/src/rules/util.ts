import { setAttribute, tfFix } from '../engine/fix';
import type { TerraformContext } from '../engine/rule';
import type { TfBlock, TfResource } from '../parse/terraform';
import { Ref, isUnknown, toBool, toList, toNum, toStr, type Value } from '../parse/values';

/*
 * Shared judgements for Terraform rules. Every predicate answers `true` only when the value is
 * known: an unknown or referenced value never raises a finding.
 */

export const PUBLIC_CIDRS = new Set(['0.0.0.0/0', '::/0', '0.0.0.0/00', '*', 'internet', 'any', 'Internet', 'Any']);

export function isPublicCidr(v: Value | undefined): boolean {
  const s = toStr(v);
  return s !== undefined && PUBLIC_CIDRS.has(s.trim());
}

/** The known public CIDRs in a list attribute such as cidr_blocks. */
export function publicCidrsIn(v: Value | undefined): string[] {
  return (toList(v) ?? []).map(toStr).filter((s): s is string => s !== undefined && PUBLIC_CIDRS.has(s.trim()));
}

export const isKnownFalse = (v: Value | undefined) => toBool(v) === false;
export const isKnownTrue = (v: Value | undefined) => toBool(v) === true;
/** Absent, or known to be false. */
export const isOffOrMissing = (v: Value | undefined) => v === undefined || v === null || toBool(v) === false;
/** Present with a value that is not known to be empty (a reference counts as set). */
export const isSet = (v: Value | undefined) => v !== undefined && v !== null && v !== '';
export const isUnknownOrRef = (v: Value | undefined): boolean => isUnknown(v) || (v as unknown) instanceof Ref;

export function knownString(v: Value | undefined): string | undefined { return toStr(v); }
export function knownNumber(v: Value | undefined): number | undefined { return toNum(v); }

/**
 * True when [from, to] includes the port; unknown bounds never match. With `allProtocols` (AWS
 * protocol "-1"), the ports are ignored, as AWS does.
 */
export function portInRange(from: Value | undefined, to: Value | undefined, port: number, allProtocols = false): boolean {
  if (allProtocols) return true;
  const a = toNum(from), b = toNum(to);
  if (a === undefined || b === undefined) return false;
  return a <= port && port <= b;
}

/** The attribute (for pointing at) or else the block header. */
export function pointAt(block: TfBlock, name: string) {
  return block.attr(name) ?? block;
}

/**
 * Reports a boolean attribute whose provider default is false when it is false or absent, with a
 * fix that sets it to true. `whenMissing` ends the message for the absent case.
 */
export function reportUnlessTrue(res: TfResource, ctx: TerraformContext, attr: string, whenMissing: string): void {
  const a = res.attr(attr);
  const v = a ? (a.value === null ? false : toBool(a.value)) : false;
  if (v !== false) return;
  ctx.report({
    at: a ?? res,
    message: a ? `${res.address} has ${attr} = false.` : `${res.address} ${whenMissing}`,
    fix: tfFix(`Set ${attr} = true`, setAttribute(res, attr, 'true')),
  });
}
