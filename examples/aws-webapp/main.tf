terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = var.region
}

# The public marketing site: served straight from S3 through a local module.
module "site" {
  source      = "./modules/static-site"
  bucket_name = "${var.project}-site"
  public      = true
}

resource "aws_instance" "api" {
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "t3.small"
  subnet_id                   = aws_subnet.public.id
  vpc_security_group_ids      = [aws_security_group.api.id]
  associate_public_ip_address = true

  root_block_device {
    volume_size = 20
  }

  user_data = <<-EOT
    #!/bin/bash
    export DB_PASSWORD="${var.db_password}"
    systemctl start api
  EOT

  tags = local.tags
}

resource "aws_db_instance" "orders" {
  identifier          = "${var.project}-orders"
  engine              = "postgres"
  engine_version      = "15.4"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "orders"
  password            = "SuperSecret123!"
  publicly_accessible = true
  skip_final_snapshot = true
}

locals {
  tags = {
    project = var.project
    env     = var.environment
  }
}
