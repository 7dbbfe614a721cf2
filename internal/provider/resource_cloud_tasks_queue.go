package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	cloudtasks "google.golang.org/api/cloudtasks/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/durationvalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/urlvalidator"
)

var (
	_ resource.ResourceWithConfigure        = (*cloudTasksQueueResource)(nil)
	_ resource.ResourceWithImportState      = (*cloudTasksQueueResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*cloudTasksQueueResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*cloudTasksQueueResource)(nil)
	_ resource.ResourceWithConfigValidators = (*cloudTasksQueueResource)(nil)
)

// NewCloudTasksQueueResource returns the gcpinvoke_cloud_tasks_queue resource.
func NewCloudTasksQueueResource() resource.Resource { return &cloudTasksQueueResource{} }

// cloudTasksQueueResource is a Cloud Tasks queue whose queue-level HTTP
// target (URI, method, headers, token) applies to every task.
type cloudTasksQueueResource struct {
	data *providerData
}

// Google's defaults for a queue, written into the plan so that it matches
// what the API answers.
const (
	defaultQueueRate          = 500
	defaultQueueConcurrent    = 1000
	defaultQueueMaxAttempts   = 100
	defaultQueueMinBackoff    = "0.1s"
	defaultQueueMaxBackoff    = "3600s"
	defaultQueueMaxRetryDur   = "0s"
	defaultQueueMaxDoublings  = 16
	defaultQueueTimeout       = 5 * time.Minute
	queueURIOverrideEnforceAl = "ALWAYS"
)

var queueIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,100}$`)

var queueRateLimitsAttrTypes = map[string]attr.Type{
	"max_dispatches_per_second": types.Float64Type,
	"max_concurrent_dispatches": types.Int64Type,
}

var queueRetryConfigAttrTypes = map[string]attr.Type{
	"max_attempts":       types.Int64Type,
	"max_retry_duration": types.StringType,
	"min_backoff":        types.StringType,
	"max_backoff":        types.StringType,
	"max_doublings":      types.Int64Type,
}

func (r *cloudTasksQueueResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cloud_tasks_queue"
}

func (r *cloudTasksQueueResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	duration := func(desc, def string) schema.StringAttribute {
		return schema.StringAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: desc + " Defaults to `" + def + "`. Written as seconds (`\"10s\"`) or any Go duration (`\"1m\"`); an equal value in another form causes no diff.",
			Default:             stringdefault.StaticString(def),
			Validators:          []validator.String{durationvalidator.Valid()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Cloud Tasks queue. Its `http_target` applies to every task of the queue: the URI (as a queue-level " +
			"`uriOverride`, enforced ALWAYS), method, headers and the token attached. The token rules are those of `gcpinvoke_scheduler_job`: " +
			"`oidc_token.audience` defaults to the **root URL** of `uri` (what Cloud Run accepts), and OAuth tokens to non-Google hosts are refused at plan time.",
		Attributes: map[string]schema.Attribute{
			"id":       locatedIDAttribute("queues"),
			"project":  locatedProjectAttribute("queue"),
			"location": locatedLocationAttribute("queue"),
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Queue ID: letters, digits and hyphens, at most 100 characters. Changing it replaces the queue (Google keeps a deleted queue's name reserved for a while).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{stringvalidator.RegexMatches(queueIDPattern,
					"must be 1 to 100 letters ([A-Za-z]), digits or hyphens (-), e.g. \"orders\"")},
			},
			"rate_limits": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "How fast tasks are dispatched. Omitted, Google's defaults apply.",
				Default: objectdefault.StaticValue(types.ObjectValueMust(queueRateLimitsAttrTypes, map[string]attr.Value{
					"max_dispatches_per_second": types.Float64Value(defaultQueueRate),
					"max_concurrent_dispatches": types.Int64Value(defaultQueueConcurrent),
				})),
				Attributes: map[string]schema.Attribute{
					"max_dispatches_per_second": schema.Float64Attribute{
						Optional: true, Computed: true,
						MarkdownDescription: "Most tasks dispatched per second, up to 500. Defaults to `500`.",
						Default:             float64default.StaticFloat64(defaultQueueRate),
						Validators:          []validator.Float64{float64validator.Between(0.001, 500)},
					},
					"max_concurrent_dispatches": schema.Int64Attribute{
						Optional: true, Computed: true,
						MarkdownDescription: "Most tasks being dispatched at once, 1 to 5000. Defaults to `1000`.",
						Default:             int64default.StaticInt64(defaultQueueConcurrent),
						Validators:          []validator.Int64{int64validator.Between(1, 5000)},
					},
				},
			},
			"retry_config": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "How failed tasks are retried. Omitted, Google's defaults apply (100 attempts).",
				Default: objectdefault.StaticValue(types.ObjectValueMust(queueRetryConfigAttrTypes, map[string]attr.Value{
					"max_attempts":       types.Int64Value(defaultQueueMaxAttempts),
					"max_retry_duration": types.StringValue(defaultQueueMaxRetryDur),
					"min_backoff":        types.StringValue(defaultQueueMinBackoff),
					"max_backoff":        types.StringValue(defaultQueueMaxBackoff),
					"max_doublings":      types.Int64Value(defaultQueueMaxDoublings),
				})),
				Attributes: map[string]schema.Attribute{
					"max_attempts": schema.Int64Attribute{
						Optional: true, Computed: true,
						MarkdownDescription: "Attempts per task including the first; `-1` means unlimited. Defaults to `100`.",
						Default:             int64default.StaticInt64(defaultQueueMaxAttempts),
						Validators:          []validator.Int64{int64validator.AtLeast(-1), int64validator.NoneOf(0)},
					},
					"max_retry_duration": duration("Time limit for retrying a task, counted from its first attempt; `0s` means no limit.", defaultQueueMaxRetryDur),
					"min_backoff":        duration("Shortest wait before a retry.", defaultQueueMinBackoff),
					"max_backoff":        duration("Longest wait before a retry.", defaultQueueMaxBackoff),
					"max_doublings": schema.Int64Attribute{
						Optional: true, Computed: true,
						MarkdownDescription: "How many times the wait doubles before it grows linearly. Defaults to `16`.",
						Default:             int64default.StaticInt64(defaultQueueMaxDoublings),
						Validators:          []validator.Int64{int64validator.AtLeast(1)},
					},
				},
			},
			"http_target": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Queue-level HTTP target: what it sets overrides the tasks' own request.",
				Attributes: map[string]schema.Attribute{
					"uri": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Absolute `http://` or `https://` URL every task is sent to (scheme, host, port, path and query " +
							"replace the task's), e.g. the `uri` of a Cloud Run service plus a path. Omitted, each task names its URL.",
						Validators: []validator.String{urlvalidator.HTTP()},
					},
					"http_method": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "HTTP method for every task: `POST`, `GET`, `HEAD`, `PUT`, `DELETE`, `PATCH` or `OPTIONS`. Omitted, each task's method is used.",
						Validators:          []validator.String{stringvalidator.OneOf("POST", "GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS")},
					},
					"headers":     queueHTTPTarget.headersAttribute("Headers set on every task, replacing a task's header of the same name. "),
					"oidc_token":  queueHTTPTarget.oidcTokenAttribute(),
					"oauth_token": queueHTTPTarget.oauthTokenAttribute(),
				},
			},
			"state": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "State of the queue: `RUNNING`, `PAUSED` or `DISABLED`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *cloudTasksQueueResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// describeQueueError explains an API error met on the queue name.
func describeQueueError(err error, action, name string) (string, string) {
	return gcpclient.Describe(err, action, fmt.Sprintf("Cloud Tasks queue %q", name))
}

