package discovery

import (
	"net/url"
	"os"
	"strings"
	"testing"
)

func tinyDoc(t *testing.T) *Document {
	t.Helper()
	data, err := os.ReadFile("testdata/tiny-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMatchTinyDocument(t *testing.T) {
	reg := NewRegistry(tinyDoc(t))
	tests := []struct {
		verb, path, want string
	}{
		{"GET", "/v1/projects/p/things/t", "tiny.projects.things.get"},
		{"DELETE", "/v1/projects/p/things/t", "tiny.projects.things.delete"},
		{"GET", "/v1/projects/p/things", "tiny.projects.things.list"},
		{"POST", "/v1/projects/p/things", "tiny.projects.things.create"},
		{"GET", "/v1/projects/p/things/t:getIamPolicy", "tiny.projects.things.getIamPolicy"},
		// {+resource} has a pattern: a path outside it is no method.
		{"GET", "/v1/projects/p/others/t:getIamPolicy", ""},
		{"POST", "/v1/projects/p/things/t:getIamPolicy", ""}, // wrong verb
		{"GET", "/v1/projects/p/things/t:setIamPolicy", ""},  // unknown custom verb
		{"PATCH", "/v1/projects/p/things/t", ""},
		{"GET", "/v1/projects/p/things/t/extra", ""},
		{"GET", "/v2/projects/p/things/t", ""},
	}
	for _, tt := range tests {
		m := reg.Match(tt.verb, tt.path)
		got := ""
		if m != nil {
			got = m.ID
		}
		if got != tt.want {
			t.Errorf("Match(%s %s) = %q, want %q", tt.verb, tt.path, got, tt.want)
		}
	}
}

func TestCheckQueryTinyDocument(t *testing.T) {
	reg := NewRegistry(tinyDoc(t))
	list := reg.Method("tiny.projects.things.list")
	create := reg.Method("tiny.projects.things.create")
	tests := []struct {
		name  string
		m     *Method
		query string
		want  []string // substrings of the problems, in order; nil = none
	}{
		{"standard parameters as the Go clients send them", list, "alt=json&prettyPrint=false", nil},
		{"system parameter with $", list, "$alt=json", nil},
		{"$alt as the cloud.google.com/go REST clients send it", list, "%24alt=json%3Benum-encoding%3Dint", nil},
		{"$alt with a value outside the enum", list, "%24alt=xml", []string{"?$alt: \"xml\" is not one of the enum values"}},
		{"$.xgafv", list, "%24.xgafv=2", nil},
		{"method parameters", list, "pageSize=10&view=FULL", nil},
		{"unknown parameter", list, "pageSize=10&filter=x", []string{"?filter: unknown query parameter"}},
		{"int32 out of range", list, "pageSize=99999999999", []string{"?pageSize: \"99999999999\" is not a int32"}},
		{"enum", list, "view=ALL", []string{"?view: \"ALL\" is not one of the enum values BASIC, FULL"}},
		{"boolean", list, "prettyPrint=yes", []string{"?prettyPrint: \"yes\" is not a boolean"}},
		{"not repeated", list, "view=FULL&view=BASIC", []string{"?view: given 2 times"}},
		{"required missing", create, "alt=json", []string{"?thingId: required query parameter is missing"}},
		{"standard alt enum", list, "alt=xml", []string{"?alt: \"xml\" is not one of the enum values"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			assertProblems(t, tt.m.CheckQuery(q), tt.want)
		})
	}
}

func assertProblems(t *testing.T, got []Problem, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d problems %v, want %d %q", len(got), got, len(want), want)
	}
	for i := range want {
		if !strings.Contains(got[i].String(), want[i]) {
			t.Errorf("problem %d = %q, want it to contain %q", i, got[i].String(), want[i])
		}
	}
}

func TestValidateBodyTinyDocument(t *testing.T) {
	d := tinyDoc(t)
	thing := &Schema{Ref: "Thing"}
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"empty body is an empty message", ``, nil},
		{"every type well formed", `{"name":"projects/p/things/t","generation":"-12","count":3,"ratio":0.5,
			"enabled":true,"timeout":"3.5s","createTime":"2024-01-02T03:04:05.123Z","body":"aGVsbG8=",
			"mask":"name,labels.x","state":"PAUSED","tags":["a"],"labels":{"k":"v"},"parts":[{"size":"18446744073709551615"}]}`, nil},
		{"null is the default value", `{"name":null,"parts":null}`, nil},
		{"NaN as a number", `{"ratio":"NaN"}`, nil},
		{"URL-safe base64", `{"body":"_-8="}`, nil},
		{"datetime with offset", `{"createTime":"2024-01-02T03:04:05+02:00"}`, nil},
		{"unknown field", `{"nmae":"x"}`, []string{"nmae: unknown field (not in Thing)"}},
		{"unknown nested field", `{"parts":[{"size":"1"},{"bytes":"2"}]}`, []string{"parts[1].bytes: unknown field (not in Part)"}},
		{"int64 as a number", `{"generation":12}`, []string{"generation: is a number 12, want a int64 as a JSON string"}},
		{"int64 not decimal", `{"generation":"12x"}`, []string{"generation: \"12x\" is not an int64"}},
		{"uint64 negative", `{"parts":[{"size":"-1"}]}`, []string{"parts[0].size: \"-1\" is not a uint64"}},
		{"int32 as a string", `{"count":"3"}`, []string{"count: is a string \"3\", want a JSON number"}},
		{"int32 fraction", `{"count":1.5}`, []string{"count: 1.5 is not a int32"}},
		{"boolean as a string", `{"enabled":"true"}`, []string{"enabled: is a string \"true\", want a boolean"}},
		{"duration without unit", `{"timeout":"3.5"}`, []string{"timeout: \"3.5\" is not a google-duration"}},
		{"duration in minutes", `{"timeout":"5m"}`, []string{"timeout: \"5m\" is not a google-duration"}},
		{"datetime without zone", `{"createTime":"2024-01-02 03:04:05"}`, []string{"createTime: \"2024-01-02 03:04:05\" is not a google-datetime"}},
		{"bytes not base64", `{"body":"hello world!"}`, []string{"body: \"hello world!\" is not base64"}},
		{"fieldmask", `{"mask":"a b"}`, []string{"mask: \"a b\" is not a google-fieldmask"}},
		{"enum", `{"state":"RUNNING"}`, []string{"state: \"RUNNING\" is not one of the enum values STATE_UNSPECIFIED, ENABLED, PAUSED"}},
		{"array of wrong type", `{"tags":"a"}`, []string{"tags: is a string \"a\", want an array"}},
		{"array item type", `{"tags":["a",1]}`, []string{"tags[1]: is a number 1, want a string"}},
		{"map value type", `{"labels":{"k":1}}`, []string{"labels.k: is a number 1, want a string"}},
		{"object expected", `{"parts":[1]}`, []string{"parts[0]: is a number 1, want an object"}},
		{"two problems, sorted by field", `{"state":"X","count":"1"}`, []string{"count:", "state:"}},
		{"not JSON", `{"name":`, []string{"not JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertProblems(t, d.ValidateBody(thing, []byte(tt.body)), tt.want)
		})
	}
}

