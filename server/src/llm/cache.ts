import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * Answers are cached by (content hash, model, prompt version): an unchanged resource is never sent
 * twice. The cache is in memory and, when a directory is given (the extension's global storage,
 * or `rampart scan --llm-cache-dir`), on disk. What is stored is the redacted answer: no secret.
 */

export function cacheKey(parts: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

const MAX_MEMORY_ENTRIES = 5000;
const MAX_ENTRY_BYTES = 512 * 1024;

export class LlmCache<T = unknown> {
  private readonly mem = new Map<string, T>();
  private diskFailed = false;

  constructor(readonly dir?: string, private readonly onError?: (message: string) => void) {}

  private file(key: string): string | undefined {
    if (!this.dir || !/^[0-9a-f]{64}$/.test(key)) return undefined;
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): T | undefined {
    const hit = this.mem.get(key);
    if (hit !== undefined) {
      this.mem.delete(key);
      this.mem.set(key, hit); // most recently used last
      return hit;
    }
    const f = this.file(key);
    if (!f) return undefined;
    try {
      const st = fs.statSync(f);
      if (st.size > MAX_ENTRY_BYTES) return undefined;
      const v = JSON.parse(fs.readFileSync(f, 'utf8')) as { key?: string; value?: T };
      if (v?.key !== key || v.value === undefined) return undefined;
      this.remember(key, v.value);
      return v.value;
    } catch {
      return undefined;
    }
  }

  set(key: string, value: T): void {
    this.remember(key, value);
    const f = this.file(key);
    if (!f || this.diskFailed) return;
    try {
      fs.mkdirSync(path.dirname(f), { recursive: true });
      const tmp = `${f}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ key, value }));
      fs.renameSync(tmp, f);
    } catch (e) {
      this.diskFailed = true;
      this.onError?.(`the LLM cache directory cannot be written (${(e as NodeJS.ErrnoException).code ?? 'error'}); answers are cached in memory only`);
    }
  }

  private remember(key: string, value: T): void {
    this.mem.set(key, value);
    if (this.mem.size > MAX_MEMORY_ENTRIES) this.mem.delete(this.mem.keys().next().value!);
  }

  get size(): number { return this.mem.size; }
}
