import { replaceAttributeValue, setAttribute, setNestedAttribute, tfFix } from '../../engine/fix';
import type { Expr } from '../../parse/hcl';
import { terraformRule, type RuleMeta, type TerraformContext, type TerraformRule } from '../../engine/rule';
import type { TextEdit } from '../../engine/types';
import type { TfAttribute, TfBlock, TfResource } from '../../parse/terraform';
import { isKnown, toList, toStr, type Value } from '../../parse/values';

/*
 * Shared plumbing for the many Azure checks of the form "attribute X (inside block Y) must be Z".
 * Each rule keeps its full metadata; only the evaluation is shared.
 */

export interface Located {
  /** The block that holds (or would hold) the attribute; undefined when a block on the path is absent. */
  block: TfBlock | undefined;
  attr: TfAttribute | undefined;
  /** The attribute's evaluated value, undefined when absent. */
  value: Value | undefined;
  /** A block on the path comes from a `dynamic` block or is written as an object attribute: nothing is known. */
  opaque: boolean;
  /** The attribute name found (or the preferred name when absent). */
  name: string;
}

/** Finds `name` (or one of its aliases) inside the nested block `path` of a resource. */
export function locate(resource: TfBlock, path: string[], names: string[]): Located {
  let cur: TfBlock | undefined = resource;
  let opaque = false;
  for (const p of path) {
    const next: TfBlock | undefined = cur.block(p);
    if (!next) {
      if (cur.has(p)) opaque = true; // `site_config = {...}` or a reference: not judged
      cur = undefined;
      break;
    }
    if (next.dynamic) opaque = true;
    cur = next;
  }
  for (const n of names) {
    const a = cur?.attr(n);
    if (a) return { block: cur, attr: a, value: a.value, opaque, name: n };
  }
  return { block: cur, attr: undefined, value: undefined, opaque, name: names[0]! };
}

export interface AttrRuleSpec extends Omit<RuleMeta, 'fixable'> {
  resources: string[];
  /** Nested block path holding the attribute, e.g. ['site_config']. */
  path?: string[];
  /** Attribute name; aliases (old and new provider spellings) after the preferred one. */
  name: string | string[] | ((resource: TfResource) => string[]);
  /**
   * The value the provider assumes when the attribute (or a block on its path) is absent.
   * Leave undefined when an absent attribute is never a finding.
   */
  absent?: Value | ((resource: TfResource) => Value | undefined);
  /**
   * Describes the problem for a known value (or the `absent` default), e.g.
   * `sets min_tls_version = "TLS1_0"`; undefined when the value is fine.
   */
  problem(value: Value, absent: boolean, resource: TfResource): string | undefined;
  /** HCL text of the safe value to set, enabling the fix. */
  fix?: string;
  fixTitle?: string;
  /** Only resources for which this holds are judged. */
  applies?(resource: TfResource, ctx: TerraformContext): boolean;
  /** Another resource of the module settles the matter (e.g. a separate settings resource). */
  satisfied?(resource: TfResource, ctx: TerraformContext): boolean;
}

/** A rule for "attribute (inside nested blocks) must have a safe value". */
export function attrRule(spec: AttrRuleSpec): TerraformRule {
  const { resources, path = [], name, absent, problem, fix, fixTitle, applies, satisfied, ...meta } = spec;
  return terraformRule({
    ...meta,
    fixable: fix !== undefined,
    resources,
    check(resource, ctx) {
      if (applies && !applies(resource, ctx)) return;
      const names = typeof name === 'function' ? name(resource) : Array.isArray(name) ? name : [name];
      const loc = locate(resource, path, names);
      if (loc.opaque) return;
      const isAbsent = loc.attr === undefined;
      const value = isAbsent ? (typeof absent === 'function' ? absent(resource) : absent) : loc.value;
      if (value === undefined || !isKnown(value)) return;
      const what = problem(value, isAbsent, resource);
      if (!what) return;
      if (satisfied && satisfied(resource, ctx)) return;
      const label = [...path, loc.name].join('.');
      ctx.report({
        at: loc.attr ?? loc.block ?? resource,
        message: `${resource.address} ${what}`,
        fix: fix !== undefined && (!loc.attr || isLiteralExpr(loc.attr.hcl.expr))
          ? tfFix(fixTitle ?? `Set ${label} = ${fix}`, setNestedAttribute(resource, path, loc.name, fix))
          : undefined,
      });
    },
  });
}

