package gcpnamevalidator

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/validatortest"
)

func ok(name, v string) validatortest.Case {
	return validatortest.Case{Name: name, Value: types.StringValue(v)}
}

func bad(name, v, summary, detail string) validatortest.Case {
	return validatortest.Case{Name: name, Value: types.StringValue(v), WantSummary: summary, WantDetail: detail}
}

var skipped = []validatortest.Case{
	{Name: "null is skipped", Value: types.StringNull()},
	{Name: "unknown is skipped", Value: types.StringUnknown()},
}

func TestProjectID(t *testing.T) {
	const s = "Invalid project ID"
	validatortest.Describes(t, ProjectID())
	validatortest.Run(t, ProjectID(), append([]validatortest.Case{
		ok("typical", "demo-project"),
		ok("6 characters (shortest)", "abcdef"),
		ok("30 characters (longest)", strings.Repeat("a", 29)+"1"),
		ok("digits inside", "proj-2024-x9"),
		ok("domain-scoped", "example.com:my-project"),
		bad("5 characters", "abcde", s, `project ID "abcde" has 5 characters, want 6-30`),
		bad("31 characters", strings.Repeat("a", 31), s, `has 31 characters, want 6-30`),
		bad("starts with a digit", "1project", s, `does not start with a letter`),
		bad("starts with a hyphen", "-project", s, `does not start with a letter`),
		bad("trailing hyphen", "my-project-", s, `ends with '-'`),
		bad("underscore", "my_project", s, `contains '_'`),
		bad("upper case", "My-Project", s, `must be lower-case; write "my-project"`),
		bad("project number", "123456789012", s, `"123456789012" is a project number; write the project ID`),
		bad("resource name", "projects/demo-project", s, `is a resource name; write only the ID "demo-project"`),
		bad("path traversal", "demo-project/../other", s, `contains "/"`),
		bad("space", "demo project", s, `contains white space`),
		bad("empty", "", s, `project ID is empty`),
		bad("domain-scoped with a bad domain", "example:my-project", s, `"example" before ":" is not a domain`),
	}, skipped...))
}

func TestLocation(t *testing.T) {
	const s = "Invalid location"
	validatortest.Describes(t, Location())
	validatortest.Run(t, Location(), append([]validatortest.Case{
		ok("region", "us-central1"),
		ok("region with two hyphens", "northamerica-northeast1"),
		ok("multi-region", "europe"),
		bad("zone", "us-central1-a", s, `location "us-central1-a" is a zone; use its region "us-central1"`),
		bad("upper case", "US-CENTRAL1", s, `must be lower-case; write "us-central1"`),
		bad("resource name", "projects/p/locations/us-east1", s, `is a resource name; write only the region "us-east1"`),
		bad("slash", "us-central1/x", s, `contains "/"`),
		bad("underscore", "us_central1", s, `contains '_'`),
		bad("empty", "", s, `location is empty`),
	}, skipped...))
}

func TestRunServiceName(t *testing.T) {
	const s = "Invalid Cloud Run service name"
	validatortest.Describes(t, RunServiceName())
	validatortest.Run(t, RunServiceName(), append([]validatortest.Case{
		ok("typical", "hello"),
		ok("one letter", "a"),
		ok("49 characters (longest)", strings.Repeat("a", 48)+"9"),
		ok("digits and hyphens", "api-v2-backend"),
		bad("50 characters", strings.Repeat("a", 50), s, `has 50 characters, want 1-49`),
		bad("starts with a digit", "1hello", s, `does not start with a letter`),
		bad("trailing hyphen", "hello-", s, `ends with '-'`),
		bad("underscore", "hello_world", s, `contains '_'`),
		bad("upper case", "Hello", s, `must be lower-case; write "hello"`),
		bad("path traversal", "svc1/../svc2", s, `Cloud Run service name "svc1/../svc2" contains "/": write the name alone`),
		bad("resource name without the option", "projects/demo-project/locations/us-central1/services/hello", s,
			`is a resource name; write only the name "hello" (and set project = "demo-project", location = "us-central1")`),
		bad("hashed run.app URL", "https://hello-abc123def4-uc.a.run.app", s, `is a URL; write the name "hello"`),
		bad("deterministic run.app URL", "https://my-api-123456789012.us-central1.run.app/path", s, `is a URL; write the name "my-api"`),
		bad("emulator URL", "http://hello-abc123def4-uc.a.run.localhost:8080/", s, `is a URL; write the name "hello"`),
		bad("custom domain URL", "https://api.example.com/", s, `is a URL; write the name (see`),
		bad("empty", "", s, `Cloud Run service name is empty`),
		bad("space", "hello world", s, `contains white space`),
	}, skipped...))
}