func (r *cloudTasksQueueResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan cloudTasksQueueModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultQueueTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.queueName()
	svc, err := r.data.Client.CloudTasks(ctx)
	if err != nil {
		resp.Diagnostics.AddError(describeQueueError(err, "cloudtasks.queues.create", name))
		return
	}
	q, diags := plan.toAPI(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	parent := "projects/" + plan.Project.ValueString() + "/locations/" + plan.Location.ValueString()
	got, err := svc.Projects.Locations.Queues.Create(parent, q).Context(ctx).Do()
	if err != nil {
		resp.Diagnostics.AddError(describeQueueError(err, "cloudtasks.queues.create", name))
		return
	}
	plan.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *cloudTasksQueueResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state cloudTasksQueueModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.queueName()
	svc, err := r.data.Client.CloudTasks(ctx)
	if err != nil {
		resp.Diagnostics.AddError(describeQueueError(err, "cloudtasks.queues.get", name))
		return
	}
	got, err := svc.Projects.Locations.Queues.Get(name).Context(ctx).Do()
	if gcperr.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(describeQueueError(err, "cloudtasks.queues.get", name))
		return
	}
	state.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *cloudTasksQueueResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state cloudTasksQueueModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultQueueTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.queueName()
	svc, err := r.data.Client.CloudTasks(ctx)
	if err != nil {
		resp.Diagnostics.AddError(describeQueueError(err, "cloudtasks.queues.patch", name))
		return
	}
	pq, d1 := plan.toAPI(ctx)
	sq, d2 := state.toAPI(ctx)
	resp.Diagnostics.Append(d1...)
	resp.Diagnostics.Append(d2...)
	if resp.Diagnostics.HasError() {
		return
	}
	var got *cloudtasks.Queue
	if mask := queueUpdateMask(pq, sq); len(mask) > 0 {
		pq.Name = ""
		got, err = svc.Projects.Locations.Queues.Patch(name, pq).UpdateMask(strings.Join(mask, ",")).Context(ctx).Do()
		if err != nil {
			resp.Diagnostics.AddError(describeQueueError(err, "cloudtasks.queues.patch", name))
			return
		}
	} else if got, err = svc.Projects.Locations.Queues.Get(name).Context(ctx).Do(); err != nil {
		resp.Diagnostics.AddError(describeQueueError(err, "cloudtasks.queues.get", name))
		return
	}
	plan.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *cloudTasksQueueResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state cloudTasksQueueModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultQueueTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	svc, err := r.data.Client.CloudTasks(ctx)
	if err == nil {
		_, err = svc.Projects.Locations.Queues.Delete(state.queueName()).Context(ctx).Do()
	}
	if err != nil && !gcperr.IsNotFound(err) {
		resp.Diagnostics.AddError(describeQueueError(err, "cloudtasks.queues.delete", state.queueName()))
	}
}

// ImportState accepts projects/P/locations/L/queues/N, P/L/N, L/N or N.
func (r *cloudTasksQueueResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importLocated(ctx, r.data, req, resp, "gcpinvoke_cloud_tasks_queue", gcpnames.ParseQueueID)
}

// ModifyPlan fills project and location from the provider and plans id.
func (r *cloudTasksQueueResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	values := planLocationDefaults(ctx, req, resp, r.data, "queue")
	var name types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &name)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, l := values["project"], values["location"]
	if !p.IsUnknown() && !l.IsUnknown() && !name.IsUnknown() {
		id := "projects/" + p.ValueString() + "/locations/" + l.ValueString() + "/queues/" + name.ValueString()
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), id)...)
	}
}

// ConfigValidators implements resource.ResourceWithConfigValidators.
func (r *cloudTasksQueueResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{backoffOrder{defaultMin: defaultQueueMinBackoff, defaultMax: defaultQueueMaxBackoff}}
}

// ValidateConfig implements resource.ResourceWithValidateConfig.
func (r *cloudTasksQueueResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	queueHTTPTarget.validateConfig(ctx, req, resp)
}

// ---- state mapping ----

func (m *cloudTasksQueueModel) queueName() string {
	return "projects/" + m.Project.ValueString() + "/locations/" + m.Location.ValueString() + "/queues/" + m.Name.ValueString()
}

