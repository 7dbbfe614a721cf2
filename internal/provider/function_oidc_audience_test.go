package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// callStringFunction runs a provider function the way the framework does:
// Metadata, a validated Definition, then Run with string arguments. It
// returns the string result, or the function error.
func callStringFunction(t *testing.T, f function.Function, args ...string) (string, *function.FuncError) {
	t.Helper()
	ctx := context.Background()
	var meta function.MetadataResponse
	f.Metadata(ctx, function.MetadataRequest{}, &meta)
	var def function.DefinitionResponse
	f.Definition(ctx, function.DefinitionRequest{}, &def)
	var vr function.DefinitionValidateResponse
	def.Definition.ValidateImplementation(ctx, function.DefinitionValidateRequest{FuncName: meta.Name}, &vr)
	if def.Diagnostics.HasError() || vr.Diagnostics.HasError() {
		t.Fatalf("invalid definition of %s: %v %v", meta.Name, def.Diagnostics, vr.Diagnostics)
	}
	if len(def.Definition.Parameters) != len(args) {
		t.Fatalf("%s takes %d parameters, test passes %d", meta.Name, len(def.Definition.Parameters), len(args))
	}
	values := make([]attr.Value, len(args))
	for i, a := range args {
		values[i] = types.StringValue(a)
	}
	resp := &function.RunResponse{Result: function.NewResultData(types.StringUnknown())}
	f.Run(ctx, function.RunRequest{Arguments: function.NewArgumentsData(values)}, resp)
	if resp.Error != nil {
		return "", resp.Error
	}
	s, ok := resp.Result.Value().(types.String)
	if !ok || s.IsUnknown() || s.IsNull() {
		t.Fatalf("%s returned %v, want a known string", meta.Name, resp.Result.Value())
	}
	return s.ValueString(), nil
}

// functionCase is one row of a provider function table test.
type functionCase struct {
	args    []string
	want    string
	wantArg int64  // argument the error must name
	wantErr string // substring of the error text; empty means success
}

func runFunctionCases(t *testing.T, f function.Function, cases []functionCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, ","), func(t *testing.T) {
			got, ferr := callStringFunction(t, f, tc.args...)
			if tc.wantErr == "" {
				if ferr != nil {
					t.Fatalf("error: %s", ferr.Text)
				}
				if got != tc.want {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
				return
			}
			if ferr == nil {
				t.Fatalf("got %q, want error containing %q", got, tc.wantErr)
			}
			if !strings.Contains(ferr.Text, tc.wantErr) {
				t.Errorf("error %q, want it to contain %q", ferr.Text, tc.wantErr)
			}
			if ferr.FunctionArgument == nil || *ferr.FunctionArgument != tc.wantArg {
				t.Errorf("error names argument %v, want %d", ferr.FunctionArgument, tc.wantArg)
			}
		})
	}
}

func functionDefinition(f function.Function) (string, function.Definition) {
	var meta function.MetadataResponse
	f.Metadata(context.Background(), function.MetadataRequest{}, &meta)
	var def function.DefinitionResponse
	f.Definition(context.Background(), function.DefinitionRequest{}, &def)
	return meta.Name, def.Definition
}

func TestOIDCAudienceFunction(t *testing.T) {
	name, def := functionDefinition(NewOIDCAudienceFunction())
	if name != "oidc_audience" || def.Summary == "" || def.MarkdownDescription == "" ||
		def.Parameters[0].GetName() != "url" || def.Parameters[0].GetMarkdownDescription() == "" {
		t.Errorf("definition of %q is incomplete: %+v", name, def)
	}
	runFunctionCases(t, NewOIDCAudienceFunction(), []functionCase{
		{args: []string{"https://hello-abc-uc.a.run.app/tasks?x=1"}, want: "https://hello-abc-uc.a.run.app"},
		{args: []string{"http://svc-abc-uc.a.run.localhost:8080/run"}, want: "http://svc-abc-uc.a.run.localhost:8080"},
		{args: []string{"https://Hello.A.run.app:443/"}, want: "https://hello.a.run.app"},
		{args: []string{"hello-abc-uc.a.run.app/tasks"}, wantArg: 0,
			wantErr: `url: "hello-abc-uc.a.run.app/tasks" is not an absolute URL; write it with its scheme`},
		{args: []string{"ftp://x.example.com"}, wantArg: 0, wantErr: `has scheme "ftp"`},
		{args: []string{""}, wantArg: 0, wantErr: "url: URL is empty"},
	})
}
