package provider

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	scheduler "google.golang.org/api/cloudscheduler/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/cronvalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/durationvalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/timezonevalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/urlvalidator"
)

var (
	_ resource.ResourceWithConfigure        = (*schedulerJobResource)(nil)
	_ resource.ResourceWithImportState      = (*schedulerJobResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*schedulerJobResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*schedulerJobResource)(nil)
	_ resource.ResourceWithConfigValidators = (*schedulerJobResource)(nil)
)

// NewSchedulerJobResource returns the gcpinvoke_scheduler_job resource.
func NewSchedulerJobResource() resource.Resource { return &schedulerJobResource{} }

// schedulerJobResource is a Cloud Scheduler job with an HTTP target.
type schedulerJobResource struct {
	data *providerData
}

// Google's defaults for a job, written into the plan so that it matches what
// the API answers.
const (
	defaultJobTimeZone        = "Etc/UTC"
	defaultJobHTTPMethod      = "POST"
	defaultJobAttemptDeadline = "180s"
	defaultJobMinBackoff      = "5s"
	defaultJobMaxBackoff      = "3600s"
	defaultJobMaxRetryDur     = "0s"
	defaultJobMaxDoublings    = 5
	defaultJobTimeout         = 5 * time.Minute
)

var jobIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,500}$`)

func (r *schedulerJobResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_scheduler_job"
}

// jobRetryConfigAttrTypes is the object type of retry_config.
var jobRetryConfigAttrTypes = map[string]attr.Type{
	"retry_count":        types.Int64Type,
	"max_retry_duration": types.StringType,
	"min_backoff":        types.StringType,
	"max_backoff":        types.StringType,
	"max_doublings":      types.Int64Type,
}

func (r *schedulerJobResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	duration := func(desc, def string, vs ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: desc + " Defaults to `" + def + "`. Written as seconds (`\"180s\"`) or any Go duration (`\"3m\"`); an equal value in another form causes no diff.",
			Default:             stringdefault.StaticString(def),
			Validators:          vs,
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Cloud Scheduler job that calls an HTTP target on a unix-cron schedule, optionally with an OIDC token " +
			"(Cloud Run, Cloud Functions, your own endpoint) or an OAuth access token (Google APIs on `*.googleapis.com` only).\n\n" +
			"Unlike `google_cloud_scheduler_job`, `oidc_token.audience` defaults to the target's **root URL** (what Cloud Run accepts), " +
			"OAuth tokens to non-Google hosts are refused at plan time, updates send only the changed fields, and `paused` costs an API " +
			"call only when it changes.",
		Attributes: map[string]schema.Attribute{
			"id":       locatedIDAttribute("jobs"),
			"project":  locatedProjectAttribute("job"),
			"location": locatedLocationAttribute("job"),
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Job ID: letters, digits, hyphens and underscores, at most 500 characters. Changing it replaces the job.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{stringvalidator.RegexMatches(jobIDPattern,
					"must be 1 to 500 letters ([A-Za-z]), digits, hyphens (-) or underscores (_), e.g. \"nightly-report\"")},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Description of the job, at most 500 characters.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 500)},
			},
			"schedule": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "When the job runs, in unix-cron format (`minute hour day-of-month month day-of-week`), e.g. `0 9 * * MON-FRI`.",
				Validators:          []validator.String{cronvalidator.Valid()},
			},
			"time_zone": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "IANA time zone the schedule is read in, e.g. `Europe/Berlin`. Defaults to `Etc/UTC`.",
				Default:             stringdefault.StaticString(defaultJobTimeZone),
				Validators:          []validator.String{timezonevalidator.Valid()},
			},
			"paused": schema.BoolAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Whether the job is paused (it keeps its configuration but does not run on schedule). Defaults to `false`. " +
					"The job is paused or resumed only when this value changes.",
				Default: booldefault.StaticBool(false),
			},
			"attempt_deadline": duration("How long one attempt may take before it is cancelled and counted as failed (`DEADLINE_EXCEEDED`), from 15s to 30m.",
				defaultJobAttemptDeadline, durationvalidator.Between(15*time.Second, 30*time.Minute)),
			"retry_config": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "How failed attempts are retried. Omitted, Google's defaults apply (no retries).",
				Default: objectdefault.StaticValue(types.ObjectValueMust(jobRetryConfigAttrTypes, map[string]attr.Value{
					"retry_count":        types.Int64Value(0),
					"max_retry_duration": types.StringValue(defaultJobMaxRetryDur),
					"min_backoff":        types.StringValue(defaultJobMinBackoff),
					"max_backoff":        types.StringValue(defaultJobMaxBackoff),
					"max_doublings":      types.Int64Value(defaultJobMaxDoublings),
				})),
				Attributes: map[string]schema.Attribute{
					"retry_count": schema.Int64Attribute{
						Optional: true, Computed: true,
						MarkdownDescription: "How many times a failed attempt is retried (0 to 5). Defaults to `0`; with `0` retries continue until `max_retry_duration`, if set.",
						Default:             int64default.StaticInt64(0),
						Validators:          []validator.Int64{int64validator.Between(0, 5)},
					},
					"max_retry_duration": duration("Time limit for retrying a failed execution, counted from its first attempt; `0s` means no limit.",
						defaultJobMaxRetryDur, durationvalidator.Valid()),
					"min_backoff": duration("Shortest wait before a retry.", defaultJobMinBackoff, durationvalidator.Valid()),
					"max_backoff": duration("Longest wait before a retry.", defaultJobMaxBackoff, durationvalidator.Valid()),
					"max_doublings": schema.Int64Attribute{
						Optional: true, Computed: true,
						MarkdownDescription: "How many times the wait doubles before it grows linearly. Defaults to `5`. " +
							"Google reads `0` as unset, so the smallest value is `1`.",
						Default:    int64default.StaticInt64(defaultJobMaxDoublings),
						Validators: []validator.Int64{int64validator.AtLeast(1)},
					},
				},
			},
			"http_target": schema.SingleNestedAttribute{
				Required:            true,
				MarkdownDescription: "The HTTP request the job sends.",
				Attributes: map[string]schema.Attribute{
					"uri": schema.StringAttribute{
						Required:            true,
						MarkdownDescription: "Absolute `http://` or `https://` URL to call, e.g. the `uri` of a Cloud Run service plus a path.",
						Validators:          []validator.String{urlvalidator.HTTP()},
					},
					"http_method": schema.StringAttribute{
						Optional: true, Computed: true,
						MarkdownDescription: "HTTP method: `POST` (default), `GET`, `HEAD`, `PUT`, `DELETE`, `PATCH` or `OPTIONS`.",
						Default:             stringdefault.StaticString(defaultJobHTTPMethod),
						Validators:          []validator.String{stringvalidator.OneOf("POST", "GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS")},
					},
					"headers": jobHTTPTarget.headersAttribute("Extra request headers. "),
					"body": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Request body as plain text (base64-encoded on the wire by the provider). Only with `POST`, `PUT` or `PATCH`. `Content-Type` defaults to `application/octet-stream`; set it in `headers`.",
						Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"oidc_token":  jobHTTPTarget.oidcTokenAttribute(),
					"oauth_token": jobHTTPTarget.oauthTokenAttribute(),
				},
			},
			"state": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "State of the job: `ENABLED`, `PAUSED`, `DISABLED` or `UPDATE_FAILED`.",
			},
			"last_attempt_time": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the job last ran (RFC 3339), empty if it never ran. Changes when the job runs; never causes a diff.",
			},
			"last_attempt_status": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Outcome of the last attempt: `OK`, or the error code and message (e.g. `UNAUTHENTICATED: the target answered HTTP 401 …`); " +
					"empty if the job never ran.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *schedulerJobResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// service returns the Scheduler API service.
