package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// loose turns literal text into a regular expression in which every space
// matches any run of white space (Terraform wraps diagnostics).
func loose(text string) string {
	parts := strings.Split(text, " ")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return strings.Join(parts, `\s+`)
}

// badInputRegexp matches the diagnostic as Terraform prints it: the
// summary, the configuration line it points at, then the detail. Terraform
// quotes the attribute's own line for a top-level attribute written in the
// configuration, and the block's first line otherwise (a nested attribute,
// an attribute left out, or no attribute): there the recorded attribute path
// (badInputAttrPath) tells them apart.
func badInputRegexp(c badInputCase) *regexp.Regexp {
	line := `(resource|provider|data) "[a-z_]+"`
	root, _, _ := strings.Cut(c.attr, "[") // members[*] is quoted on the members line
	if root != "" && !strings.Contains(root, ".") &&
		regexp.MustCompile(`(?m)^\s*`+regexp.QuoteMeta(root)+`\s*=`).MatchString(c.provider+"\n"+c.hcl) {
		line = regexp.QuoteMeta(root) + `\s*=`
	}
	return regexp.MustCompile(`(?s)Error: ` + loose(c.summary) + `\s+with [^\n]+\n\s+on [^\n]+\n\s+\d+:\s+` + line + `.*?` + loose(c.detail))
}

// checkRecordedDiagnostics asserts, on what the provider returned to
// Terraform, that the case's error came at the expected phase and on its
// attribute, and that no error of the case sits on no attribute unless the
// case says so.
func checkRecordedDiagnostics(t *testing.T, c badInputCase, rec *diagRecorder) {
	t.Helper()
	errs := rec.errors()
	found := false
	for _, d := range errs {
		if d.summary == c.summary && strings.Contains(strings.Join(strings.Fields(d.detail), " "), c.detail) {
			found = true
			if d.path != c.attr {
				t.Errorf("diagnostic %q is on attribute path %q, want %q", d.summary, d.path, c.attr)
			}
			if d.atApply() != (c.at == badInputAtApply) {
				t.Errorf("diagnostic %q came from %s, want it %s", d.summary, d.rpc, c.at.phrase())
			}
		}
		if d.path == "" && c.attr != "" {
			t.Errorf("diagnostic %q (%s) sits on no attribute: %s", d.summary, d.rpc, d.detail)
		}
	}
	if !found {
		t.Errorf("the provider returned no error %q containing %q; it returned %+v", c.summary, c.detail, errs)
	}
}

// TestAccReliability_badInputCatalogue runs every configuration of the
// catalogue (reliability_bad_input_cases_test.go). A case rejected at plan
// must fail planning before any write, with the expected message on its
// attribute; a case that only apply can catch must plan, then fail apply
// with its message and leave nothing in state. The test logs the
// catalogue's counts: rejected at plan / only at apply.
func TestAccReliability_badInputCatalogue(t *testing.T) {
	if len(badInputCases) < 30 {
		t.Fatalf("the catalogue has %d cases, want at least 30", len(badInputCases))
	}
	counts := map[badInputOutcome]int{}
	for _, c := range badInputCases {
		counts[c.at]++
	}
	t.Logf("bad-input catalogue: %d cases: %d rejected at plan, %d only at apply, %d accepted silently",
		len(badInputCases), counts[badInputAtPlan], counts[badInputAtApply], counts[badInputAccepted])
	f := testAccEmulator(t, emulator.Options{Seed: reliabilitySeed(1)})
	for _, c := range badInputCases {
		t.Run(c.name, func(t *testing.T) {
			fx := f
			if c.at != badInputAtPlan {
				// Applied cases get an emulator of their own, so that
				// the check below sees the plan-only cases' calls alone.
				fx = testAccEmulator(t, emulator.Options{Seed: reliabilitySeed(1)})
			}
			provider := fx.ProviderBlock()
			if c.provider != "" {
				provider = fmt.Sprintf(c.provider, fx.Host)
			}
			rec := &diagRecorder{}
			step := resource.TestStep{
				Config:   provider + "\n" + c.hcl + "\n",
				PlanOnly: c.at == badInputAtPlan,
			}
			if c.at != badInputAccepted {
				step.ExpectError = badInputRegexp(c)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: recordingProviders(rec),
				Steps:                    []resource.TestStep{step},
			})
			if c.at == badInputAccepted {
				if errs := rec.errors(); len(errs) > 0 {
					t.Errorf("accepted case returned errors: %+v", errs)
				}
				return
			}
			checkRecordedDiagnostics(t, c, rec)
		})
	}
	t.Cleanup(func() {
		// Plan-time rejections must not have touched the APIs (the
		// provider may read, never write).
		for m, n := range f.Calls() {
			if strings.HasSuffix(m, "setIamPolicy") || strings.Contains(m, ".create") || strings.Contains(m, ".patch") {
				t.Errorf("a rejected plan called %s %d time(s)", m, n)
			}
		}
	})
}