// toAPI builds the Queue to send.
func (m *cloudTasksQueueModel) toAPI(ctx context.Context) (*cloudtasks.Queue, diag.Diagnostics) {
	var diags diag.Diagnostics
	q := &cloudtasks.Queue{Name: m.queueName()}
	if rl := m.RateLimits; rl != nil {
		q.RateLimits = &cloudtasks.RateLimits{
			MaxDispatchesPerSecond:  rl.MaxDispatchesPerSecond.ValueFloat64(),
			MaxConcurrentDispatches: rl.MaxConcurrentDispatches.ValueInt64(),
		}
	}
	if rc := m.RetryConfig; rc != nil {
		q.RetryConfig = &cloudtasks.RetryConfig{
			MaxAttempts:      rc.MaxAttempts.ValueInt64(),
			MaxRetryDuration: canonicalDuration(rc.MaxRetryDuration.ValueString()),
			MinBackoff:       canonicalDuration(rc.MinBackoff.ValueString()),
			MaxBackoff:       canonicalDuration(rc.MaxBackoff.ValueString()),
			MaxDoublings:     rc.MaxDoublings.ValueInt64(),
		}
	}
	if t := m.HTTPTarget; t != nil {
		ht := &cloudtasks.HttpTarget{HttpMethod: t.HTTPMethod.ValueString()}
		if u := t.URI.ValueString(); u != "" {
			o, err := queueURIOverride(u)
			if err != nil {
				diags.AddAttributeError(pathTargetURI, "Invalid http_target.uri", err.Error())
				return nil, diags
			}
			ht.UriOverride = o
		}
		if !t.Headers.IsNull() && !t.Headers.IsUnknown() {
			var hs map[string]string
			diags.Append(t.Headers.ElementsAs(ctx, &hs, false)...)
			keys := make([]string, 0, len(hs))
			for k := range hs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				ht.HeaderOverrides = append(ht.HeaderOverrides, &cloudtasks.HeaderOverride{Header: &cloudtasks.Header{Key: k, Value: hs[k]}})
			}
		}
		if o := t.OIDCToken; o != nil {
			ht.OidcToken = &cloudtasks.OidcToken{ServiceAccountEmail: o.ServiceAccountEmail.ValueString(), Audience: o.Audience.ValueString()}
		}
		if o := t.OAuthToken; o != nil {
			ht.OauthToken = &cloudtasks.OAuthToken{ServiceAccountEmail: o.ServiceAccountEmail.ValueString(), Scope: o.Scope.ValueString()}
		}
		q.HttpTarget = ht
	}
	return q, diags
}

// queueURIOverride splits a URL into the parts of a queue's uriOverride.
func queueURIOverride(raw string) (*cloudtasks.UriOverride, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("%q is not an absolute http:// or https:// URL", raw)
	}
	o := &cloudtasks.UriOverride{Scheme: strings.ToUpper(u.Scheme), Host: u.Hostname(), UriOverrideEnforceMode: queueURIOverrideEnforceAl}
	if p := u.Port(); p != "" {
		o.Port, _ = strconv.ParseInt(p, 10, 64)
	}
	if p := u.EscapedPath(); p != "" {
		o.PathOverride = &cloudtasks.PathOverride{Path: p}
	}
	if u.RawQuery != "" {
		o.QueryOverride = &cloudtasks.QueryOverride{QueryParams: u.RawQuery}
	}
	return o, nil
}

// queueURIFromOverride is the URL a uriOverride sends every task to, ""
// when it sets no host.
func queueURIFromOverride(o *cloudtasks.UriOverride) string {
	if o == nil || o.Host == "" {
		return ""
	}
	scheme := strings.ToLower(o.Scheme)
	if scheme == "" {
		scheme = "https"
	}
	s := scheme + "://" + o.Host
	if o.Port != 0 {
		s += ":" + strconv.FormatInt(o.Port, 10)
	}
	if o.PathOverride != nil {
		s += o.PathOverride.Path
	}
	if o.QueryOverride != nil && o.QueryOverride.QueryParams != "" {
		s += "?" + o.QueryOverride.QueryParams
	}
	return s
}

// fromAPI copies a queue as the API returned it into m; durations equal to
// the value in m keep m's form.
func (m *cloudTasksQueueModel) fromAPI(q *cloudtasks.Queue) {
	if project, location, name, err := gcpnames.ParseQueueID(q.Name, "", ""); err == nil {
		m.Project, m.Location, m.Name = types.StringValue(project), types.StringValue(location), types.StringValue(name)
	}
	m.ID = types.StringValue(q.Name)
	m.State = types.StringValue(q.State)

	rl := q.RateLimits
	if rl == nil {
		rl = &cloudtasks.RateLimits{}
	}
	m.RateLimits = &queueRateLimitsModel{
		MaxDispatchesPerSecond:  types.Float64Value(orFloat(rl.MaxDispatchesPerSecond, defaultQueueRate)),
		MaxConcurrentDispatches: types.Int64Value(orInt(rl.MaxConcurrentDispatches, defaultQueueConcurrent)),
	}
	rc := q.RetryConfig
	if rc == nil {
		rc = &cloudtasks.RetryConfig{}
	}
	prior := m.RetryConfig
	if prior == nil {
		prior = &queueRetryConfigModel{}
	}
	keep := func(p types.String, api, def string) types.String {
		return keepDuration(p, canonicalDuration(orDefault(api, def)))
	}
	m.RetryConfig = &queueRetryConfigModel{
		MaxAttempts:      types.Int64Value(orInt(rc.MaxAttempts, defaultQueueMaxAttempts)),
		MaxRetryDuration: keep(prior.MaxRetryDuration, rc.MaxRetryDuration, defaultQueueMaxRetryDur),
		MinBackoff:       keep(prior.MinBackoff, rc.MinBackoff, defaultQueueMinBackoff),
		MaxBackoff:       keep(prior.MaxBackoff, rc.MaxBackoff, defaultQueueMaxBackoff),
		MaxDoublings:     types.Int64Value(orInt(rc.MaxDoublings, defaultQueueMaxDoublings)),
	}
	m.HTTPTarget = queueHTTPTargetFromAPI(q.HttpTarget)
}

