package review

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// change is one resource_changes entry written compactly for tests.
type change struct {
	addr, typ, actions, before, after, unknown string
}

func planOf(t *testing.T, changes ...change) *Plan {
	t.Helper()
	var parts []string
	for _, c := range changes {
		or := func(s, def string) string {
			if s == "" {
				return def
			}
			return s
		}
		parts = append(parts, fmt.Sprintf(`{"address":%q,"mode":"managed","type":%q,"change":{"actions":[%s],"before":%s,"after":%s,"after_unknown":%s}}`,
			c.addr, c.typ, c.actions, or(c.before, "null"), or(c.after, "null"), or(c.unknown, "{}")))
	}
	doc := `{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[` + strings.Join(parts, ",") + `]}`
	p, err := ReadPlan([]byte(doc))
	if err != nil {
		t.Fatalf("test plan: %v\n%s", err, doc)
	}
	return p
}

func findingList(r *Report) []string {
	out := []string{}
	for _, f := range r.Findings {
		out = append(out, fmt.Sprintf("%s %s %s", f.Severity, f.Code, f.Address))
	}
	sort.Strings(out)
	return out
}

const (
	create = `"create"`
	update = `"update"`
	del    = `"delete"`
	noop   = `"no-op"`
	run    = "https://svc-3xy7kq2aba-uc.a.run.app"
)

func runMember(member string) string {
	return fmt.Sprintf(`{"project":"p","location":"us-central1","name":"svc","role":"roles/run.invoker","member":%q,"condition":[]}`, member)
}

// invokerKept is an invoker binding for sa on svc that the plan leaves as is.
func invokerKept(sa string) change {
	return change{"m.inv", "google_cloud_run_v2_service_iam_member", noop, runMember("serviceAccount:" + sa), runMember("serviceAccount:" + sa), ""}
}

func schedJob(uri, token, sa, extra string) string {
	return fmt.Sprintf(`{"name":"j","http_target":[{"uri":%q,"%s_token":[{"service_account_email":%q%s}]}]}`, uri, token, sa, extra)
}