// TestAccReliability_apiFailures applies configurations the API refuses
// (a target that does not exist, a permission the caller lacks) and
// asserts a diagnostic that says what to do, and that nothing was written
// to Terraform's state: planning again still wants to create the resource.
func TestAccReliability_apiFailures(t *testing.T) {
	tests := []struct {
		name   string
		faults emulator.Faults
		addr   string
		hcl    string
		want   string // regular expression of the diagnostic
		// recovers: after the failure, the same configuration applies
		// (the fault was transient).
		recovers bool
	}{
		{
			name: "404 Cloud Run service does not exist",
			addr: "gcpinvoke_run_service_iam_member.m",
			hcl: `resource "gcpinvoke_run_service_iam_member" "m" {
  service = "does-not-exist"
  member  = "user:alice@example.com"
}`,
			want: `(?s)Error: Not found while changing the IAM policy of Cloud Run service "projects/demo-project/locations/us-central1/services/does-not-exist".*` + loose(`does not exist. Check the project, location and name (and the provider's `) + "`project`",
		},
		{
			name: "404 service account does not exist",
			addr: "gcpinvoke_service_agent_impersonation.i",
			hcl: `resource "gcpinvoke_service_agent_impersonation" "i" {
  service_account = "nobody-here@demo-project.iam.gserviceaccount.com"
  agent           = "cloudscheduler"
}`,
			want: `(?s)Error: Not found while changing the IAM policy of service account projects/demo-project/serviceAccounts/nobody-here@demo-project\.iam\.gserviceaccount\.com.*does\s+not\s+exist\.\s+Check\s+the\s+project`,
		},
		{
			name:   "403 permission denied on setIamPolicy",
			faults: emulator.Faults{FailNext: map[string]*emulator.FailSpec{"run.services.setIamPolicy": {Code: 403, Count: 1, Message: "Permission 'run.services.setIamPolicy' denied on resource 'projects/demo-project/locations/us-central1/services/svc-000' (or resource may not exist)."}}},
			addr:   "gcpinvoke_run_service_iam_members.s",
			hcl: `resource "gcpinvoke_run_service_iam_members" "s" {
  service = "svc-000"
  role    = "roles/run.invoker"
  members = ["user:alice@example.com", "user:bob@example.com"]
}`,
			want:     `(?s)Error: Permission denied while changing the IAM policy of Cloud Run service .*` + loose("The identity Terraform runs as needs the permission `run.services.setIamPolicy` on Cloud Run service") + `.*` + loose("(included in `roles/run.admin`)"),
			recovers: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := testAccEmulator(t, emulator.Options{Seed: reliabilitySeed(1), Faults: tt.faults})
			cfg := f.Config(tt.hcl)
			steps := []resource.TestStep{
				{Config: cfg, ExpectError: regexp.MustCompile(tt.want)},
				{
					// A non-refreshing plan shows what state holds:
					// Create means nothing was half-written.
					Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tt.addr, plancheck.ResourceActionCreate),
					}},
				},
			}
			if tt.recovers {
				steps = append(steps, resource.TestStep{Config: cfg})
			}
			resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
		})
	}
}

// TestBadInputRegexpPointsAtAttribute checks the catalogue's matcher: the
// right message on the wrong attribute line must not pass.
func TestBadInputRegexpPointsAtAttribute(t *testing.T) {
	out := "Error: Invalid IAM member\n\n  with gcpinvoke_run_service_iam_member.bad,\n  on main.tf line 15, in resource \"gcpinvoke_run_service_iam_member\" \"bad\":\n  15:   role  = \"user:\"\n\nmember \"user:\": \"\" is not an email\naddress: write user:NAME@DOMAIN\n"
	c := badInputCase{summary: "Invalid IAM member", attr: "member", detail: `member "user:": "" is not an email address`,
		hcl: "  member = \"user:\"\n  role   = \"user:\"\n"}
	if badInputRegexp(c).MatchString(out) {
		t.Errorf("matched a diagnostic quoting the role line as one about member")
	}
	c.attr = "role"
	if !badInputRegexp(c).MatchString(out) {
		t.Errorf("did not match the diagnostic on its own line (wrapped detail)")
	}
}
