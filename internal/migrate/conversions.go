package migrate

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// conversion says how one Google provider resource type becomes ours.
// Paths are dotted from the resource body: "http_target.oidc_token".
type conversion struct {
	to string
	// attrs are the attributes that convert (by path); any other is a
	// reason not to convert the resource.
	attrs map[string]bool
	// blocks are the nested blocks that become nested attributes.
	blocks map[string]bool
	// renames are attribute and block renames (by path); the top-level ones
	// also apply to references (google_x.a.region → gcpinvoke_y.a.location).
	renames map[string]string
	// refuse are attributes and blocks that cannot convert, and why.
	refuse map[string]string
	// special blocks are rewritten by a function (replacement text, or why not).
	special map[string]func(c *converter, b *hclsyntax.Block) (string, string)
	// drop are top-level attributes removed (Terraform-side settings with
	// no meaning here).
	drop []string
	// add are lines added to the body.
	add []string
	// publicGuard: ours needs allow_public = true for public members.
	publicGuard bool
	// refuseIf returns why the block cannot convert ("" if it can).
	refuseIf func(c *converter, b *hclsyntax.Block) string
}

// gen2FunctionsRole refuses a Cloud Functions role granted through the 2nd
// gen resource: on a 2nd gen function it lets no one invoke it, and ours
// grants roles/run.invoker on the function's Cloud Run service instead.
func gen2FunctionsRole(c *converter, b *hclsyntax.Block) string {
	a, ok := b.Body.Attributes["role"]
	if !ok {
		return ""
	}
	if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type().FriendlyName() == "string" && strings.HasPrefix(v.AsString(), "roles/cloudfunctions.") {
		return fmt.Sprintf("role %s on a 2nd gen function lets no one invoke it; gcpinvoke_cloudfunctions_function_iam_member grants "+
			"roles/run.invoker on the function's Cloud Run service instead: write that resource without role, and remove this one", v.AsString())
	}
	return ""
}

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

var iamAttrs = []string{"role", "condition.title", "condition.description", "condition.expression"}

func iamConversion(to string, binding bool, target []string, renames map[string]string) conversion {
	attrs := append(append([]string{}, iamAttrs...), target...)
	c := conversion{to: to, blocks: set("condition"), renames: renames}
	if binding {
		attrs = append(attrs, "members")
		// A Google binding is authoritative for its role: so is ours with exclusive.
		c.add = []string{"exclusive = true"}
	} else {
		attrs = append(attrs, "member")
	}
	c.attrs = set(attrs...)
	c.publicGuard = !strings.HasPrefix(to, "gcpinvoke_service_account")
	return c
}

func withRefuse(c conversion, f func(*converter, *hclsyntax.Block) string) conversion {
	c.refuseIf = f
	return c
}