func TestFindings(t *testing.T) {
	sa := "caller@p.iam.gserviceaccount.com"
	invoker := change{"google_cloud_run_v2_service_iam_member.inv", "google_cloud_run_v2_service_iam_member", create, "", runMember("serviceAccount:" + sa), ""}
	tests := []struct {
		name    string
		changes []change
		want    []string
	}{
		{"public run invoker", []change{{"m.pub", "google_cloud_run_v2_service_iam_member", create, "", runMember("allUsers"), ""}},
			[]string{"high public-invoker m.pub"}},
		{"service account invoker is fine", []change{invoker}, nil},
		{"public function invoker (ours)", []change{{"m.fn", "gcpinvoke_cloudfunctions_function_iam_member", create, "",
			`{"project":"p","location":"l","function":"f","member":"allAuthenticatedUsers","allow_public":true}`, `{"role":true}`}},
			[]string{"high public-invoker m.fn"}},
		{"public project invoker", []change{{"m.proj", "google_project_iam_member", create, "",
			`{"project":"p","role":"roles/run.invoker","member":"allUsers"}`, ""}},
			[]string{"high public-invoker m.proj"}},
		{"existing public grant is not a change", []change{{"m.pub", "google_cloud_run_v2_service_iam_member", noop, runMember("allUsers"), runMember("allUsers"), ""}}, nil},
		{"token creator to a domain", []change{{"m.tc", "google_service_account_iam_member", create, "",
			`{"service_account_id":"projects/p/serviceAccounts/x@p.iam.gserviceaccount.com","role":"roles/iam.serviceAccountTokenCreator","member":"domain:example.com"}`, ""}},
			[]string{"high broad-impersonation m.tc"}},
		{"actAs to a workload identity pool set", []change{{"m.wi", "gcpinvoke_service_account_iam_member", create, "",
			`{"service_account":"x@p.iam.gserviceaccount.com","role":"roles/iam.serviceAccountUser","member":"principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/pool/*"}`, ""}},
			[]string{"high broad-impersonation m.wi"}},
		{"project-wide actAs to everyone", []change{{"m.pa", "google_project_iam_binding", create, "",
			`{"project":"p","role":"roles/iam.serviceAccountUser","members":["allAuthenticatedUsers"]}`, ""}},
			[]string{"high broad-impersonation m.pa"}},
		{"token creator to one agent is fine", []change{{"m.ag", "google_service_account_iam_member", create, "",
			`{"service_account_id":"projects/p/serviceAccounts/x@p.iam.gserviceaccount.com","role":"roles/iam.serviceAccountTokenCreator","member":"serviceAccount:service-1@gcp-sa-cloudscheduler.iam.gserviceaccount.com"}`, ""}}, nil},
		{"oauth to a non-Google host", []change{{"j.o", "google_cloud_scheduler_job", create, "", schedJob("https://example.com/hook", "oauth", sa, ""), ""}},
			[]string{"high oauth-non-google-host j.o"}},
		{"oauth to a Google API", []change{{"j.o", "google_cloud_scheduler_job", create, "", schedJob("https://run.googleapis.com/v2/x", "oauth", sa, ""), ""}}, nil},
		{"unchanged oauth job is not re-reported", []change{{"j.o", "google_cloud_scheduler_job", noop,
			schedJob("https://example.com/hook", "oauth", sa, ""), schedJob("https://example.com/hook", "oauth", sa, ""), ""}}, nil},
		{"binding update that removes a member", []change{{"b.x", "google_cloud_run_v2_service_iam_binding", update,
			`{"name":"svc","role":"roles/run.invoker","members":["user:a@x.com","user:b@x.com"]}`, `{"name":"svc","role":"roles/run.invoker","members":["user:a@x.com"]}`, ""}},
			[]string{"medium authoritative-removal b.x"}},
		{"binding update that only adds", []change{{"b.x", "google_cloud_run_v2_service_iam_binding", update,
			`{"name":"svc","role":"roles/run.invoker","members":["user:a@x.com"]}`, `{"name":"svc","role":"roles/run.invoker","members":["user:a@x.com","user:b@x.com"]}`, ""}}, nil},
		{"binding deletion", []change{{"b.x", "google_cloud_run_v2_service_iam_binding", del,
			`{"name":"svc","role":"roles/run.invoker","members":["user:a@x.com"]}`, "", ""}},
			[]string{"medium authoritative-removal b.x"}},
		{"member deletion is a plain revocation", []change{{"m.x", "google_cloud_run_v2_service_iam_member", del, runMember("user:a@x.com"), "", ""}}, nil},
		{"non-exclusive members update", []change{{"m.x", "gcpinvoke_run_service_iam_members", update,
			`{"service":"svc","exclusive":false,"members":["user:a@x.com","user:b@x.com"]}`, `{"service":"svc","exclusive":false,"members":["user:a@x.com"]}`, ""}}, nil},
		{"exclusive members update", []change{{"m.x", "gcpinvoke_run_service_iam_members", update,
			`{"service":"svc","exclusive":true,"members":["user:a@x.com","user:b@x.com"]}`, `{"service":"svc","exclusive":true,"members":["user:a@x.com"]}`, ""}},
			[]string{"medium authoritative-removal m.x"}},
		{"policy that drops a member", []change{{"p.x", "google_cloud_run_v2_service_iam_policy", update,
			`{"name":"svc","policy_data":"{\"bindings\":[{\"role\":\"roles/run.invoker\",\"members\":[\"user:a@x.com\"]}]}"}`, `{"name":"svc","policy_data":"{}"}`, ""}},
			[]string{"medium authoritative-removal p.x"}},
		{"root audience", []change{invoker, {"j.a", "google_cloud_scheduler_job", create, "", schedJob(run+"/path", "oidc", sa, `,"audience":"`+run+`/"`), ""}}, nil},
		{"audience with a path", []change{invoker, {"j.a", "google_cloud_scheduler_job", create, "", schedJob(run+"/path", "oidc", sa, `,"audience":"`+run+`/path"`), ""}},
			[]string{"medium audience-path j.a"}},
		{"defaulted audience with a query", []change{invoker, {"j.a", "google_cloud_scheduler_job", create, "", schedJob(run+"/?x=1", "oidc", sa, ""), ""}},
			[]string{"medium audience-path j.a"}},
		{"unknown audience is not judged", []change{invoker, {"j.a", "google_cloud_scheduler_job", create, "", schedJob(run+"/p", "oidc", sa, ""),
			`{"http_target":[{"oidc_token":[{"audience":true}]}]}`}}, nil},
		{"gen1 function URL is its audience", []change{
			{"f.i", "google_cloudfunctions_function_iam_member", create, "", `{"project":"p","region":"us-central1","cloud_function":"fn","role":"roles/cloudfunctions.invoker","member":"serviceAccount:` + sa + `"}`, ""},
			{"j.f", "gcpinvoke_scheduler_job", create, "", `{"http_target":{"uri":"https://us-central1-p.cloudfunctions.net/fn","oidc_token":{"service_account_email":"` + sa + `","audience":"https://us-central1-p.cloudfunctions.net/fn"}}}`, ""}}, nil},
		{"gen1 function audience with an extra path", []change{
			{"f.i", "google_cloudfunctions_function_iam_member", create, "", `{"project":"p","region":"us-central1","cloud_function":"fn","role":"roles/cloudfunctions.invoker","member":"serviceAccount:` + sa + `"}`, ""},
			{"j.f", "gcpinvoke_scheduler_job", create, "", `{"http_target":{"uri":"https://us-central1-p.cloudfunctions.net/fn/x","oidc_token":{"service_account_email":"` + sa + `","audience":"https://us-central1-p.cloudfunctions.net/fn/x"}}}`, ""}},
			[]string{"medium audience-path j.f"}},
		{"job without any invoker binding", []change{{"j.n", "gcpinvoke_scheduler_job", create, "", `{"http_target":{"uri":"` + run + `","oidc_token":{"service_account_email":"` + sa + `"}}}`, ""}},
			[]string{"info no-invoker-binding j.n"}},
		{"invoker binding for another account", []change{
			{"m.o", "google_cloud_run_v2_service_iam_member", create, "", runMember("serviceAccount:other@p.iam.gserviceaccount.com"), ""},
			{"j.n", "gcpinvoke_scheduler_job", create, "", `{"http_target":{"uri":"` + run + `","oidc_token":{"service_account_email":"` + sa + `"}}}`, ""}},
			[]string{"info no-invoker-binding j.n"}},
		{"project-level invoker counts", []change{
			{"m.p", "google_project_iam_member", create, "", `{"project":"p","role":"roles/run.invoker","member":"serviceAccount:` + sa + `"}`, ""},
			{"j.n", "gcpinvoke_scheduler_job", create, "", `{"http_target":{"uri":"` + run + `","oidc_token":{"service_account_email":"` + sa + `"}}}`, ""}}, nil},
		{"existing job loses its binding in this plan", []change{
			{"m.inv", "google_cloud_run_v2_service_iam_member", del, runMember("serviceAccount:" + sa), "", ""},
			{"j.n", "gcpinvoke_scheduler_job", noop, `{"http_target":{"uri":"` + run + `","oidc_token":{"service_account_email":"` + sa + `"}}}`,
				`{"http_target":{"uri":"` + run + `","oidc_token":{"service_account_email":"` + sa + `"}}}`, ""}},
			[]string{"high broken-chain m.inv"}},
		{"forgetting an authoritative binding changes nothing", []change{{"b.x", "google_cloud_run_v2_service_iam_binding", `"forget"`,
			`{"name":"svc","role":"roles/run.invoker","members":["user:a@x.com"]}`, "", ""}}, nil},
		{"forgotten invoker binding still serves a staying job", []change{
			{"m.inv", "google_cloud_run_v2_service_iam_member", `"forget"`, runMember("serviceAccount:" + sa), "", ""},
			{"j.n", "google_cloud_scheduler_job", noop, schedJob(run, "oidc", sa, ""), schedJob(run, "oidc", sa, ""), ""}}, nil},
		{"job deleted with its binding breaks nothing", []change{
			{"m.inv", "google_cloud_run_v2_service_iam_member", del, runMember("serviceAccount:" + sa), "", ""},
			{"j.n", "google_cloud_scheduler_job", del, schedJob(run, "oidc", sa, ""), "", ""}}, nil},
		{"google job loses its invoker binding", []change{
			{"m.inv", "google_cloud_run_v2_service_iam_member", del, runMember("serviceAccount:" + sa), "", ""},
			{"j.n", "google_cloud_scheduler_job", update, schedJob(run, "oidc", sa, ""), schedJob(run, "oidc", sa, `,"audience":"`+run+`"`), ""}},
			[]string{"high broken-chain m.inv"}},
		{"google scheduler agent loses token creator", []change{
			invokerKept(sa),
			{"tc.x", "google_service_account_iam_member", del, `{"service_account_id":"projects/p/serviceAccounts/` + sa + `","role":"roles/iam.serviceAccountTokenCreator","member":"serviceAccount:service-1@gcp-sa-cloudscheduler.iam.gserviceaccount.com"}`, "", ""},
			{"j.n", "google_cloud_scheduler_job", noop, schedJob(run, "oidc", sa, ""), schedJob(run, "oidc", sa, ""), ""}},
			[]string{"high broken-chain tc.x"}},
		{"tasks queue agent loses the grant (ours)", []change{
			invokerKept(sa),
			{"imp.q", "gcpinvoke_service_agent_impersonation", del, `{"service_account":"` + sa + `","agent":"cloudtasks","agent_email":"service-1@gcp-sa-cloudtasks.iam.gserviceaccount.com"}`, "", ""},
			{"q.n", "gcpinvoke_cloud_tasks_queue", noop, `{"http_target":{"uri":"` + run + `","oidc_token":{"service_account_email":"` + sa + `"}}}`,
				`{"http_target":{"uri":"` + run + `","oidc_token":{"service_account_email":"` + sa + `"}}}`, ""}},
			[]string{"high broken-chain imp.q"}},
		{"google service account deleted under a staying job", []change{
			invokerKept(sa),
			{"sa.x", "google_service_account", del, `{"account_id":"caller","project":"p","email":"` + sa + `"}`, "", ""},
			{"j.n", "google_cloud_scheduler_job", noop, schedJob(run, "oidc", sa, ""), schedJob(run, "oidc", sa, ""), ""}},
			[]string{"high broken-chain sa.x"}},
		{"service account replaced under a kept grant", []change{
			invokerKept(sa),
			{"sa.x", "gcpinvoke_service_account", `"delete","create"`, `{"account_id":"caller","project":"p","email":"` + sa + `"}`, `{"account_id":"caller","project":"p","email":"` + sa + `"}`, ""},
			{"j.n", "gcpinvoke_scheduler_job", noop, `{"http_target":{"uri":"` + run + `","oidc_token":{"service_account_email":"` + sa + `"}}}`,
				`{"http_target":{"uri":"` + run + `","oidc_token":{"service_account_email":"` + sa + `"}}}`, ""}},
			[]string{"high broken-chain sa.x"}},
		{"invoker binding replaced with another member", []change{
			{"m.inv", "google_cloud_run_v2_service_iam_member", `"delete","create"`, runMember("serviceAccount:" + sa), runMember("serviceAccount:other@p.iam.gserviceaccount.com"), ""},
			{"j.n", "google_cloud_scheduler_job", noop, schedJob(run, "oidc", sa, ""), schedJob(run, "oidc", sa, ""), ""}},
			[]string{"high broken-chain m.inv"}},
		{"invoker binding replaced with the same member", []change{
			{"m.inv", "google_cloud_run_v2_service_iam_member", `"create","delete"`, runMember("serviceAccount:" + sa), runMember("serviceAccount:" + sa), ""},
			{"j.n", "google_cloud_scheduler_job", noop, schedJob(run, "oidc", sa, ""), schedJob(run, "oidc", sa, ""), ""}}, nil},
		{"new job without binding is not a broken chain", []change{
			{"j.n", "google_cloud_scheduler_job", create, "", schedJob(run, "oidc", sa, ""), ""}},
			[]string{"info no-invoker-binding j.n"}},
		{"invoker on another service", []change{
			{"m.o", "google_cloud_run_v2_service_iam_member", create, "", strings.Replace(runMember("serviceAccount:"+sa), `"svc"`, `"other"`, 1), ""},
			{"j.n", "gcpinvoke_scheduler_job", create, "", `{"http_target":{"uri":"` + run + `","oidc_token":{"service_account_email":"` + sa + `"}}}`, ""}},
			[]string{"info no-invoker-binding j.n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findingList(Analyze(planOf(t, tt.changes...)))
			want := tt.want
			if want == nil {
				want = []string{}
			}
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("findings:\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestBindingsAndSummary(t *testing.T) {
	rep := Analyze(planOf(t,
		change{"b.x", "google_cloud_run_v2_service_iam_binding", update,
			`{"project":"p","location":"l","name":"svc","role":"roles/run.invoker","members":["user:a@x.com","user:b@x.com"]}`,
			`{"project":"p","location":"l","name":"svc","role":"roles/run.invoker","members":["user:a@x.com","user:c@x.com",null]}`,
			`{"members":[false,false,true]}`},
		change{"p.logs", "google_project_iam_member", create, "", `{"project":"p","role":"roles/logging.logWriter","member":"user:a@x.com"}`, ""},
	))
	var got []string
	for _, b := range rep.Bindings {
		got = append(got, fmt.Sprintf("%s %s %s %s auth=%v", b.Action, b.Target, b.Role, b.Member, b.Authoritative))
	}
	want := []string{
		"grant Cloud Run service p/l/svc roles/run.invoker (known after apply) auth=true",
		"grant Cloud Run service p/l/svc roles/run.invoker user:c@x.com auth=true",
		"revoke Cloud Run service p/l/svc roles/run.invoker user:b@x.com auth=true",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bindings (the logging role is not about invocation and must be left out):\n got %q\nwant %q", got, want)
	}
	if s := rep.Summary(); s != "2 grants, 1 revocation, 1 finding (1 medium)" {
		t.Errorf("Summary() = %q", s)
	}
}

func TestFailsThreshold(t *testing.T) {
	rep := &Report{Findings: []Finding{{Severity: Medium}}}
	for level, want := range map[Severity]bool{High: false, Medium: true, Info: true} {
		if got := rep.Fails(level); got != want {
			t.Errorf("Fails(%s) = %v, want %v", level, got, want)
		}
	}
	if _, err := ParseSeverity("critical"); err == nil {
		t.Error("ParseSeverity accepted an unknown level")
	}
}

func TestMarkdownEscapesTableCells(t *testing.T) {
	rep := Analyze(planOf(t, change{"m.c", "google_cloud_run_v2_service_iam_member", create, "",
		`{"name":"svc","role":"roles/run.invoker","member":"user:a@x.com","condition":[{"title":"a|b` + "`" + `c","expression":"true"}]}`, ""}))
	var md bytes.Buffer
	if err := WriteMarkdown(&md, rep); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(md.String(), "\n") {
		if strings.HasPrefix(line, "| ") && strings.Contains(line, "user:a@x.com") {
			if !strings.Contains(line, `a\|b`) || strings.Count(line, "|")-strings.Count(line, `\|`) != 6 {
				t.Errorf("table row not escaped: %s", line)
			}
		}
	}
}

// TestDeferredChanges: a change Terraform defers (deferred_changes, written
// by Terraform builds with deferred actions enabled; v1.11.4 stable does not
// produce them) is listed with its reason and makes no grant.
func TestDeferredChanges(t *testing.T) {
	doc := `{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[],
	"deferred_changes":[{"reason":"resource_config_unknown","resource_change":{"address":"google_cloud_run_v2_service_iam_member.pub","mode":"managed",
	"type":"google_cloud_run_v2_service_iam_member","change":{"actions":["create"],"before":null,"after":` + runMember("allUsers") + `}}}]}`
	p, err := ReadPlan([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	r := Analyze(p)
	want := []Deferred{{Address: "google_cloud_run_v2_service_iam_member.pub", Action: "create", Reason: "resource_config_unknown"}}
	if fmt.Sprint(r.Deferred) != fmt.Sprint(want) || len(r.Bindings) != 0 {
		t.Errorf("deferred = %+v, bindings = %+v; want %+v and no binding", r.Deferred, r.Bindings, want)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "### Deferred to a later plan") || !strings.Contains(md.String(), "| `google_cloud_run_v2_service_iam_member.pub` | create | resource_config_unknown |") {
		t.Errorf("markdown lacks the deferred change:\n%s", md.String())
	}
}

// TestMarkdownForPRComments: the verdict is the first line, a table longer
// than foldRows rows is folded in <details>, and the output does not depend
// on the order of resource_changes.
func TestMarkdownForPRComments(t *testing.T) {
	var changes []change
	for i := 0; i < foldRows+2; i++ {
		changes = append(changes, change{fmt.Sprintf("google_cloud_run_v2_service_iam_member.m%02d", i), "google_cloud_run_v2_service_iam_member",
			create, "", runMember(fmt.Sprintf("user:u%02d@example.com", i)), ""})
	}
	changes = append(changes, change{"m.pub", "google_cloud_run_v2_service_iam_member", create, "", runMember("allUsers"), ""})
	render := func(cs []change) string {
		var md bytes.Buffer
		if err := WriteMarkdown(&md, Analyze(planOf(t, cs...))); err != nil {
			t.Fatal(err)
		}
		return md.String()
	}
	md := render(changes)
	first, _, _ := strings.Cut(md, "\n")
	if first != "**🛑 gcpinvoke review: 13 grants, 0 revocations, 1 finding (1 high)**" {
		t.Errorf("first line %q is not the verdict", first)
	}
	if !strings.Contains(md, "<details><summary>13 changes on Cloud Run service p/us-central1/svc</summary>\n\n| change |") ||
		!strings.Contains(md, "\n</details>\n") {
		t.Errorf("the 13-row table is not folded:\n%s", md)
	}
	if strings.Index(md, "### Findings") > strings.Index(md, "### Grants and revocations") {
		t.Errorf("findings do not come before the tables:\n%s", md)
	}
	reversed := make([]change, len(changes))
	for i, c := range changes {
		reversed[len(changes)-1-i] = c
	}
	if again := render(reversed); again != md {
		t.Errorf("the report depends on the order of resource_changes:\n%s\n---\n%s", md, again)
	}
}

// TestSensitiveMembers: a member marked sensitive is shown as
// "(sensitive value)", never as itself, yet compared by value: an unchanged
// sensitive member is no change, a replaced one is a revocation and a grant.
func TestSensitiveMembers(t *testing.T) {
	doc := func(before, after string) string {
		return `{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[{"address":"google_cloud_run_v2_service_iam_member.s","mode":"managed",
		"type":"google_cloud_run_v2_service_iam_member","change":{"actions":["` + map[bool]string{true: "no-op", false: `delete","create`}[before == after] +
			`"],"before":` + runMember(before) + `,"after":` + runMember(after) + `,"after_unknown":{},
		"before_sensitive":{"member":true},"after_sensitive":{"member":true}}}]}`
	}
	tests := []struct {
		name, before, after string
		want                []string
	}{
		{"unchanged", "user:hidden-a@example.com", "user:hidden-a@example.com", nil},
		{"replaced", "user:hidden-a@example.com", "user:hidden-b@example.com", []string{"grant (sensitive value)", "revoke (sensitive value)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ReadPlan([]byte(doc(tt.before, tt.after)))
			if err != nil {
				t.Fatal(err)
			}
			r := Analyze(p)
			var got []string
			for _, b := range r.Bindings {
				got = append(got, string(b.Action)+" "+b.Member)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("bindings %q, want %q", got, tt.want)
			}
			var md, js bytes.Buffer
			if err := WriteMarkdown(&md, r); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, r); err != nil {
				t.Fatal(err)
			}
			if out := md.String() + js.String(); strings.Contains(out, "hidden-") {
				t.Errorf("a sensitive member is printed:\n%s", out)
			}
		})
	}
}
