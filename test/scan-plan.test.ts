import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig } from '../server/src/engine/config';
import { UnitQueue, planUnits, type ScanUnit } from '../server/src/engine/scan';

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-plan-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const call = (source: string) => `module "m" {\n  source = "${source}"\n}\n`;
const pad = (n: number) => `locals {\n  pad = "${'x'.repeat(n)}"\n}\n`;

describe('scan planning', () => {
  it('groups root modules that share local modules, most expensive group first', () => {
    const dir = tree({
      'roots/a/main.tf': call('../../modules/net'),
      'roots/b/main.tf': call('../../modules/vm'),
      'modules/vm/main.tf': call('../net') + pad(100),
      'modules/net/main.tf': pad(5000),
      'roots/c/main.tf': pad(3000),
      'roots/d/main.tf': call('../../modules/solo'),
      'modules/solo/main.tf': pad(10),
      'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\n',
    });
    const { units } = planUnits([dir], defaultConfig(), [], true);
    const rel = (u: ScanUnit) => path.relative(dir, u.dir);
    assert.deepEqual(units.map(rel), ['roots/b', 'roots/a', 'roots/c', 'roots/d', 'k8s']);
    const [b, a, c, d, k8s] = units;
    assert.equal(a!.group, b!.group, 'a and b both reach modules/net');
    assert.equal(new Set([b!.group, c!.group, d!.group, k8s!.group]).size, 4);
    assert.ok(b!.cost! > a!.cost!, 'b parses vm and net');
  });

  it('keeps a worker on the groups it started, and lets others help only when nothing else is left', () => {
    const u = (dir: string, group: number, cost: number): ScanUnit => ({ kind: 'terraform', dir, group, cost });
    const queue = new UnitQueue<string>([u('big1', 0, 50), u('big2', 0, 40), u('big3', 0, 30), u('big4', 0, 20), u('mid', 1, 60), u('small', 2, 10)]);
    const taken: string[] = [];
    const take = (w: string) => { const x = queue.next(w); taken.push(`${w}:${x?.dir ?? '-'}`); };
    take('A'); take('B'); take('A'); take('B'); take('B'); take('A'); take('B'); take('A');
    assert.deepEqual(taken, ['A:big1', 'B:mid', 'A:big2', 'B:small', 'B:big3', 'A:big4', 'B:-', 'A:-']);
    assert.equal(queue.size, 0);
  });

  it('hands back what no worker took', () => {
    const queue = new UnitQueue<string>([{ kind: 'yaml', dir: 'x', files: [], group: 0 }, { kind: 'yaml', dir: 'y', files: [], group: 1 }]);
    queue.next('A');
    assert.deepEqual(queue.drain().map((x) => x.dir), ['y']);
    assert.equal(queue.next('A'), undefined);
  });
});