/** `sets a = "v"` / `leaves a unset (default "v")` for messages. */
export function describeValue(label: string, value: Value, absent: boolean): string {
  const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return absent ? `leaves ${label} unset (default ${shown})` : `sets ${label} = ${shown}`;
}

export const lc = (v: Value | undefined): string | undefined => toStr(v)?.toLowerCase();

/** Known strings of a list attribute (unknown items are dropped). */
export function knownStrings(v: Value | undefined): string[] {
  return (toList(v) ?? []).map(toStr).filter((s): s is string => s !== undefined);
}

/** True when the list value is fully known (so that "missing item" can be judged). */
export function listFullyKnown(v: Value | undefined): boolean {
  const l = toList(v);
  return l !== undefined && l.every((x) => toStr(x) !== undefined);
}

/**
 * Resources of `type` whose attribute `attribute` points at `target`: by reference
 * (azurerm_storage_account.a.id / .name) or by the literal name the target declares.
 * The expression's source text is also searched so that interpolations such as
 * "${azurerm_storage_account.a.id}/blobServices/default" count.
 */
export function pointingAt(ctx: TerraformContext, target: TfResource, types: string[], attributes: string[]): TfResource[] {
  const name = toStr(target.get('name'));
  const needle = new RegExp(`(^|[^\\w.])${target.localAddress.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`);
  const out: TfResource[] = [];
  for (const t of types) {
    for (const r of ctx.module.resourcesOfType(t)) {
      const hit = attributes.some((a) => {
        const attr = r.attr(a);
        if (!attr) return false;
        if (needle.test(attr.source)) return true;
        const v = attr.value;
        return name !== undefined && typeof v === 'string' && v === name;
      });
      if (hit) out.push(r);
    }
  }
  return out;
}

/** True when some resource of the types refers to the target in one of the attributes. */
export function hasPointing(ctx: TerraformContext, target: TfResource, types: string[], attributes: string[]): boolean {
  return pointingAt(ctx, target, types, attributes).length > 0;
}

/** Compares dotted versions numerically: -1, 0, 1; undefined when not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const pa = a.replace(/^v/i, '').split('.'), pb = b.replace(/^v/i, '').split('.');
  if (![...pa, ...pb].every((x) => /^\d+$/.test(x))) return undefined;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number(pa[i] ?? 0), y = Number(pb[i] ?? 0);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Inserts a new top-level block (written as HCL lines) right after a resource, separated by a blank
 * line, in the same file. Used for companion resources (a configuration or policy for a server).
 */
export function insertBlockAfter(resource: TfResource, hclLines: string[]): TextEdit | undefined {
  const f = resource.file;
  if (resource.hcl.closeBrace < 0) return undefined;
  const nl = f.text.includes('\r\n') ? '\r\n' : '\n';
  const end = resource.hcl.closeBrace + 1;
  return { file: f.path, start: end, end, newText: nl + nl + hclLines.join(nl) };
}

/** A resource label not yet used for `type` in the module. */
export function freeLabel(ctx: TerraformContext, type: string, base: string): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '_');
  let label = clean;
  for (let i = 2; ctx.module.resource(`${type}.${label}`); i++) label = `${clean}_${i}`;
  return label;
}

/** Whether an expression is written as a constant (so that replacing it changes nothing else). */
export function isLiteralExpr(e: Expr): boolean {
  switch (e.t) {
    case 'lit': return true;
    case 'template': return e.parts.every((p) => typeof p === 'string');
    case 'tuple': return e.items.every(isLiteralExpr);
    case 'unary': return isLiteralExpr(e.operand);
    default: return false;
  }
}

/**
 * Replaces an attribute's value only when it is written as a constant: a value that comes from a
 * variable, local or module input is changed where it is defined, not overwritten here.
 */
export function replaceLiteral(attr: TfAttribute, valueText: string): TextEdit | undefined {
  return isLiteralExpr(attr.hcl.expr) ? replaceAttributeValue(attr, valueText) : undefined;
}

/** setAttribute, refusing to overwrite a value that is not a constant. */
export function setLiteral(block: TfBlock, name: string, valueText: string): TextEdit | undefined {
  const a = block.attr(name);
  return a ? replaceLiteral(a, valueText) : setAttribute(block, name, valueText);
}
