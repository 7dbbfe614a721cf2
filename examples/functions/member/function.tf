# A validated IAM member, spelled the way IAM stores it.
output "invoker_member" {
  value = provider::gcpinvoke::member("serviceAccount", "Invoker@my-project.iam.gserviceaccount.com")
  # => "serviceAccount:invoker@my-project.iam.gserviceaccount.com"
}

output "public_member" {
  value = provider::gcpinvoke::member("allUsers", "")
  # => "allUsers"
}
