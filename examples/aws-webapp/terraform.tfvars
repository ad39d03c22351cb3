project     = "acme-shop"
environment = "prod"
