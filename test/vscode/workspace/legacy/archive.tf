resource "aws_s3_bucket" "archive" {
  acl = "public-read"
}
