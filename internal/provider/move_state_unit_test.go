package provider

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// moveState runs r's state movers on a Google provider state (JSON) the
// way the framework does, and returns the target state (nil when no mover
// took it) and the error summaries.
func moveState(t *testing.T, r resource.Resource, sourceType, sourceJSON string) (*tfsdk.State, []string) {
	t.Helper()
	ctx := context.Background()
	var sresp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sresp)
	req := resource.MoveStateRequest{
		SourceProviderAddress: "registry.terraform.io/hashicorp/google",
		SourceTypeName:        sourceType,
		SourceRawState:        &tfprotov6.RawState{JSON: []byte(sourceJSON)},
	}
	for _, m := range r.(resource.ResourceWithMoveState).MoveState(ctx) {
		resp := resource.MoveStateResponse{TargetState: tfsdk.State{Schema: sresp.Schema,
			Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}}
		m.StateMover(ctx, req, &resp)
		if resp.Diagnostics.HasError() {
			var errs []string
			for _, d := range resp.Diagnostics.Errors() {
				errs = append(errs, d.Summary()+": "+d.Detail())
			}
			return nil, errs
		}
		if !resp.TargetState.Raw.IsNull() {
			return &resp.TargetState, nil
		}
	}
	return nil, nil
}

func stateString(t *testing.T, s *tfsdk.State, p path.Path) string {
	t.Helper()
	var v *string
	if d := s.GetAttribute(context.Background(), p, &v); d.HasError() {
		t.Fatalf("%s: %v", p, d)
	}
	if v == nil {
		return "<null>"
	}
	return *v
}

