# Run by scripts/review-plans.sh in the Terraform working directory before
# the plan: apply before/main.tf, then grant user:imported@example.com the
# invoker role on hello by hand (the binding the import block adopts).
set -euo pipefail
mv main.tf main.tf.final
cp before/main.tf main.tf
"$TERRAFORM" apply -no-color -input=false -auto-approve
mv main.tf.final main.tf
svc="$EMULATOR_URL/v2/projects/demo-project/locations/us-central1/services/hello"
curl -sS -f -H 'Authorization: Bearer prepare' "$svc:getIamPolicy" |
	jq -c '{policy: (.bindings += [{role: "roles/run.invoker", members: ["user:imported@example.com"]}])}' |
	curl -sS -f -X POST -H 'Authorization: Bearer prepare' -H 'Content-Type: application/json' -d @- "$svc:setIamPolicy"
