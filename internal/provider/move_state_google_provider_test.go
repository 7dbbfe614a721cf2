package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"google.golang.org/api/cloudscheduler/v1"
	"google.golang.org/api/cloudtasks/v2"
	"google.golang.org/api/iam/v1"
	"google.golang.org/api/option"
	"google.golang.org/api/workflows/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// A small stand-in for the Google provider (hashicorp/google), registered
// under the `google` type names so `moved` blocks can move its resources to
// ours. Its schemas follow the Google provider's documented attribute names
// and shapes (nested blocks are lists, unset strings are ""); Create makes
// the object or grant for real in the emulator through the Google API, so
// that our Read after the move finds it. Read keeps the state (the Google
// provider would read back the same values); Delete does nothing.

// testAccGoogleProviders serves both providers: ours and the stand-in.
func testAccGoogleProviders(f *gcpinvoketesting.Fixture) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"gcpinvoke": testAccProviders["gcpinvoke"],
		"google":    providerserver.NewProtocol6WithError(&fakeGoogleProvider{f: f}),
	}
}

type fakeGoogleProvider struct{ f *gcpinvoketesting.Fixture }

func (p *fakeGoogleProvider) Metadata(_ context.Context, _ fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	resp.TypeName = "google"
}

func (p *fakeGoogleProvider) Schema(context.Context, fwprovider.SchemaRequest, *fwprovider.SchemaResponse) {
}

func (p *fakeGoogleProvider) Configure(context.Context, fwprovider.ConfigureRequest, *fwprovider.ConfigureResponse) {
}

func (p *fakeGoogleProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

func (p *fakeGoogleProvider) Resources(context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, r := range fakeGoogleResources {
		out = append(out, func() resource.Resource { return &fakeGoogleResource{def: r, f: p.f} })
	}
	return out
}

// fakeGoogleDef is one stand-in resource: its attributes and blocks, and
// what Create does in the emulator (returning the computed values).
type fakeGoogleDef struct {
	typeName string
	attrs    map[string]schema.Attribute
	blocks   map[string]schema.Block
	create   func(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error)
}

type fakeGoogleResource struct {
	def fakeGoogleDef
	f   *gcpinvoketesting.Fixture
}

func (r *fakeGoogleResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.def.typeName
}

func (r *fakeGoogleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: r.def.attrs, Blocks: r.def.blocks}
}

func (r *fakeGoogleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	s, _ := tfToAny(req.Plan.Raw).(map[string]any)
	computed, err := r.def.create(ctx, r.f, s)
	if err != nil {
		resp.Diagnostics.AddError("stand-in "+r.def.typeName, err.Error())
		return
	}
	resp.State.Raw = req.Plan.Raw
	for name, a := range r.def.attrs {
		if v, ok := computed[name]; ok {
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
			continue
		}
		var cur types.String
		if _, isStr := a.(schema.StringAttribute); isStr && a.IsComputed() {
			resp.Diagnostics.Append(resp.State.GetAttribute(ctx, path.Root(name), &cur)...)
			if cur.IsUnknown() {
				resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), "")...)
			}
		}
	}
}

func (r *fakeGoogleResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r *fakeGoogleResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(diag.NewErrorDiagnostic("stand-in", "update is not supported"))
}

func (r *fakeGoogleResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// tfToAny turns a Terraform value into the JSON-like form state has.
func tfToAny(v tftypes.Value) any {
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	switch t := v.Type(); {
	case t.Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case t.Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case t.Is(tftypes.Number):
		var n big.Float
		_ = v.As(&n)
		f, _ := n.Float64()
		return f
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}), t.Is(tftypes.Tuple{}):
		var l []tftypes.Value
		_ = v.As(&l)
		out := make([]any, 0, len(l))
		for _, e := range l {
			out = append(out, tfToAny(e))
		}
		return out
	default:
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := map[string]any{}
		for k, e := range m {
			out[k] = tfToAny(e)
		}
		return out
	}
}

// Schema shorthands.
var (
	gReq  = schema.StringAttribute{Required: true}
	gOpt  = schema.StringAttribute{Optional: true}
	gOC   = schema.StringAttribute{Optional: true, Computed: true}
	gComp = schema.StringAttribute{Computed: true}
)

