variable "bucket_name" {
  type = string
}

variable "public" {
  type    = bool
  default = false
}

resource "aws_s3_bucket" "this" {
  bucket = var.bucket_name
  acl    = var.public ? "public-read" : "private"

  website {
    index_document = "index.html"
  }
}

output "endpoint" {
  value = aws_s3_bucket.this.website_endpoint
}
