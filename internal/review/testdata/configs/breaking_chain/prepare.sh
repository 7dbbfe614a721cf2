# Run by scripts/review-plans.sh in the Terraform working directory before
# the plan: apply the working chains of before/main.tf.
set -euo pipefail
mv main.tf main.tf.final
cp before/main.tf main.tf
"$TERRAFORM" apply -no-color -input=false -auto-approve
mv main.tf.final main.tf
