resource "aws_s3_bucket" "logs" {
  bucket = "acme-access-logs"
  acl    = "private"
}