// The moved state itself (before any refresh): renames, defaults, the body
// decoded from base64, and the refusals naming the source attribute.
func TestMoveState_schedulerJob(t *testing.T) {
	body := base64.StdEncoding.EncodeToString([]byte(`{"a":1}`))
	job := func(extra string) string {
		return `{"id":"projects/p/locations/europe-west1/jobs/j","name":"j","project":"p","region":"europe-west1","schedule":"0 3 * * *",
"time_zone":"","paused":false,"state":"ENABLED","attempt_deadline":"320s","description":"",
"retry_config":[{"retry_count":2,"min_backoff_duration":"10s","max_backoff_duration":"","max_retry_duration":"0s","max_doublings":0}],
"http_target":[{"uri":"https://example.com/x?y=1","http_method":"PUT","body":"` + body + `","headers":{"User-Agent":"Google-Cloud-Scheduler","X-A":"1"},
"oidc_token":[{"service_account_email":"sa@p.iam.gserviceaccount.com","audience":"https://example.com"}],"oauth_token":[]}],
"pubsub_target":[],"app_engine_http_target":[]` + extra + `}`
	}
	s, errs := moveState(t, NewSchedulerJobResource(), "google_cloud_scheduler_job", job(""))
	if errs != nil || s == nil {
		t.Fatalf("not moved: %v", errs)
	}
	for p, want := range map[string]string{
		"id": "projects/p/locations/europe-west1/jobs/j", "location": "europe-west1", "project": "p", "name": "j",
		"time_zone": "Etc/UTC", "attempt_deadline": "320s", "description": "<null>", "state": "ENABLED",
	} {
		if got := stateString(t, s, path.Root(p)); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
	ht := path.Root("http_target")
	for p, want := range map[string]path.Path{
		`{"a":1}`:                      ht.AtName("body"),
		"PUT":                          ht.AtName("http_method"),
		"https://example.com":          ht.AtName("oidc_token").AtName("audience"),
		"1":                            ht.AtName("headers").AtMapKey("X-A"),
		"<null>":                       ht.AtName("headers").AtMapKey("User-Agent"),
		"10s":                          path.Root("retry_config").AtName("min_backoff"),
		"3600s":                        path.Root("retry_config").AtName("max_backoff"),
		"sa@p.iam.gserviceaccount.com": ht.AtName("oidc_token").AtName("service_account_email"),
	} {
		if got := stateString(t, s, want); got != p {
			t.Errorf("%s = %q, want %q", want, got, p)
		}
	}

	for name, tc := range map[string]struct{ extra, field string }{
		"pubsub":     {`,"pubsub_target":[{"topic_name":"projects/p/topics/t"}]`, "pubsub_target is set"},
		"app engine": {`,"app_engine_http_target":[{"relative_uri":"/x"}]`, "app_engine_http_target is set"},
	} {
		t.Run(name, func(t *testing.T) {
			src := strings.Replace(job(""), `"pubsub_target":[],"app_engine_http_target":[]`, strings.TrimPrefix(tc.extra, ","), 1)
			_, errs := moveState(t, NewSchedulerJobResource(), "google_cloud_scheduler_job", src)
			if len(errs) != 1 || !strings.Contains(errs[0], tc.field) {
				t.Errorf("errors = %q, want one naming %q", errs, tc.field)
			}
		})
	}
	t.Run("binary body", func(t *testing.T) {
		src := strings.Replace(job(""), body, base64.StdEncoding.EncodeToString([]byte{0xff, 0xfe, 0x00}), 1)
		_, errs := moveState(t, NewSchedulerJobResource(), "google_cloud_scheduler_job", src)
		if len(errs) != 1 || !strings.Contains(errs[0], "http_target.body") {
			t.Errorf("errors = %q, want one naming http_target.body", errs)
		}
	})
	t.Run("other provider or type", func(t *testing.T) {
		if s, errs := moveState(t, NewSchedulerJobResource(), "google_pubsub_topic", job("")); s != nil || errs != nil {
			t.Errorf("moved from another type: %v %v", s, errs)
		}
	})
}

func TestMoveState_iam(t *testing.T) {
	tests := []struct {
		name       string
		r          resource.Resource
		sourceType string
		json       string
		want       map[string]string
	}{
		{"run v2 member with full name", NewRunServiceIAMMemberResource(), "google_cloud_run_v2_service_iam_member",
			`{"project":"p","location":"us-east1","name":"projects/p/locations/us-east1/services/svc","role":"roles/run.invoker","member":"allUsers","condition":[],"etag":"x"}`,
			map[string]string{"service": "svc", "location": "us-east1", "project": "p", "member": "allUsers", "allow_public": "true"}},
		{"v1 function member", NewCloudFunctionsFunctionIAMMemberResource(), "google_cloudfunctions_function_iam_member",
			`{"project":"p","region":"europe-west1","cloud_function":"fn","role":"roles/cloudfunctions.invoker","member":"user:a@example.com",
"condition":[{"title":"t","description":"","expression":"true"}]}`,
			map[string]string{"function": "fn", "location": "europe-west1", "condition.title": "t", "condition.description": "<null>", "allow_public": "false"}},
		{"service account binding", NewServiceAccountIAMMembersResource(), "google_service_account_iam_binding",
			`{"service_account_id":"projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com","role":"roles/iam.serviceAccountUser","members":["user:b@example.com"],"condition":[]}`,
			map[string]string{"service_account": "projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com", "exclusive": "true", "allow_broad_principal": "false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, errs := moveState(t, tt.r, tt.sourceType, tt.json)
			if errs != nil || s == nil {
				t.Fatalf("not moved: %v", errs)
			}
			for p, want := range tt.want {
				var got string
				parts := strings.Split(p, ".")
				at := path.Root(parts[0])
				if len(parts) == 2 {
					at = at.AtName(parts[1])
				}
				switch p {
				case "allow_public", "exclusive", "allow_broad_principal":
					var b *bool
					s.GetAttribute(context.Background(), at, &b)
					got = "<null>"
					if b != nil {
						got = map[bool]string{true: "true", false: "false"}[*b]
					}
				default:
					got = stateString(t, s, at)
				}
				if got != want {
					t.Errorf("%s = %q, want %q", p, got, want)
				}
			}
		})
	}
	// A binding does not move to a single-member resource.
	if s, _ := moveState(t, NewRunServiceIAMMemberResource(), "google_cloud_run_v2_service_iam_binding",
		`{"project":"p","location":"l","name":"s","role":"r","members":["user:a@example.com"]}`); s != nil {
		t.Error("a binding moved to an _iam_member resource")
	}
}

func TestMoveState_queue(t *testing.T) {
	src := `{"name":"q","location":"us-central1","project":"p","state":"RUNNING","app_engine_routing_override":[],
"rate_limits":[{"max_dispatches_per_second":10,"max_concurrent_dispatches":0,"max_burst_size":100}],"retry_config":[],
"http_target":[{"http_method":"POST","uri_override":[{"scheme":"HTTPS","host":"example.com","port":"8443","uri_override_enforce_mode":"%s",
"path_override":[{"path":"/t"}],"query_override":[]}],"header_overrides":[{"header":[{"key":"X-A","value":"1"}]}],"oidc_token":[],"oauth_token":[]}]}`
	s, errs := moveState(t, NewCloudTasksQueueResource(), "google_cloud_tasks_queue", strings.Replace(src, "%s", "ALWAYS", 1))
	if errs != nil || s == nil {
		t.Fatalf("not moved: %v", errs)
	}
	if got := stateString(t, s, path.Root("http_target").AtName("uri")); got != "https://example.com:8443/t" {
		t.Errorf("uri = %q", got)
	}
	if got := stateString(t, s, path.Root("http_target").AtName("headers").AtMapKey("X-A")); got != "1" {
		t.Errorf("headers.X-A = %q", got)
	}
	for _, mode := range []string{"", "IF_NOT_EXISTS"} {
		_, errs := moveState(t, NewCloudTasksQueueResource(), "google_cloud_tasks_queue", strings.Replace(src, "%s", mode, 1))
		if len(errs) != 1 || !strings.Contains(errs[0], "uri_override_enforce_mode") {
			t.Errorf("mode %q: errors = %q, want one naming uri_override_enforce_mode", mode, errs)
		}
	}
}
