variable "names" {
  type    = set(string)
  default = ["a", "b"]
}

resource "gcpinvoke_scheduler_job" "call" {
  for_each = var.names
  name     = each.key
  schedule = "0 * * * *"
  http_target = {
    uri = "https://example.com"
  }
}
