# A workflow is imported by its full name, or by project/location/name.
terraform import gcpinvoke_workflow.orders projects/my-project/locations/europe-west1/workflows/process-orders
terraform import gcpinvoke_workflow.orders my-project/europe-west1/process-orders
