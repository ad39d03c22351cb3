import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { renderCatalogue } from '../server/src/output/catalogue';
import { ALL_RULES } from '../server/src/rules';

describe('docs/rules.md', () => {
  it('is generated from the current rule metadata (run `npm run docs` when this fails)', () => {
    const file = path.resolve(__dirname, '..', '..', 'docs', 'rules.md');
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    assert.ok(current === renderCatalogue(ALL_RULES), 'docs/rules.md is stale: run `npm run docs`');
  });
});