func gBlock(attrs map[string]schema.Attribute, blocks map[string]schema.Block) schema.Block {
	return schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{Attributes: attrs, Blocks: blocks}}
}

var gConditionBlock = gBlock(map[string]schema.Attribute{"title": gReq, "description": gOpt, "expression": gReq}, nil)

// gIAM are the attributes of a Google IAM member/binding resource plus the
// ones naming its target.
func gIAM(binding bool, target map[string]schema.Attribute) map[string]schema.Attribute {
	out := map[string]schema.Attribute{"id": gComp, "etag": gComp, "role": gReq}
	if binding {
		out["members"] = schema.SetAttribute{Required: true, ElementType: types.StringType}
	} else {
		out["member"] = gReq
	}
	for k, v := range target {
		out[k] = v
	}
	return out
}

// fakeIAMGrant adds the member(s) of s to the policy at resource (URL path
// under the emulator), as the Google provider's IAM resources do (a
// _binding replaces the role's members).
func fakeIAMGrant(ctx context.Context, f *gcpinvoketesting.Fixture, getMethod, resourcePath string, s googleState, binding bool) (map[string]any, error) {
	// One read-modify-write at a time, as the Google provider serializes
	// writes to a policy with a lock.
	fakeIAMMu.Lock()
	defer fakeIAMMu.Unlock()
	c := fakeHTTP{f: f}
	var pol struct {
		Version  int              `json:"version,omitempty"`
		Etag     string           `json:"etag,omitempty"`
		Bindings []map[string]any `json:"bindings,omitempty"`
	}
	// Version 3, as the Google provider asks, so conditional bindings come back whole.
	// The version is a query parameter for every API, also where the method is
	// POST (iam v1 serviceAccounts.getIamPolicy takes no request body).
	get := resourcePath + ":getIamPolicy?options.requestedPolicyVersion=3"
	if err := c.do(ctx, getMethod, get, nil, &pol); err != nil {
		return nil, err
	}
	b := map[string]any{"role": s.str("role")}
	if cond := s.block("condition"); cond != nil {
		b["condition"] = map[string]any{"title": cond.str("title"), "description": cond.str("description"), "expression": cond.str("expression")}
	}
	pol.Version = 3
	if binding {
		b["members"] = s.strings("members")
	} else {
		b["members"] = []string{s.str("member")}
	}
	pol.Bindings = append(pol.Bindings, b)
	var out struct {
		Etag string `json:"etag"`
	}
	if err := c.do(ctx, "POST", resourcePath+":setIamPolicy", map[string]any{"policy": pol}, &out); err != nil {
		return nil, err
	}
	id := resourcePath[strings.Index(resourcePath, "projects/"):] + "/" + s.str("role")
	if !binding {
		id += "/" + s.str("member")
	}
	return map[string]any{"etag": out.Etag, "id": id}, nil
}

var fakeIAMMu sync.Mutex

type fakeHTTP struct{ f *gcpinvoketesting.Fixture }

func (c fakeHTTP) do(ctx context.Context, method, p string, body, out any) error {
	var rd *strings.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = strings.NewReader(string(j))
	} else {
		rd = strings.NewReader("")
	}
	req, err := http.NewRequestWithContext(ctx, method, c.f.URL+p, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer test")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		var e map[string]any
		_ = json.NewDecoder(res.Body).Decode(&e)
		return fmt.Errorf("%s %s: HTTP %d %v", method, p, res.StatusCode, e)
	}
	return json.NewDecoder(res.Body).Decode(out)
}

func fakeOpts(f *gcpinvoketesting.Fixture) []option.ClientOption { return testAccClientOptions(f) }