// conversions are the supported Google provider resources by type.
var conversions = map[string]conversion{
	"google_cloud_run_v2_service_iam_member": iamConversion("gcpinvoke_run_service_iam_member", false,
		[]string{"project", "location", "name"}, map[string]string{"name": "service"}),
	"google_cloud_run_v2_service_iam_binding": iamConversion("gcpinvoke_run_service_iam_members", true,
		[]string{"project", "location", "name"}, map[string]string{"name": "service"}),
	"google_cloud_run_service_iam_member": iamConversion("gcpinvoke_run_service_iam_member", false,
		[]string{"project", "location", "service"}, nil),
	"google_cloud_run_service_iam_binding": iamConversion("gcpinvoke_run_service_iam_members", true,
		[]string{"project", "location", "service"}, nil),
	"google_cloudfunctions_function_iam_member": iamConversion("gcpinvoke_cloudfunctions_function_iam_member", false,
		[]string{"project", "region", "cloud_function"}, map[string]string{"region": "location", "cloud_function": "function"}),
	"google_cloudfunctions_function_iam_binding": iamConversion("gcpinvoke_cloudfunctions_function_iam_members", true,
		[]string{"project", "region", "cloud_function"}, map[string]string{"region": "location", "cloud_function": "function"}),
	"google_cloudfunctions2_function_iam_member": withRefuse(iamConversion("gcpinvoke_cloudfunctions_function_iam_member", false,
		[]string{"project", "location", "cloud_function"}, map[string]string{"cloud_function": "function"}), gen2FunctionsRole),
	"google_cloudfunctions2_function_iam_binding": withRefuse(iamConversion("gcpinvoke_cloudfunctions_function_iam_members", true,
		[]string{"project", "location", "cloud_function"}, map[string]string{"cloud_function": "function"}), gen2FunctionsRole),
	"google_service_account_iam_member": iamConversion("gcpinvoke_service_account_iam_member", false,
		[]string{"service_account_id"}, map[string]string{"service_account_id": "service_account"}),
	"google_service_account_iam_binding": iamConversion("gcpinvoke_service_account_iam_members", true,
		[]string{"service_account_id"}, map[string]string{"service_account_id": "service_account"}),
	"google_service_account": {
		to:     "gcpinvoke_service_account",
		attrs:  set("account_id", "display_name", "description", "project", "create_ignore_already_exists"),
		refuse: map[string]string{"disabled": "disabled: gcpinvoke_service_account manages enabled accounts only"},
		drop:   []string{"create_ignore_already_exists"},
	},
	"google_cloud_scheduler_job": {
		to: "gcpinvoke_scheduler_job",
		attrs: set("name", "project", "region", "description", "schedule", "time_zone", "paused", "attempt_deadline",
			"retry_config.retry_count", "retry_config.max_retry_duration", "retry_config.min_backoff_duration",
			"retry_config.max_backoff_duration", "retry_config.max_doublings",
			"http_target.uri", "http_target.http_method", "http_target.body", "http_target.headers",
			"http_target.oidc_token.service_account_email", "http_target.oidc_token.audience",
			"http_target.oauth_token.service_account_email", "http_target.oauth_token.scope"),
		blocks: set("retry_config", "http_target", "http_target.oidc_token", "http_target.oauth_token"),
		renames: map[string]string{"region": "location", "retry_config.min_backoff_duration": "min_backoff",
			"retry_config.max_backoff_duration": "max_backoff"},
		refuse: map[string]string{
			"pubsub_target":          "pubsub_target: gcpinvoke_scheduler_job sends HTTP requests only",
			"app_engine_http_target": "app_engine_http_target: gcpinvoke_scheduler_job sends HTTP requests to a URL only",
		},
	},
	"google_cloud_tasks_queue": {
		to: "gcpinvoke_cloud_tasks_queue",
		attrs: set("name", "project", "location",
			"rate_limits.max_dispatches_per_second", "rate_limits.max_concurrent_dispatches",
			"retry_config.max_attempts", "retry_config.max_retry_duration", "retry_config.min_backoff",
			"retry_config.max_backoff", "retry_config.max_doublings",
			"http_target.http_method",
			"http_target.oidc_token.service_account_email", "http_target.oidc_token.audience",
			"http_target.oauth_token.service_account_email", "http_target.oauth_token.scope"),
		blocks: set("rate_limits", "retry_config", "http_target", "http_target.oidc_token", "http_target.oauth_token",
			"http_target.uri_override"),
		refuse: map[string]string{
			"app_engine_routing_override":  "app_engine_routing_override: gcpinvoke_cloud_tasks_queue dispatches HTTP tasks only",
			"stackdriver_logging_config":   "stackdriver_logging_config: gcpinvoke_cloud_tasks_queue does not manage task logging",
			"http_target.header_overrides": "http_target.header_overrides: write them as http_target.headers = { ... } by hand",
		},
		special: map[string]func(*converter, *hclsyntax.Block) (string, string){"http_target.uri_override": queueURI},
	},
	"google_workflows_workflow": {
		to:      "gcpinvoke_workflow",
		attrs:   set("name", "project", "region", "description", "service_account", "source_contents", "deletion_protection"),
		renames: map[string]string{"region": "location", "source_contents": "source"},
		refuse: map[string]string{
			"crypto_key_name": "crypto_key_name: gcpinvoke_workflow does not manage encryption keys",
			"user_env_vars":   "user_env_vars: gcpinvoke_workflow does not manage environment variables",
			"labels":          "labels: gcpinvoke_workflow does not manage labels",
			"call_log_level":  "call_log_level: gcpinvoke_workflow does not manage logging levels",
			"name_prefix":     "name_prefix: gcpinvoke_workflow takes a fixed name",
		},
		drop: []string{"deletion_protection"},
	},
}

// queueURI turns a uri_override block of literals into `uri = "..."`.
func queueURI(c *converter, b *hclsyntax.Block) (string, string) {
	lit := func(body *hclsyntax.Body, name string) (string, bool) {
		a, ok := body.Attributes[name]
		if !ok {
			return "", true
		}
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() || !v.IsKnown() || v.IsNull() {
			return "", false
		}
		switch {
		case v.Type().FriendlyName() == "string":
			return v.AsString(), true
		case v.Type().FriendlyName() == "number":
			return v.AsBigFloat().Text('f', 0), true
		}
		return "", false
	}
	const why = "http_target.uri_override: only literal scheme/host/port/path with uri_override_enforce_mode = \"ALWAYS\" convert to http_target.uri"
	scheme, ok1 := lit(b.Body, "scheme")
	host, ok2 := lit(b.Body, "host")
	port, ok3 := lit(b.Body, "port")
	mode, ok4 := lit(b.Body, "uri_override_enforce_mode")
	if !ok1 || !ok2 || !ok3 || !ok4 || host == "" || mode != "ALWAYS" {
		return "", why
	}
	for n := range b.Body.Attributes {
		switch n {
		case "scheme", "host", "port", "uri_override_enforce_mode":
		default:
			return "", why
		}
	}
	uri := strings.ToLower(orDefault(scheme, "https")) + "://" + host
	if port != "" {
		uri += ":" + port
	}
	for _, nb := range b.Body.Blocks {
		switch nb.Type {
		case "path_override":
			p, ok := lit(nb.Body, "path")
			if !ok {
				return "", why
			}
			uri += p
		case "query_override":
			q, ok := lit(nb.Body, "query_params")
			if !ok {
				return "", why
			}
			uri += "?" + q
		default:
			return "", why
		}
	}
	return fmt.Sprintf("uri = %q", uri), ""
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
