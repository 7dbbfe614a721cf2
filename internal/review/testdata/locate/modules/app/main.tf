data "gcpinvoke_run_service" "svc" {
  name = "hello"
}

resource "gcpinvoke_run_service_iam_member" "public" {
  service      = data.gcpinvoke_run_service.svc.name
  member       = "allUsers"
  allow_public = true
}

module "inner" {
  source = "./inner"
}