// fakeGoogleResources are the stand-ins, with the Google provider's names.
var fakeGoogleResources = []fakeGoogleDef{
	{
		typeName: "google_cloud_run_v2_service_iam_member",
		attrs:    gIAM(false, map[string]schema.Attribute{"project": gOC, "location": gOC, "name": gReq}),
		blocks:   map[string]schema.Block{"condition": gConditionBlock},
		create: func(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error) {
			return fakeIAMGrant(ctx, f, "GET", "/v2/projects/"+s.str("project")+"/locations/"+s.str("location")+"/services/"+s.str("name"), s, false)
		},
	},
	{
		typeName: "google_cloud_run_v2_service_iam_binding",
		attrs:    gIAM(true, map[string]schema.Attribute{"project": gOC, "location": gOC, "name": gReq}),
		blocks:   map[string]schema.Block{"condition": gConditionBlock},
		create: func(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error) {
			return fakeIAMGrant(ctx, f, "GET", "/v2/projects/"+s.str("project")+"/locations/"+s.str("location")+"/services/"+s.str("name"), s, true)
		},
	},
	{
		typeName: "google_cloud_run_service_iam_member",
		attrs:    gIAM(false, map[string]schema.Attribute{"project": gOC, "location": gOC, "service": gReq}),
		blocks:   map[string]schema.Block{"condition": gConditionBlock},
		create: func(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error) {
			// The v1 (Knative) API's policy of a service is the v2 one.
			return fakeIAMGrant(ctx, f, "GET", "/v2/projects/"+s.str("project")+"/locations/"+s.str("location")+"/services/"+s.str("service"), s, false)
		},
	},
	{
		typeName: "google_cloudfunctions_function_iam_member",
		attrs:    gIAM(false, map[string]schema.Attribute{"project": gOC, "region": gOC, "cloud_function": gReq}),
		blocks:   map[string]schema.Block{"condition": gConditionBlock},
		create: func(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error) {
			return fakeIAMGrant(ctx, f, "GET", "/v1/projects/"+s.str("project")+"/locations/"+s.str("region")+"/functions/"+s.str("cloud_function"), s, false)
		},
	},
	{
		typeName: "google_cloudfunctions2_function_iam_member",
		attrs:    gIAM(false, map[string]schema.Attribute{"project": gOC, "location": gOC, "cloud_function": gReq}),
		blocks:   map[string]schema.Block{"condition": gConditionBlock},
		create: func(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error) {
			return fakeIAMGrant(ctx, f, "GET", "/v2/projects/"+s.str("project")+"/locations/"+s.str("location")+"/functions/"+s.str("cloud_function"), s, false)
		},
	},
	{
		typeName: "google_service_account_iam_member",
		attrs:    gIAM(false, map[string]schema.Attribute{"service_account_id": gReq}),
		blocks:   map[string]schema.Block{"condition": gConditionBlock},
		create: func(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error) {
			return fakeIAMGrant(ctx, f, "POST", "/v1/"+s.str("service_account_id"), s, false)
		},
	},
	{
		typeName: "google_service_account_iam_binding",
		attrs:    gIAM(true, map[string]schema.Attribute{"service_account_id": gReq}),
		blocks:   map[string]schema.Block{"condition": gConditionBlock},
		create: func(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error) {
			return fakeIAMGrant(ctx, f, "POST", "/v1/"+s.str("service_account_id"), s, true)
		},
	},
	{
		typeName: "google_service_account",
		attrs: map[string]schema.Attribute{
			"id": gComp, "account_id": gReq, "display_name": gOpt, "description": gOpt, "project": gOC,
			"disabled": schema.BoolAttribute{Optional: true},
			"email":    gComp, "name": gComp, "unique_id": gComp, "member": gComp,
		},
		create: func(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error) {
			svc, err := iam.NewService(ctx, fakeOpts(f)...)
			if err != nil {
				return nil, err
			}
			sa, err := svc.Projects.ServiceAccounts.Create("projects/"+s.str("project"), &iam.CreateServiceAccountRequest{
				AccountId: s.str("account_id"), ServiceAccount: &iam.ServiceAccount{DisplayName: s.str("display_name"), Description: s.str("description")},
			}).Context(ctx).Do()
			if err != nil {
				return nil, err
			}
			return map[string]any{"id": sa.Name, "email": sa.Email, "name": sa.Name, "unique_id": sa.UniqueId, "member": "serviceAccount:" + sa.Email}, nil
		},
	},
	{
		typeName: "google_cloud_scheduler_job",
		attrs: map[string]schema.Attribute{
			"id": gComp, "name": gReq, "project": gOC, "region": gOC, "description": gOpt, "schedule": gOpt,
			"time_zone": gOpt, "attempt_deadline": gOC, "state": gComp, "paused": schema.BoolAttribute{Optional: true, Computed: true},
		},
		blocks: map[string]schema.Block{
			"retry_config": gBlock(map[string]schema.Attribute{
				"retry_count": schema.Int64Attribute{Optional: true}, "max_retry_duration": gOpt,
				"min_backoff_duration": gOpt, "max_backoff_duration": gOpt, "max_doublings": schema.Int64Attribute{Optional: true},
			}, nil),
			"pubsub_target": gBlock(map[string]schema.Attribute{"topic_name": gReq, "data": gOpt,
				"attributes": schema.MapAttribute{Optional: true, ElementType: types.StringType}}, nil),
			"app_engine_http_target": gBlock(map[string]schema.Attribute{"relative_uri": gReq, "http_method": gOpt, "body": gOpt}, nil),
			"http_target": gBlock(map[string]schema.Attribute{
				"uri": gReq, "http_method": gOpt, "body": gOpt,
				"headers": schema.MapAttribute{Optional: true, ElementType: types.StringType},
			}, map[string]schema.Block{
				"oidc_token":  gBlock(map[string]schema.Attribute{"service_account_email": gReq, "audience": gOpt}, nil),
				"oauth_token": gBlock(map[string]schema.Attribute{"service_account_email": gReq, "scope": gOpt}, nil),
			}),
		},
		create: fakeCreateJob,
	},
	{
		typeName: "google_cloud_tasks_queue",
		attrs:    map[string]schema.Attribute{"id": gComp, "name": gReq, "location": gReq, "project": gOC, "state": gComp},
		blocks: map[string]schema.Block{
			"rate_limits": gBlock(map[string]schema.Attribute{
				"max_dispatches_per_second": schema.Float64Attribute{Optional: true},
				"max_concurrent_dispatches": schema.Int64Attribute{Optional: true},
			}, nil),
			"retry_config": gBlock(map[string]schema.Attribute{
				"max_attempts": schema.Int64Attribute{Optional: true}, "max_retry_duration": gOpt,
				"min_backoff": gOpt, "max_backoff": gOpt, "max_doublings": schema.Int64Attribute{Optional: true},
			}, nil),
			"http_target": gBlock(map[string]schema.Attribute{"http_method": gOpt}, map[string]schema.Block{
				"uri_override": gBlock(map[string]schema.Attribute{"scheme": gOpt, "host": gOpt, "port": gOpt, "uri_override_enforce_mode": gOpt},
					map[string]schema.Block{
						"path_override":  gBlock(map[string]schema.Attribute{"path": gOpt}, nil),
						"query_override": gBlock(map[string]schema.Attribute{"query_params": gOpt}, nil),
					}),
				"header_overrides": gBlock(nil, map[string]schema.Block{
					"header": gBlock(map[string]schema.Attribute{"key": gReq, "value": gReq}, nil),
				}),
				"oidc_token":  gBlock(map[string]schema.Attribute{"service_account_email": gReq, "audience": gOpt}, nil),
				"oauth_token": gBlock(map[string]schema.Attribute{"service_account_email": gReq, "scope": gOpt}, nil),
			}),
		},
		create: fakeCreateQueue,
	},
	{
		typeName: "google_workflows_workflow",
		attrs: map[string]schema.Attribute{
			"id": gComp, "name": gReq, "region": gOC, "project": gOC, "description": gOpt, "service_account": gOC,
			"source_contents": gOpt, "revision_id": gComp, "crypto_key_name": gOpt, "call_log_level": gOpt,
		},
		create: func(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error) {
			svc, err := workflows.NewService(ctx, fakeOpts(f)...)
			if err != nil {
				return nil, err
			}
			parent := "projects/" + s.str("project") + "/locations/" + s.str("region")
			if _, err := svc.Projects.Locations.Workflows.Create(parent, &workflows.Workflow{
				Description: s.str("description"), ServiceAccount: s.str("service_account"), SourceContents: s.str("source_contents"),
			}).WorkflowId(s.str("name")).Context(ctx).Do(); err != nil {
				return nil, err
			}
			wf, err := svc.Projects.Locations.Workflows.Get(parent + "/workflows/" + s.str("name")).Context(ctx).Do()
			if err != nil {
				return nil, err
			}
			return map[string]any{"id": wf.Name, "revision_id": wf.RevisionId, "service_account": wf.ServiceAccount}, nil
		},
	},
}