func (r *schedulerJobResource) service(ctx context.Context) (*scheduler.Service, error) {
	return r.data.Client.Scheduler(ctx)
}

// describeJobError explains an API error met on the job name.
func describeJobError(err error, action, name string) (string, string) {
	return gcpclient.Describe(err, action, fmt.Sprintf("Cloud Scheduler job %q", name))
}

func (r *schedulerJobResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan schedulerJobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultJobTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	svc, err := r.service(ctx)
	if err != nil {
		resp.Diagnostics.AddError(describeJobError(err, "cloudscheduler.jobs.create", plan.jobName()))
		return
	}
	job, diags := plan.toAPI(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	parent := "projects/" + plan.Project.ValueString() + "/locations/" + plan.Location.ValueString()
	got, err := svc.Projects.Locations.Jobs.Create(parent, job).Context(ctx).Do()
	if err != nil {
		resp.Diagnostics.AddError(describeJobError(err, "cloudscheduler.jobs.create", plan.jobName()))
		return
	}
	if plan.Paused.ValueBool() {
		paused, err := svc.Projects.Locations.Jobs.Pause(got.Name, &scheduler.PauseJobRequest{}).Context(ctx).Do()
		if err != nil {
			// The job exists: keep it in state (not paused) so that the
			// next apply pauses it.
			resp.Diagnostics.AddError(describeJobError(err, "cloudscheduler.jobs.pause", plan.jobName()))
		} else {
			got = paused
		}
	}
	plan.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *schedulerJobResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state schedulerJobModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	svc, err := r.service(ctx)
	if err != nil {
		resp.Diagnostics.AddError(describeJobError(err, "cloudscheduler.jobs.get", state.jobName()))
		return
	}
	got, err := svc.Projects.Locations.Jobs.Get(state.jobName()).Context(ctx).Do()
	if gcperr.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(describeJobError(err, "cloudscheduler.jobs.get", state.jobName()))
		return
	}
	state.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *schedulerJobResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state schedulerJobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultJobTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	svc, err := r.service(ctx)
	if err != nil {
		resp.Diagnostics.AddError(describeJobError(err, "cloudscheduler.jobs.patch", plan.jobName()))
		return
	}
	name := plan.jobName()
	var got *scheduler.Job
	if mask := jobUpdateMask(&plan, &state); len(mask) > 0 {
		job, diags := plan.toAPI(ctx)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		job.Name = ""
		if got, err = svc.Projects.Locations.Jobs.Patch(name, job).UpdateMask(jobJoinMask(mask)).Context(ctx).Do(); err != nil {
			resp.Diagnostics.AddError(describeJobError(err, "cloudscheduler.jobs.patch", name))
			return
		}
	}
	if plan.Paused.ValueBool() != state.Paused.ValueBool() {
		action, call := "cloudscheduler.jobs.resume", func() (*scheduler.Job, error) {
			return svc.Projects.Locations.Jobs.Resume(name, &scheduler.ResumeJobRequest{}).Context(ctx).Do()
		}
		if plan.Paused.ValueBool() {
			action, call = "cloudscheduler.jobs.pause", func() (*scheduler.Job, error) {
				return svc.Projects.Locations.Jobs.Pause(name, &scheduler.PauseJobRequest{}).Context(ctx).Do()
			}
		}
		if got, err = call(); err != nil {
			resp.Diagnostics.AddError(describeJobError(err, action, name))
			return
		}
	}
	if got == nil { // only timeouts changed
		if got, err = svc.Projects.Locations.Jobs.Get(name).Context(ctx).Do(); err != nil {
			resp.Diagnostics.AddError(describeJobError(err, "cloudscheduler.jobs.get", name))
			return
		}
	}
	plan.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *schedulerJobResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state schedulerJobModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultJobTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	svc, err := r.service(ctx)
	if err == nil {
		_, err = svc.Projects.Locations.Jobs.Delete(state.jobName()).Context(ctx).Do()
	}
	if err != nil && !gcperr.IsNotFound(err) {
		resp.Diagnostics.AddError(describeJobError(err, "cloudscheduler.jobs.delete", state.jobName()))
	}
}

// ImportState accepts projects/P/locations/L/jobs/N, P/L/N, L/N or N (the
// missing parts from the provider's project and region).
func (r *schedulerJobResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importLocated(ctx, r.data, req, resp, "gcpinvoke_scheduler_job", gcpnames.ParseSchedulerJobID)
}
