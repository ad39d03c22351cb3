/** Deterministic inputs for the keystroke benchmark: a 2,000-line Terraform file and a 1,500-line manifest file. */

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const TF_TEMPLATES: ((i: number, insecure: boolean) => string)[] = [
  (i, bad) => `resource "aws_s3_bucket" "bucket_${i}" {\n  bucket = "acme-data-${i}"\n  acl    = "${bad ? 'public-read' : 'private'}"\n\n  tags = {\n    team  = "platform"\n    index = "${i}"\n  }\n}\n`,
  (i, bad) => `resource "aws_security_group" "sg_${i}" {\n  name        = "sg-${i}"\n  description = "service ${i}"\n  vpc_id      = var.vpc_id\n\n  ingress {\n    description = "ssh"\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["${bad ? '0.0.0.0/0' : '10.0.0.0/8'}"]\n  }\n}\n`,
  (i, bad) => `resource "aws_instance" "vm_${i}" {\n  ami           = "ami-0c55b159cbfafe1f0"\n  instance_type = "t3.micro"\n  subnet_id     = aws_subnet.main.id\n\n  metadata_options {\n    http_tokens = "${bad ? 'optional' : 'required'}"\n  }\n\n  root_block_device {\n    encrypted = ${bad ? 'false' : 'true'}\n  }\n}\n`,
  (i, bad) => `resource "aws_db_instance" "db_${i}" {\n  identifier          = "db-${i}"\n  engine              = "postgres"\n  instance_class      = "db.t3.micro"\n  allocated_storage   = 20\n  storage_encrypted   = ${bad ? 'false' : 'true'}\n  publicly_accessible = ${bad ? 'true' : 'false'}\n  username            = "app"\n  password            = var.db_password\n}\n`,
  (i, bad) => `resource "aws_iam_policy" "policy_${i}" {\n  name = "policy-${i}"\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect   = "Allow"\n      Action   = ["${bad ? '*' : 's3:GetObject'}"]\n      Resource = "${bad ? '*' : 'arn:aws:s3:::acme/*'}"\n    }]\n  })\n}\n`,
  (i) => `resource "aws_kms_key" "key_${i}" {\n  description         = "key ${i}"\n  enable_key_rotation = true\n}\n`,
];

export function terraformFile(lines = 2000): string {
  const r = rng(42);
  let out = 'variable "vpc_id" {}\nvariable "db_password" { sensitive = true }\n\n';
  let i = 0;
  while (out.split('\n').length < lines) {
    const t = TF_TEMPLATES[Math.floor(r() * TF_TEMPLATES.length)]!;
    out += t(i++, r() < 0.3) + '\n';
  }
  return out;
}

export function kubernetesFile(lines = 1500): string {
  const r = rng(7);
  const docs: string[] = [];
  let i = 0;
  while (docs.join('---\n').split('\n').length < lines) {
    const bad = r() < 0.3;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${i}
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: svc-${i}
  template:
    metadata:
      labels:
        app: svc-${i}
    spec:
      containers:
        - name: app
          image: registry.example.com/svc-${i}:${bad ? 'latest' : '1.4.2'}
          ports:
            - containerPort: 8080
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
          securityContext:
            privileged: ${bad ? 'true' : 'false'}
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
`);
    i++;
  }
  return docs.join('---\n');
}

/** Offsets to edit, spread over the file, on positions inside values (never inside a keyword). */
export function editPositions(text: string, count: number, seed = 1): { line: number; character: number }[] {
  const r = rng(seed);
  const lines = text.split('\n');
  const candidates: { line: number; character: number }[] = [];
  lines.forEach((l, n) => {
    const q = l.indexOf('"');
    if (q >= 0 && l.indexOf('"', q + 1) > q + 1) candidates.push({ line: n, character: q + 1 });
    else if (/^\s*(image|name):\s*\S/.test(l)) candidates.push({ line: n, character: l.length });
  });
  const out: { line: number; character: number }[] = [];
  for (let k = 0; k < count; k++) out.push(candidates[Math.floor((k / count) * candidates.length + r() * 3) % candidates.length]!);
  return out;
}