func fakeCreateJob(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error) {
	svc, err := cloudscheduler.NewService(ctx, fakeOpts(f)...)
	if err != nil {
		return nil, err
	}
	parent := "projects/" + s.str("project") + "/locations/" + s.str("region")
	job := &cloudscheduler.Job{Name: parent + "/jobs/" + s.str("name"), Description: s.str("description"), Schedule: s.str("schedule"),
		TimeZone: s.str("time_zone"), AttemptDeadline: s.str("attempt_deadline")}
	if rc := s.block("retry_config"); rc != nil {
		job.RetryConfig = &cloudscheduler.RetryConfig{RetryCount: int64(rc.num("retry_count")), MaxRetryDuration: rc.str("max_retry_duration"),
			MinBackoffDuration: rc.str("min_backoff_duration"), MaxBackoffDuration: rc.str("max_backoff_duration"), MaxDoublings: int64(rc.num("max_doublings"))}
	}
	if t := s.block("http_target"); t != nil {
		// The Google provider sends body as written: base64 (its docs ask for base64encode()).
		job.HttpTarget = &cloudscheduler.HttpTarget{Uri: t.str("uri"), HttpMethod: t.str("http_method"), Body: t.str("body"), Headers: t.stringMap("headers")}
		if o := t.block("oidc_token"); o != nil {
			job.HttpTarget.OidcToken = &cloudscheduler.OidcToken{ServiceAccountEmail: o.str("service_account_email"), Audience: o.str("audience")}
		}
		if o := t.block("oauth_token"); o != nil {
			job.HttpTarget.OauthToken = &cloudscheduler.OAuthToken{ServiceAccountEmail: o.str("service_account_email"), Scope: o.str("scope")}
		}
	}
	if t := s.block("pubsub_target"); t != nil {
		job.PubsubTarget = &cloudscheduler.PubsubTarget{TopicName: t.str("topic_name"), Data: base64.StdEncoding.EncodeToString([]byte(t.str("data")))}
	}
	got, err := svc.Projects.Locations.Jobs.Create(parent, job).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	out := map[string]any{"id": got.Name, "state": got.State, "attempt_deadline": got.AttemptDeadline, "paused": got.State == "PAUSED"}
	return out, nil
}