func TestValidateAnyByTypeURL(t *testing.T) {
	reg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	op := reg.Method("run.projects.locations.operations.get")
	if op == nil {
		t.Fatal("run.projects.locations.operations.get not found")
	}
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"service in the response", `{"name":"projects/p/locations/l/operations/o","done":true,
			"response":{"@type":"type.googleapis.com/google.cloud.run.v2.Service","name":"projects/p/locations/l/services/s","generation":"2"}}`, nil},
		{"unknown field of the Any's type", `{"done":true,
			"response":{"@type":"type.googleapis.com/google.cloud.run.v2.Service","uri":"https://x","colour":"red"}}`,
			[]string{"response.colour: unknown field (not in GoogleCloudRunV2Service)"}},
		{"int64 of the Any's type", `{"done":true,
			"response":{"@type":"type.googleapis.com/google.cloud.run.v2.Service","generation":2}}`,
			[]string{"response.generation: is a number 2"}},
		{"Any without @type", `{"response":{"name":"x"}}`, []string{"response.@type: a google.protobuf.Any needs an @type string"}},
		{"Empty", `{"done":true,"response":{"@type":"type.googleapis.com/google.protobuf.Empty"}}`, nil},
		{"Empty with a field", `{"done":true,"response":{"@type":"type.googleapis.com/google.protobuf.Empty","name":"x"}}`,
			[]string{"response.name: unknown field"}},
		{"a message of another API", `{"done":true,"response":{"@type":"type.googleapis.com/google.cloud.functions.v2.Function"}}`,
			[]string{"response.@type: \"type.googleapis.com/google.cloud.functions.v2.Function\" names a message this API's document does not have"}},
		{"error status", `{"done":true,"error":{"code":3,"message":"bad"}}`, nil},
		{"error code as a string", `{"done":true,"error":{"code":"3","message":"bad"}}`, []string{"error.code: is a string \"3\", want a JSON number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertProblems(t, op.Doc.ValidateBody(op.Response, []byte(tt.body)), tt.want)
		})
	}
}

func TestValidateError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   []string
	}{
		{"not found", 404, `{"error":{"code":404,"message":"x","status":"NOT_FOUND"}}`, nil},
		{"with ErrorInfo", 403, `{"error":{"code":403,"message":"x","status":"PERMISSION_DENIED","details":[
			{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"IAM_PERMISSION_DENIED","domain":"iam.googleapis.com","metadata":{"permission":"run.services.get"}}]}}`, nil},
		{"with BadRequest", 400, `{"error":{"code":400,"message":"x","status":"INVALID_ARGUMENT","details":[
			{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"job.schedule","description":"bad"}]}]}}`, nil},
		{"ALREADY_EXISTS is 409", 409, `{"error":{"code":409,"message":"x","status":"ALREADY_EXISTS"}}`, nil},
		{"FAILED_PRECONDITION is 400", 400, `{"error":{"code":400,"message":"x","status":"FAILED_PRECONDITION"}}`, nil},
		{"status of another HTTP code", 400, `{"error":{"code":400,"message":"x","status":"NOT_FOUND"}}`, []string{"error.status: NOT_FOUND maps to HTTP 404, the response is 400"}},
		{"code differs from HTTP status", 404, `{"error":{"code":400,"message":"x","status":"NOT_FOUND"}}`, []string{"error.code: is 400, want the HTTP status 404"}},
		{"legacy errors array", 404, `{"error":{"code":404,"message":"x","status":"NOT_FOUND","errors":[{"reason":"notFound"}]}}`, []string{"error.errors: unknown key"}},
		{"extra ErrorInfo key", 403, `{"error":{"code":403,"message":"x","status":"PERMISSION_DENIED","details":[
			{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R","errors":[]}]}}`, []string{"error.details[0].errors: unknown field"}},
		{"unknown detail type", 400, `{"error":{"code":400,"message":"x","status":"INVALID_ARGUMENT","details":[{"@type":"Foo"}]}}`, []string{"error.details[0].@type"}},
		{"plain text", 404, `404 page not found`, []string{"error body is not a JSON object"}},
		{"no status", 500, `{"error":{"code":500,"message":"x"}}`, []string{"error.status: <nil> is not a canonical code name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertProblems(t, ValidateError(tt.status, []byte(tt.body)), tt.want)
		})
	}
}
