import * as path from 'node:path';
import { defaultConfig } from '../server/src/engine/config';
import type { Example, Rule } from '../server/src/engine/rule';
import { RuleSet } from '../server/src/engine/run';
import { scanSources, type UnitResult } from '../server/src/engine/scan';
import { ALL_RULES } from '../server/src/rules';

export const VIRTUAL_ROOT = '/virtual';

/** Turns a rule example into absolute virtual file paths. */
export function exampleFiles(rule: Rule, example: Example, name = 'example'): Map<string, string> {
  const dir = path.posix.join(VIRTUAL_ROOT, rule.id, name);
  if (typeof example === 'string') {
    return new Map([[path.posix.join(dir, rule.target === 'terraform' ? 'main.tf' : 'manifest.yaml'), example]]);
  }
  return new Map(Object.entries(example).map(([rel, text]) => [path.posix.join(dir, rel), text]));
}

export function ruleSet(ids?: string[]): RuleSet {
  const config = defaultConfig();
  if (ids) config.enabledOnly = ids;
  return new RuleSet(ALL_RULES, config);
}

export function scanFiles(files: Map<string, string> | Record<string, string>, ids?: string[]): Promise<UnitResult> {
  const map = files instanceof Map ? files : new Map(Object.entries(files).map(([k, v]) => [path.posix.isAbsolute(k) ? k : path.posix.join(VIRTUAL_ROOT, 't', k), v]));
  return scanSources(map, ruleSet(ids));
}
