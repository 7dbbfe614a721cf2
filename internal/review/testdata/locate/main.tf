# Configuration for TestLocate: resources at the root, in a local module and
# in a module it calls; a registry module is not on disk and is skipped.
resource "gcpinvoke_service_account" "caller" {
  account_id = "caller"
}

module "app" {
  source = "./modules/app"
}

module "from_registry" {
  source  = "terraform-google-modules/cloud-run/google"
  version = "~> 0.10"
}
