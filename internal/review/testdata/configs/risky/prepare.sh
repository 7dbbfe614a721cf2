# Run by scripts/review-plans.sh in the Terraform working directory before
# the plan: the exclusive binding exists, then someone adds a member to its
# role by hand (read-modify-write of the policy through the API).
set -euo pipefail
"$TERRAFORM" apply -no-color -input=false -auto-approve -target=gcpinvoke_run_service_iam_members.exclusive
svc="$EMULATOR_URL/v2/projects/demo-project/locations/us-central1/services/hello-fn"
curl -sS -f -H 'Authorization: Bearer prepare' "$svc:getIamPolicy" |
	jq -c '{policy: (.bindings |= map(if .role == "roles/run.developer" then .members += ["user:foreign@example.com"] else . end))}' |
	curl -sS -f -X POST -H 'Authorization: Bearer prepare' -H 'Content-Type: application/json' -d @- "$svc:setIamPolicy"