func fakeCreateQueue(ctx context.Context, f *gcpinvoketesting.Fixture, s googleState) (map[string]any, error) {
	svc, err := cloudtasks.NewService(ctx, fakeOpts(f)...)
	if err != nil {
		return nil, err
	}
	parent := "projects/" + s.str("project") + "/locations/" + s.str("location")
	q := &cloudtasks.Queue{Name: parent + "/queues/" + s.str("name")}
	if rl := s.block("rate_limits"); rl != nil {
		q.RateLimits = &cloudtasks.RateLimits{MaxDispatchesPerSecond: rl.num("max_dispatches_per_second"), MaxConcurrentDispatches: int64(rl.num("max_concurrent_dispatches"))}
	}
	if rc := s.block("retry_config"); rc != nil {
		q.RetryConfig = &cloudtasks.RetryConfig{MaxAttempts: int64(rc.num("max_attempts")), MaxRetryDuration: rc.str("max_retry_duration"),
			MinBackoff: rc.str("min_backoff"), MaxBackoff: rc.str("max_backoff"), MaxDoublings: int64(rc.num("max_doublings"))}
	}
	if t := s.block("http_target"); t != nil {
		ht := &cloudtasks.HttpTarget{HttpMethod: t.str("http_method")}
		if o := t.block("uri_override"); o != nil {
			ht.UriOverride = &cloudtasks.UriOverride{Scheme: o.str("scheme"), Host: o.str("host"), UriOverrideEnforceMode: o.str("uri_override_enforce_mode")}
			if p := o.block("path_override"); p != nil {
				ht.UriOverride.PathOverride = &cloudtasks.PathOverride{Path: p.str("path")}
			}
		}
		if o := t.block("oidc_token"); o != nil {
			ht.OidcToken = &cloudtasks.OidcToken{ServiceAccountEmail: o.str("service_account_email"), Audience: o.str("audience")}
		}
		q.HttpTarget = ht
	}
	got, err := svc.Projects.Locations.Queues.Create(parent, q).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	return map[string]any{"id": got.Name, "state": got.State}, nil
}