func TestRunServiceNameAllowResourceName(t *testing.T) {
	const s = "Invalid Cloud Run service name"
	v := RunServiceName(AllowResourceName())
	validatortest.Describes(t, v)
	validatortest.Run(t, v, []validatortest.Case{
		ok("name", "hello"),
		ok("resource name", "projects/demo-project/locations/us-central1/services/hello"),
		bad("resource name with a bad service", "projects/demo-project/locations/us-central1/services/hello_", s, `contains '_'`),
		bad("resource name with a bad project", "projects/p/locations/us-central1/services/hello", s, `project ID "p" has 1 characters`),
		bad("resource name of another collection", "projects/demo-project/locations/us-central1/functions/hello", s,
			`write the name alone or projects/{project}/locations/{location}/services/{name}`),
		bad("resource name with traversal", "projects/demo-project/locations/us-central1/services/a/../b", s, `contains "/"`),
		bad("short ID form", "us-central1/hello", s, `contains "/"`),
	})
}

func TestFunctionName(t *testing.T) {
	const s = "Invalid function name"
	validatortest.Describes(t, FunctionName())
	validatortest.Run(t, FunctionName(), append([]validatortest.Case{
		ok("gen2 style", "hello-fn"),
		ok("gen1 with upper case and underscore", "processOrder_v2"),
		ok("63 characters (longest)", "f"+strings.Repeat("x", 62)),
		bad("64 characters", "f"+strings.Repeat("x", 63), s, `has 64 characters, want 1-63`),
		bad("starts with a digit", "9fn", s, `does not start with a letter`),
		bad("ends with underscore", "fn_", s, `ends with '_'`),
		bad("dot", "my.fn", s, `contains '.'`),
		bad("path traversal", "fn/../other", s, `contains "/"`),
		bad("gen1 URL", "https://us-central1-my-project.cloudfunctions.net/legacy-fn", s, `is a URL; write the name "legacy-fn"`),
		bad("gen2 run.app URL", "https://hello-fn-abc123def4-uc.a.run.app", s, `is a URL; write the name "hello-fn"`),
		bad("resource name without the option", "projects/my-project/locations/us-central1/functions/legacy-fn", s,
			`write only the name "legacy-fn"`),
	}, skipped...))
	validatortest.Run(t, FunctionName(AllowResourceName()), []validatortest.Case{
		ok("resource name", "projects/my-project/locations/us-central1/functions/legacy-fn"),
		bad("resource name of a service", "projects/my-project/locations/us-central1/services/legacy-fn", s, `contains "/"`),
	})
}

func TestAllowShortIDs(t *testing.T) {
	const s = "Invalid Cloud Run service name"
	v := RunServiceName(AllowShortIDs())
	validatortest.Describes(t, v)
	validatortest.Run(t, v, []validatortest.Case{
		ok("name", "hello"),
		ok("location/name", "us-central1/hello"),
		ok("project/location/name", "demo-project/us-central1/hello"),
		ok("resource name", "projects/demo-project/locations/us-central1/services/hello"),
		bad("bad project in the short form", "Demo/us-central1/hello", s, `project ID "Demo"`),
		bad("zone in the short form", "us-central1-a/hello", s, `is a zone; use its region "us-central1"`),
		bad("four parts", "a/b/c/d", s, `contains "/"`),
		bad("traversal", "svc1/../svc2", s, `project ID "svc1"`),
		bad("traversal in a long project", "demo-project/../svc2", s, `location ".." does not start with a letter`),
		bad("URL", "https://hello-abc123def4-uc.a.run.app", s, `is a URL; write the name "hello"`),
	})
	validatortest.Run(t, FunctionName(AllowShortIDs()), []validatortest.Case{
		ok("location/name", "us-central1/legacy-fn"),
		bad("bad name", "us-central1/9fn", "Invalid function name", `does not start with a letter`),
	})
}
