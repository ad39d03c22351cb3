import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYaml, items, mapGet, str, type YMap } from '../parse/yaml';
import { isSeverity, type Severity } from './types';

/** What `.rampart.yaml` (and the editor's settings) can change. */
export interface RampartConfig {
  disabledRules: string[];
  /** Only these rules, when set (CLI --rule). */
  enabledOnly?: string[];
  severityOverrides: Record<string, Severity>;
  /** Glob patterns, relative to the scan root. */
  exclude: string[];
  /** Files larger than this are passed over with a note. */
  maxFileBytes: number;
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

export function defaultConfig(): RampartConfig {
  return { disabledRules: [], severityOverrides: {}, exclude: [], maxFileBytes: DEFAULT_MAX_FILE_BYTES };
}

export class ConfigError extends Error {}

/**
 * Reads `.rampart.yaml`:
 *
 *     disable: [aws-s3-enable-versioning]
 *     severity: { aws-s3-enable-logging: low }
 *     exclude: ["legacy/**"]
 *     maxFileSize: 4MB
 */
export function parseConfig(filePath: string, text: string): Partial<RampartConfig> {
  const file = parseYaml(filePath, text);
  if (file.hasErrors) throw new ConfigError(`${filePath}: not valid YAML`);
  const root = file.documents[0]?.root;
  if (!root) return {};
  if (root.t !== 'map') throw new ConfigError(`${filePath}: expected a mapping at the top level`);
  const out: Partial<RampartConfig> = {};
  const known = new Set(['disable', 'severity', 'exclude', 'maxFileSize']);
  for (const p of root.pairs) {
    if (!known.has(p.key)) throw new ConfigError(`${filePath}:${p.keySpan.startLine + 1}: unknown key "${p.key}" (expected ${[...known].join(', ')})`);
  }
  const list = (key: string): string[] => {
    const n = mapGet(root, key);
    if (n === undefined || n === null) return [];
    if (n.t === 'scalar') return [String(n.value)];
    if (n.t !== 'seq') throw new ConfigError(`${filePath}: "${key}" must be a list`);
    return items(n).map((i) => str(i) ?? '').filter(Boolean);
  };
  out.disabledRules = list('disable');
  out.exclude = list('exclude');
  const sev = mapGet(root, 'severity');
  if (sev) {
    if (sev.t !== 'map') throw new ConfigError(`${filePath}: "severity" must map rule ids to critical, high, medium or low`);
    out.severityOverrides = {};
    for (const p of (sev as YMap).pairs) {
      const v = str(p.value);
      if (!isSeverity(v)) throw new ConfigError(`${filePath}:${p.keySpan.startLine + 1}: severity of ${p.key} must be critical, high, medium or low, not "${v ?? ''}"`);
      out.severityOverrides[p.key] = v;
    }
  }
  const size = str(mapGet(root, 'maxFileSize'));
  if (size !== undefined) out.maxFileBytes = parseSize(size, filePath);
  return out;
}

export function parseSize(s: string, where = 'size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?\s*$/i.exec(s);
  if (!m) throw new ConfigError(`${where}: cannot read "${s}" as a size (e.g. 2MB, 512KB)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  return Math.round(n * mult);
}

export function loadConfigFile(filePath: string): Partial<RampartConfig> {
  let text: string;
  try { text = fs.readFileSync(filePath, 'utf8'); } catch (e) { throw new ConfigError(`cannot read ${filePath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  return parseConfig(filePath, text);
}

/** The `.rampart.yaml` that applies to a scan root, if there is one. */
export function findConfigFile(dir: string): string | undefined {
  for (const name of ['.rampart.yaml', '.rampart.yml']) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

export function mergeConfig(base: RampartConfig, extra: Partial<RampartConfig>): RampartConfig {
  return {
    disabledRules: [...base.disabledRules, ...(extra.disabledRules ?? [])],
    enabledOnly: extra.enabledOnly ?? base.enabledOnly,
    severityOverrides: { ...base.severityOverrides, ...(extra.severityOverrides ?? {}) },
    exclude: [...base.exclude, ...(extra.exclude ?? [])],
    maxFileBytes: extra.maxFileBytes ?? base.maxFileBytes,
  };
}
