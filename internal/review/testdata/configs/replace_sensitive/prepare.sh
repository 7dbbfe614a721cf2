# Run by scripts/review-plans.sh in the Terraform working directory before
# the plan: apply before/main.tf, then taint the job.
set -euo pipefail
mv main.tf main.tf.final
cp before/main.tf main.tf
"$TERRAFORM" apply -no-color -input=false -auto-approve
"$TERRAFORM" taint -no-color gcpinvoke_scheduler_job.tainted
mv main.tf.final main.tf
