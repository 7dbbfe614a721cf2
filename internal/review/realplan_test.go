package review

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The real_*.json plans are written by the Terraform CLI (scripts/review-plans.sh,
// `make review-plans`) from examples/scheduler-to-cloud-run and
// testdata/configs/NAME against the emulator on 127.0.0.1:18787.
const (
	realRunURL   = "http://hello-767yerjux2-uc.a.run.localhost:18787"
	realFnRunURL = "http://hello-fn-767yerjux2-uc.a.run.localhost:18787"
	realGen1URL  = "http://us-central1-demo-project.cloudfunctions.localhost:18787/legacy-fn"
)

func realReport(t *testing.T, name string) *Report {
	t.Helper()
	return analyzeFile(t, filepath.Join("testdata", "plans", "real_"+name+".json"))
}

// jobsOf returns the callers a resource defines.
func jobsOf(r *Report, address string) []Job {
	var out []Job
	for _, j := range r.Jobs {
		if j.Address == address {
			out = append(out, j)
		}
	}
	return out
}

func hasBinding(r *Report, want Binding) bool {
	for _, b := range r.Bindings {
		if b.Action == want.Action && b.Target.String() == want.Target.String() && b.Role == want.Role &&
			b.Member == want.Member && b.MemberRef == want.MemberRef && b.Address == want.Address {
			return true
		}
	}
	return false
}

// TestRealSchedulerToCloudRun checks the chain examples/scheduler-to-cloud-run
// promises, as Terraform really plans it: Cloud Scheduler → its service
// account (which the scheduler agent may impersonate) → the hello service,
// through the invoker grant, with no finding.
func TestRealSchedulerToCloudRun(t *testing.T) {
	r := realReport(t, "scheduler_to_cloud_run")
	if r.TerraformVersion == "" {
		t.Error("terraform_version is empty: the plan was not written by Terraform")
	}
	hello := Target{Kind: KindRunService, Project: "demo-project", Location: "us-central1", Name: "hello"}
	const sa = "scheduler-invoker@demo-project.iam.gserviceaccount.com"

	jobs := jobsOf(r, "gcpinvoke_scheduler_job.call")
	if len(jobs) != 1 || len(r.Jobs) != 1 {
		t.Fatalf("jobs = %+v, want only gcpinvoke_scheduler_job.call", r.Jobs)
	}
	j := jobs[0]
	got := []string{j.Caller, j.Action, j.ServiceAccount, j.Token, j.Audience, j.URL, j.InvokerVia, j.ImpersonationVia}
	want := []string{"scheduler", "create", sa, "oidc", realRunURL, realRunURL + "/reports/daily?format=json",
		"gcpinvoke_run_service_iam_member.invoker", "gcpinvoke_service_agent_impersonation.scheduler"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("job fields\n got %q\nwant %q", got, want)
	}
	if len(j.Targets) != 1 || j.Targets[0].String() != hello.String() {
		t.Errorf("job targets = %v, want [%v]", j.Targets, hello)
	}

	for _, b := range []Binding{
		{Action: Grant, Target: hello, Role: "roles/run.invoker", Member: "serviceAccount:" + sa, Address: "gcpinvoke_run_service_iam_member.invoker"},
		{Action: Grant, Target: Target{Kind: KindServiceAccount, Name: sa}, Role: "roles/cloudscheduler.serviceAgent",
			Member: Unknown, MemberRef: "cloudscheduler service agent", Address: "gcpinvoke_service_agent_impersonation.scheduler"},
	} {
		if !hasBinding(r, b) {
			t.Errorf("missing %s of %s to %s on %s; bindings: %+v", b.Action, b.Role, b.Member, b.Target, r.Bindings)
		}
	}
	if len(r.Bindings) != 2 || r.Count(Revoke) != 0 {
		t.Errorf("bindings = %+v, want exactly the two grants", r.Bindings)
	}
	if r.Fails(Info) {
		t.Errorf("findings = %v, want none", findingList(r))
	}

	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, edge := range []string{
		`n1("scheduler: gcpinvoke_scheduler_job.call")`,
		`n2["` + sa + `"]`,
		`n1 -->|"oidc token"| n2`,
		`n3["Cloud Run service demo-project/us-central1/hello"]`,
		`n2 -->|"invoker"| n3`,
		`-->|"roles/cloudscheduler.serviceAgent"| n2`,
	} {
		if !strings.Contains(md.String(), edge) {
			t.Errorf("the Mermaid chain lacks %s:\n%s", edge, md.String())
		}
	}
}

// TestRealRisky checks every finding the risky configuration is built to
// raise, from the plan Terraform wrote (the foreign member was added to the
// policy out of band, so the exclusive resource's refresh shows it).
func TestRealRisky(t *testing.T) {
	r := realReport(t, "risky")
	want := []string{
		"high broad-impersonation gcpinvoke_service_account_iam_member.domain",
		"high public-invoker gcpinvoke_run_service_iam_member.public",
		"info no-invoker-binding gcpinvoke_scheduler_job.no_invoker",
		"medium audience-path gcpinvoke_scheduler_job.audience_path",
		"medium authoritative-removal gcpinvoke_run_service_iam_members.exclusive",
	}
	if got := findingList(r); !reflect.DeepEqual(got, want) {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
	if !r.Fails(High) {
		t.Error("Fails(High) = false, want true")
	}
	revoke := Binding{Action: Revoke, Target: Target{Kind: KindRunService, Project: "demo-project", Location: "us-central1", Name: "hello-fn"},
		Role: "roles/run.developer", Member: "user:foreign@example.com", Address: "gcpinvoke_run_service_iam_members.exclusive"}
	if !hasBinding(r, revoke) || r.Count(Revoke) != 1 {
		t.Errorf("want the one revocation of user:foreign@example.com; bindings: %+v", r.Bindings)
	}
	for _, f := range r.Findings {
		if f.Code == CodeAudiencePath && !strings.Contains(f.Fix, `"`+realRunURL+`"`) {
			t.Errorf("audience-path fix %q does not name the root URL %s", f.Fix, realRunURL)
		}
	}
	if j := jobsOf(r, "gcpinvoke_scheduler_job.audience_path"); len(j) != 1 || j[0].InvokerVia != "gcpinvoke_run_service_iam_member.public" {
		t.Errorf("audience_path job = %+v, want it invokable through the public grant", j)
	}
}

// TestRealFunctionsTasksWorkflows checks the other callers and targets as
// Terraform plans them: a 2nd gen function's binding lands on its Run
// service (binding_target), workflows' authenticated http calls are callers.
func TestRealFunctionsTasksWorkflows(t *testing.T) {
	r := realReport(t, "functions_tasks_workflows")
	type row struct{ caller, step, url, target, invokerVia, impersonationVia string }
	want := map[string]row{
		"gcpinvoke_cloud_tasks_queue.exports": {"tasks", "", realGen1URL, "Cloud Function demo-project/us-central1/legacy-fn",
			"gcpinvoke_cloudfunctions_function_iam_member.tasks", "gcpinvoke_service_agent_impersonation.tasks"},
		"gcpinvoke_scheduler_job.scale_up": {"scheduler", "",
			"https://compute.googleapis.com/compute/v1/projects/demo-project/zones/us-central1-a/instanceGroupManagers/workers/resize?size=4",
			"", "", "gcpinvoke_service_agent_impersonation.scheduler"},
		"gcpinvoke_workflow.fan_out": {"workflows", "call_hello", realFnRunURL + "/work", "Cloud Run service demo-project/us-central1/hello-fn",
			"gcpinvoke_cloudfunctions_function_iam_members.hello_fn", ""},
	}
	if len(r.Jobs) != len(want) {
		t.Fatalf("jobs = %+v, want %d", r.Jobs, len(want))
	}
	for _, j := range r.Jobs {
		target := ""
		if len(j.Targets) > 0 {
			target = j.Targets[0].String()
		}
		got := row{j.Caller, j.Step, j.URL, target, j.InvokerVia, j.ImpersonationVia}
		if got != want[j.Address] {
			t.Errorf("%s\n got %+v\nwant %+v", j.Address, got, want[j.Address])
		}
	}
	if len(r.Findings) != 0 {
		t.Errorf("findings = %v, want none", findingList(r))
	}
}

// TestRealPlansCoverConfigs fails when a review scenario under
// testdata/configs has no plan generated from it.
func TestRealPlansCoverConfigs(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "configs", "*", "main.tf"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no configurations in testdata/configs (err %v)", err)
	}
	for _, mainTF := range dirs {
		name := strings.ReplaceAll(filepath.Base(filepath.Dir(mainTF)), "-", "_")
		if _, err := os.Stat(filepath.Join("testdata", "plans", "real_"+name+".json")); err != nil {
			t.Errorf("%s has no testdata/plans/real_%s.json: run `make review-plans`", mainTF, name)
		}
	}
}

// TestRealNeutral: a plan that only moves, forgets (removed with
// destroy = false) and imports changes nothing in Google Cloud: no grant, no
// revocation, no finding (so --fail-on info passes), and each state-only
// change is listed as such.
func TestRealNeutral(t *testing.T) {
	r := realReport(t, "neutral")
	if len(r.Bindings) != 0 {
		t.Errorf("bindings = %+v, want none", r.Bindings)
	}
	if r.Fails(Info) {
		t.Errorf("findings = %v, want none", findingList(r))
	}
	want := []Neutral{
		{Kind: NeutralForget, Address: "gcpinvoke_run_service_iam_members.legacy", Action: "no-op"},
		{Kind: NeutralImport, Address: "gcpinvoke_run_service_iam_member.imported", Action: "no-op",
			ImportID: "projects/demo-project/locations/us-central1/services/hello roles/run.invoker user:imported@example.com"},
		{Kind: NeutralMove, Address: "gcpinvoke_run_service_iam_member.invoker", From: "gcpinvoke_run_service_iam_member.old_name", Action: "no-op"},
	}
	if !reflect.DeepEqual(r.Neutral, want) {
		t.Errorf("neutral\n got %+v\nwant %+v", r.Neutral, want)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "\n### No change in Google Cloud\n") || strings.Contains(md.String(), "revoke") {
		t.Errorf("markdown does not list the state-only changes under their own heading:\n%s", md.String())
	}
}

// TestRealReplaceSensitive: replacements say why (from action_reason and
// replace_paths), and values marked sensitive never reach the report.
func TestRealReplaceSensitive(t *testing.T) {
	r := realReport(t, "replace_sensitive")
	var md, js bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{md.String(), js.String()} {
		for _, secret := range []string{"secret-person", "s3cr3t-t0ken"} {
			if strings.Contains(out, secret) {
				t.Errorf("the report prints the sensitive value %q:\n%s", secret, out)
			}
		}
	}
	secret := Binding{Action: Grant, Target: Target{Kind: KindRunService, Project: "demo-project", Location: "us-central1", Name: "hello"},
		Role: "roles/run.invoker", Member: Sensitive, Address: "gcpinvoke_run_service_iam_member.secret"}
	if !hasBinding(r, secret) {
		t.Errorf("want the grant to a sensitive member shown as %q; bindings: %+v", Sensitive, r.Bindings)
	}
	for _, b := range r.Bindings {
		if b.Address == "gcpinvoke_run_service_iam_member.reader" && b.Because != "replace because member cannot be updated in place" {
			t.Errorf("%s %s: because = %q", b.Action, b.Member, b.Because)
		}
	}
	if j := jobsOf(r, "gcpinvoke_scheduler_job.tainted"); len(j) != 1 || j[0].Because != "replace because the object is tainted" {
		t.Errorf("tainted job = %+v, want it replaced because tainted", j)
	}
	if !strings.Contains(md.String(), "`gcpinvoke_run_service_iam_member.reader` (replace because member cannot be updated in place)") {
		t.Errorf("markdown does not say why the binding is replaced:\n%s", md.String())
	}
}

// TestRealBreakingChain: removing a link of a chain whose caller stays is a
// high finding naming the caller and how it fails.
func TestRealBreakingChain(t *testing.T) {
	r := realReport(t, "breaking_chain")
	want := []string{
		"high broken-chain gcpinvoke_run_service_iam_member.web",
		"high broken-chain gcpinvoke_service_account.gone",
		"high broken-chain gcpinvoke_service_agent_impersonation.queue",
	}
	if got := findingList(r); !reflect.DeepEqual(got, want) {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
	how := map[string][]string{
		"gcpinvoke_run_service_iam_member.web":        {"gcpinvoke_scheduler_job.web", "403"},
		"gcpinvoke_service_account.gone":              {"gcpinvoke_scheduler_job.gone", "no token"},
		"gcpinvoke_service_agent_impersonation.queue": {"gcpinvoke_cloud_tasks_queue.queue", "no token"},
	}
	for _, f := range r.Findings {
		for _, w := range how[f.Address] {
			if !strings.Contains(f.Message, w) {
				t.Errorf("%s: message %q does not say %q", f.Address, f.Message, w)
			}
		}
	}
}
