import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { builderSwitch, parseHcl, type HclBlock, type HclFile } from '../server/src/parse/hcl';
import { parsePolicy } from '../server/src/parse/iam';
import { initParsers } from '../server/src/parse/treesitter';
import { loadRootModule, type ModuleLoadContext } from '../server/src/parse/terraform';
import { Encoded, Ref, UNKNOWN, isUnknown } from '../server/src/parse/values';
import { MemoryProvider } from '../server/src/engine/scan';
import { scanFiles } from './helpers';

function load(files: Record<string, string>, dir = '/m') {
  const map = new Map(Object.entries(files).map(([k, v]) => [k.startsWith('/') ? k : `${dir}/${k}`, v]));
  const ctx: ModuleLoadContext = { provider: new MemoryProvider(map), parsed: new Map(), notes: [], maxDepth: 8 };
  const mod = loadRootModule(dir, ctx);
  assert.ok(mod, 'module did not load');
  return mod;
}

describe('Terraform model', () => {
  before(() => initParsers());

  it('evaluates literals, variables, tfvars, locals, interpolation and functions', () => {
    const m = load({
      'main.tf': `
variable "env" { default = "dev" }
variable "region" {}
variable "tags" { default = { team = "sec" } }
locals {
  name   = "app-\${var.env}"
  upper  = upper(local.name)
  merged = merge(var.tags, { env = var.env })
  list   = concat(["a"], ["b", "c"])
  cond   = var.env == "prod" ? "x" : "y"
  unknownCond = var.region == "eu" ? "x" : "y"
}
resource "aws_s3_bucket" "b" {
  bucket = local.name
  acl    = lower("PRIVATE")
  region = var.region
  tags   = local.merged
  n      = length(local.list)
  u      = local.upper
  c      = local.cond
  uc     = local.unknownCond
  ref    = aws_kms_key.k.arn
  idx    = aws_kms_key.k[0].arn
  j      = jsonencode({ a = 1, b = [true] })
  f      = format("%s-%d", "x", 3)
  esc    = "a\\"b$\${c}"
}`,
      'terraform.tfvars': 'env = "prod"\n',
    });
    const b = m.resource('aws_s3_bucket.b')!;
    assert.equal(b.get('bucket'), 'app-prod');
    assert.equal(b.get('acl'), 'private');
    assert.ok(isUnknown(b.get('region')));
    assert.deepEqual(b.get('tags'), { team: 'sec', env: 'prod' });
    assert.equal(b.get('n'), 3);
    assert.equal(b.get('u'), 'APP-PROD');
    assert.equal(b.get('c'), 'x');
    assert.ok(isUnknown(b.get('uc')));
    const ref = b.get('ref');
    assert.ok(ref instanceof Ref);
    assert.equal(ref.address, 'aws_kms_key.k');
    assert.equal((b.get('idx') as Ref).address, 'aws_kms_key.k');
    assert.equal(b.get('j'), '{"a":1,"b":[true]}');
    assert.equal(b.get('f'), 'x-3');
    assert.equal(b.get('esc'), 'a"b${c}');
    assert.equal(b.get('missing'), undefined);
  });

  it('keeps exact ranges of attributes and blocks', () => {
    const text = 'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n  versioning {\n    enabled = false\n  }\n}\n';
    const m = load({ 'main.tf': text });
    const b = m.resource('aws_s3_bucket.b')!;
    const acl = b.attr('acl')!;
    assert.equal(text.slice(acl.span.start, acl.span.end), 'acl = "public-read"');
    assert.equal(acl.span.startLine, 1);
    assert.equal(acl.span.startCol, 2);
    assert.equal(text.slice(acl.exprSpan.start, acl.exprSpan.end), '"public-read"');
    const v = b.block('versioning')!;
    assert.equal(v.headerSpan.startLine, 2);
    assert.equal(b.getPath('versioning', 'enabled'), false);
  });

  it('reads clean trees from the text exactly as the node-API builder reads them', () => {
    const shapes = [
      'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n  versioning {\n    enabled = false\n  }\n}\n',
      'resource /* type */ "aws_s3_bucket" # name next\n "b" {\n  acl    = "private" # trailing\n  # leading\n  bucket = "x"\n}\n',
      'resource "aws_s3_bucket" "b" { acl = "private" }\nlocals { a = 1 }\nterraform {}\n',
      'resource "aws_s3_bucket" "b" {\r\n  acl = "private"\r\n  tags = {\r\n    Name = "ünïcødé ✓ 𝄞"\r\n  }\r\n}\r\n',
      'resource "x_y" "esc\\"aped\\\\label" {\n  a = <<-EOT\n    heredoc ${var.v}\n  EOT\n  b = [for s in var.l : upper(s)]\n}\n',
      'locals {\n  a\n  =\n  1\n  b = { for k, v in var.m : k => v }\n}\nblock_only_comment {\n  # nothing here\n}\nlabel_ident a b {\n}\n',
      'db_instance"s_resource "aw " main" "" {\n  engine = "x"\n}\n',
      'x "y" {\n  s = "plain"\n  e = ""\n  sp = " padded "\n  u = "ü✓"\n  d = "a$b"\n  p = "50%"\n  n = 42\n  f = 1.5\n  z = 007\n  m = -1\n  x = 1.5e3\n  t = true\n  no = false\n  nu = null\n' +
        '  v = var.name\n  r = aws_kms_key.k-1.arn\n  id = some_name\n  i = a.0\n  j = a[0].b\n  k = a.*.b\n  q = "tab\there"\n  w = "esc\\"q"\n}\n',
      'top = 1\n# between\nx "y" "z" {\n  nested "n" {\n    deeper {\n      v = var.x[0].y\n    }\n  }\n}\n',
    ];
    const plain = (f: HclFile) => {
      const blk = (b: HclBlock): unknown => ({ ...b, attributes: [...b.attributes].map(([k, a]) => [k, a.span, a.nameSpan, a.exprSpan, a.expr]), blocks: b.blocks.map(blk) });
      return { blocks: f.blocks.map(blk), attributes: [...f.attributes].map(([k, a]) => [k, a.span, a.nameSpan, a.exprSpan, a.expr]) };
    };
    for (const text of shapes) {
      const fromText = parseHcl('/m/main.tf', text);
      assert.equal(fromText.hasErrors, false, text);
      // Expressions are built when first read: plain() reads them under the same switch.
      const expected = plain(fromText);
      builderSwitch.readFromText = false;
      try { assert.deepEqual(expected, plain(parseHcl('/m/main.tf', text)), text); } finally { builderSwitch.readFromText = true; }
    }
  });

  it('judges a module as a whole across files', () => {
    const m = load({
      'main.tf': 'resource "aws_s3_bucket" "logs" { bucket = "logs" }\n',
      's3.tf': 'resource "aws_s3_bucket_versioning" "v" {\n  bucket = aws_s3_bucket.logs.id\n  versioning_configuration { status = "Enabled" }\n}\nresource "aws_s3_bucket_acl" "a" {\n  bucket = "logs"\n  acl = "private"\n}\n',
    });
    const bucket = m.resource('aws_s3_bucket.logs')!;
    assert.equal(m.referencing(bucket, 'aws_s3_bucket_versioning', 'bucket').length, 1);
    assert.equal(m.referencing(bucket, 'aws_s3_bucket_acl', 'bucket', ['bucket']).length, 1);
    assert.equal(m.referencing(bucket, 'aws_s3_bucket_acl', 'bucket').length, 0);
  });

  it('follows local modules, binds inputs and prefixes addresses', () => {
    const m = load({
      '/root/main.tf': 'module "storage" {\n  source = "./modules/bucket"\n  acl = "public-read"\n}\nmodule "remote" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n}\n',
      '/root/modules/bucket/main.tf': 'variable "acl" { default = "private" }\nresource "aws_s3_bucket" "this" {\n  acl = var.acl\n}\noutput "id" { value = "out" }\n',
    }, '/root');
    const child = m.children.get('storage')!;
    assert.ok(child);
    assert.equal(m.children.has('remote'), false);
    const r = child.resource('aws_s3_bucket.this')!;
    assert.equal(r.address, 'module.storage.aws_s3_bucket.this');
    assert.equal(r.get('acl'), 'public-read');
    assert.equal(r.file.path, '/root/modules/bucket/main.tf');
  });

  it('does not loop on a module that calls itself', () => {
    const m = load({ '/r/main.tf': 'module "me" { source = "./" }\nresource "aws_s3_bucket" "b" {}\n' }, '/r');
    assert.equal(m.allModules().length, 1);
  });

  it('treats dynamic blocks as present with unknown iterator values', () => {
    const m = load({
      'main.tf': 'resource "aws_security_group" "sg" {\n  dynamic "ingress" {\n    for_each = var.rules\n    content {\n      from_port = ingress.value.port\n      protocol = "tcp"\n    }\n  }\n}\n',
    });
    const sg = m.resource('aws_security_group.sg')!;
    const ing = sg.blocks('ingress');
    assert.equal(ing.length, 1);
    assert.ok(ing[0]!.dynamic);
    assert.ok(isUnknown(ing[0]!.get('from_port')));
    assert.equal(ing[0]!.get('protocol'), 'tcp');
  });

  it('makes count, each and self unknown', () => {
    const m = load({ 'main.tf': 'resource "aws_instance" "i" {\n  count = 2\n  name = "i-${count.index}"\n  x = each.value\n}\n' });
    const i = m.resource('aws_instance.i')!;
    assert.ok(isUnknown(i.get('name')));
    assert.ok(isUnknown(i.get('x')));
    assert.ok(i.counted);
  });

  it('reads IAM policies from jsonencode, heredocs, file() and policy documents', () => {
    const m = load({
      'main.tf': `
resource "aws_iam_policy" "enc" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = var.arn }] })
}
resource "aws_iam_policy" "heredoc" {
  policy = <<-EOF
    {"Statement": [{"Effect": "Allow", "Action": ["s3:*"], "Resource": "*"}]}
  EOF
}
resource "aws_iam_policy" "file" {
  policy = file("\${path.module}/policy.json")
}
resource "aws_iam_policy" "doc" {
  policy = data.aws_iam_policy_document.d.json
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["iam:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}`,
      'policy.json': '{"Statement": {"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}}',
    });
    const enc = m.resource('aws_iam_policy.enc')!.get('policy');
    assert.ok(enc instanceof Encoded);
    const p1 = parsePolicy(enc)!;
    assert.deepEqual(p1.statements[0]!.actions, ['*']);
    assert.ok(p1.statements[0]!.partial);
    assert.deepEqual(parsePolicy(m.resource('aws_iam_policy.heredoc')!.get('policy'))!.statements[0]!.actions, ['s3:*']);
    const p3 = parsePolicy(m.resource('aws_iam_policy.file')!.get('policy'))!;
    assert.equal(p3.statements[0]!.effect, 'Deny');
    const p4 = parsePolicy(m.resource('aws_iam_policy.doc')!.get('policy'))!;
    assert.deepEqual(p4.statements[0]!.actions, ['iam:*']);
    assert.deepEqual(p4.statements[0]!.principals, ['*']);
    assert.equal(p4.statements[0]!.effect, 'Allow');
  });

  it('refuses file() paths that leave the module', () => {
    const m = load({ '/a/b/main.tf': 'resource "aws_iam_policy" "p" { policy = file("../../etc/passwd") }\n', '/etc/passwd': 'root' }, '/a/b');
    assert.equal(m.resource('aws_iam_policy.p')!.get('policy'), UNKNOWN);
  });

  it('survives half-typed code: the broken block is silent, the others are checked', async () => {
    const r = await scanFiles({
      'main.tf': 'resource "aws_s3_bucket" "ok" {\n  acl = "public-read"\n}\n\nresource "aws_s3_bucket" "typing" {\n  acl = "public-read\n',
    }, ['aws-s3-no-public-acl']);
    assert.deepEqual(r.findings.map((f) => f.address), ['aws_s3_bucket.ok']);
  });

  it('parses pathological input without throwing', () => {
    for (const text of ['{{{{', '"', 'resource "a" "b" { x = [[[[[[ }', '\u0000\u0001', 'a = <<EOF\n', 'x'.repeat(100_000), '{'.repeat(5000) + '}'.repeat(5000)]) {
      assert.doesNotThrow(() => parseHcl('/x.tf', text));
    }
  });
});

describe('heredocs', () => {
  before(() => initParsers());
  it('unescapes $${ in heredocs', () => {
    const m = load({ 'main.tf': 'resource "x" "y" {\n  a = <<EOF\nliteral $${not_interpolated}\nEOF\n}\n' });
    assert.equal(String(m.resource('x.y')!.get('a')).trimEnd(), 'literal ${not_interpolated}');
  });
});
