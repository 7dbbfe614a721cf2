# A queue is imported by its full name, or by project/location/name.
terraform import gcpinvoke_cloud_tasks_queue.orders projects/my-project/locations/europe-west1/queues/orders
terraform import gcpinvoke_cloud_tasks_queue.orders my-project/europe-west1/orders
# The plan after an import is empty when the configuration writes durations
# in seconds, as Google returns them ("120s"); "2m" plans an in-place update.