func queueHTTPTargetFromAPI(t *cloudtasks.HttpTarget) *queueHTTPTargetModel {
	if t == nil {
		return nil
	}
	out := &queueHTTPTargetModel{
		URI:        nullIfEmpty(queueURIFromOverride(t.UriOverride)),
		HTTPMethod: nullIfEmpty(strings.TrimPrefix(t.HttpMethod, "HTTP_METHOD_UNSPECIFIED")),
		Headers:    types.MapNull(types.StringType),
	}
	if len(t.HeaderOverrides) > 0 {
		hs := map[string]string{}
		for _, h := range t.HeaderOverrides {
			if h != nil && h.Header != nil {
				hs[h.Header.Key] = h.Header.Value
			}
		}
		out.Headers, _ = types.MapValueFrom(context.Background(), types.StringType, hs)
	}
	if o := t.OidcToken; o != nil {
		out.OIDCToken = oidcTokenFromAPI(o.ServiceAccountEmail, o.Audience)
	}
	if o := t.OauthToken; o != nil {
		out.OAuthToken = oauthTokenFromAPI(o.ServiceAccountEmail, o.Scope)
	}
	return out
}

// queueUpdateMask lists the top-level fields whose API form differs
// between plan and state; only those are sent.
func queueUpdateMask(plan, state *cloudtasks.Queue) []string {
	var mask []string
	same := func(a, b any) bool {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		return string(ja) == string(jb)
	}
	if !same(plan.RateLimits, state.RateLimits) {
		mask = append(mask, "rateLimits")
	}
	if !same(plan.RetryConfig, state.RetryConfig) {
		mask = append(mask, "retryConfig")
	}
	if !same(plan.HttpTarget, state.HttpTarget) {
		mask = append(mask, "httpTarget")
	}
	return mask
}

// cloudTasksQueueModel is the state of gcpinvoke_cloud_tasks_queue.
type cloudTasksQueueModel struct {
	ID          types.String           `tfsdk:"id"`
	Project     types.String           `tfsdk:"project"`
	Location    types.String           `tfsdk:"location"`
	Name        types.String           `tfsdk:"name"`
	RateLimits  *queueRateLimitsModel  `tfsdk:"rate_limits"`
	RetryConfig *queueRetryConfigModel `tfsdk:"retry_config"`
	HTTPTarget  *queueHTTPTargetModel  `tfsdk:"http_target"`
	State       types.String           `tfsdk:"state"`
	Timeouts    timeouts.Value         `tfsdk:"timeouts"`
}

type queueRateLimitsModel struct {
	MaxDispatchesPerSecond  types.Float64 `tfsdk:"max_dispatches_per_second"`
	MaxConcurrentDispatches types.Int64   `tfsdk:"max_concurrent_dispatches"`
}

type queueRetryConfigModel struct {
	MaxAttempts      types.Int64  `tfsdk:"max_attempts"`
	MaxRetryDuration types.String `tfsdk:"max_retry_duration"`
	MinBackoff       types.String `tfsdk:"min_backoff"`
	MaxBackoff       types.String `tfsdk:"max_backoff"`
	MaxDoublings     types.Int64  `tfsdk:"max_doublings"`
}

type queueHTTPTargetModel struct {
	URI        types.String     `tfsdk:"uri"`
	HTTPMethod types.String     `tfsdk:"http_method"`
	Headers    types.Map        `tfsdk:"headers"`
	OIDCToken  *oidcTokenModel  `tfsdk:"oidc_token"`
	OAuthToken *oauthTokenModel `tfsdk:"oauth_token"`
}
