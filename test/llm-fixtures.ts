/** Files full of secrets: none of the SECRET_VALUES may ever appear in a request body. */

export const PRIVATE_KEY_BODY = [
  'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Kx5aXn9h3oFqBYtUpWmNcxJ1Q8r',
  'kR7vQ2lN8sXcYw4ZbD6eT1pGfH3jK9mL0nO5qR2sT8uV4wX6yZ1aB3cD5eF7gH9i',
  'J0kL2mN4oP6qR8sT0uV2wX4yZ6aB8cD0eF2gH4iJ6kL8mN0oP2qR4sT6uV8wX0yZ',
];

// Assembled at run time: no literal PEM block in any bundle (secret scanners rightly refuse them).
const PEM_BEGIN = ['-----BEGIN', 'RSA', 'PRIVATE', 'KEY-----'].join(' ');
const PEM_END = ['-----END', 'RSA', 'PRIVATE', 'KEY-----'].join(' ');

export const SECRET_VALUES = [
  'AKIAQ3EGUDBZ7PLM4XRT', // AWS access key id
  'Zx8bR2m/Kq7vT4nW9pLc3YhF6sJd1GtA5eUo0iNr', // AWS secret access key
  'Sup3rS3cretPassw0rd!', // database password
  'ghp_R4nd0mT0k3nV4lu3ABCDEFGHIJKLMNOPQRSTUV', // GitHub token
  'xoxb-123456789012-abcdefghijklmnop', // Slack token
  'pgPassw0rd42', // password in a connection URL
  'AzurePa55word!', // password in a connection string
  'hunter2-k8s-env', // Kubernetes env value of DB_PASSWORD
  'c3RyaW5nLWRhdGEtc2VjcmV0', // Kubernetes Secret data
  'plain-string-data-secret', // Kubernetes Secret stringData
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXZhbHVlLTEyMw', // a JWT
  ...PRIVATE_KEY_BODY,
];

export const SECRETS_TF = `resource "aws_db_instance" "db" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  username            = "admin"
  password            = "Sup3rS3cretPassw0rd!"
  publicly_accessible = true
}

resource "aws_lambda_function" "fn" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  environment {
    variables = {
      AWS_ACCESS_KEY_ID     = "AKIAQ3EGUDBZ7PLM4XRT"
      AWS_SECRET_ACCESS_KEY = "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"
      GITHUB_TOKEN          = "ghp_R4nd0mT0k3nV4lu3ABCDEFGHIJKLMNOPQRSTUV"
      SLACK                 = "xoxb-123456789012-abcdefghijklmnop"
      DATABASE_URL          = "postgres://app:pgPassw0rd42@db.internal:5432/app"
      SQL                   = "Server=tcp:x.database.windows.net;Database=db;User ID=admin;Password=AzurePa55word!;"
      SESSION               = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXZhbHVlLTEyMw"
    }
  }
}

resource "aws_iam_server_certificate" "cert" {
  name             = "cert"
  certificate_body = "cert"
  private_key      = <<EOT
${PEM_BEGIN}
${PRIVATE_KEY_BODY.join('\n')}
${PEM_END}
EOT
}
`;

export const SECRETS_YAML = `apiVersion: v1
kind: Secret
metadata:
  name: app
type: Opaque
data:
  token: c3RyaW5nLWRhdGEtc2VjcmV0
stringData:
  password: plain-string-data-secret
---
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: app:1.0
      env:
        - name: DB_PASSWORD
          value: hunter2-k8s-env
        - name: MODE
          value: production
`;
