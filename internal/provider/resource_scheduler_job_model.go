package provider

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	scheduler "google.golang.org/api/cloudscheduler/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// State mapping of gcpinvoke_scheduler_job: model ↔ cloudscheduler.Job and
// the update mask of a change.

// jobName is the full resource name of the job the model describes.
func (m *schedulerJobModel) jobName() string {
	return "projects/" + m.Project.ValueString() + "/locations/" + m.Location.ValueString() + "/jobs/" + m.Name.ValueString()
}

// toAPI builds the Job to send; durations go in Google's "180s" form and
// the body base64-encoded.
func (m *schedulerJobModel) toAPI(ctx context.Context) (*scheduler.Job, diag.Diagnostics) {
	var diags diag.Diagnostics
	job := &scheduler.Job{
		Name:            m.jobName(),
		Description:     m.Description.ValueString(),
		Schedule:        m.Schedule.ValueString(),
		TimeZone:        m.TimeZone.ValueString(),
		AttemptDeadline: canonicalDuration(m.AttemptDeadline.ValueString()),
	}
	if rc := m.RetryConfig; rc != nil {
		job.RetryConfig = &scheduler.RetryConfig{
			RetryCount:         rc.RetryCount.ValueInt64(),
			MaxRetryDuration:   canonicalDuration(rc.MaxRetryDuration.ValueString()),
			MinBackoffDuration: canonicalDuration(rc.MinBackoff.ValueString()),
			MaxBackoffDuration: canonicalDuration(rc.MaxBackoff.ValueString()),
			MaxDoublings:       rc.MaxDoublings.ValueInt64(),
			ForceSendFields:    []string{"RetryCount"},
		}
	}
	if t := m.HTTPTarget; t != nil {
		ht := &scheduler.HttpTarget{Uri: t.URI.ValueString(), HttpMethod: t.HTTPMethod.ValueString()}
		if !t.Headers.IsNull() && !t.Headers.IsUnknown() {
			diags.Append(t.Headers.ElementsAs(ctx, &ht.Headers, false)...)
		}
		if b := t.Body.ValueString(); b != "" {
			ht.Body = base64.StdEncoding.EncodeToString([]byte(b))
		}
		if o := t.OIDCToken; o != nil {
			ht.OidcToken = &scheduler.OidcToken{ServiceAccountEmail: o.ServiceAccountEmail.ValueString(), Audience: o.Audience.ValueString()}
		}
		if o := t.OAuthToken; o != nil {
			ht.OauthToken = &scheduler.OAuthToken{ServiceAccountEmail: o.ServiceAccountEmail.ValueString(), Scope: o.Scope.ValueString()}
		}
		job.HttpTarget = ht
	}
	return job, diags
}

// fromAPI copies a job as the API returned it into m. Durations equal to
// the value already in m keep m's form ("3m" stays "3m" when Google says
// "180s"), so no diff appears for an equal value written another way.
func (m *schedulerJobModel) fromAPI(job *scheduler.Job) {
	if project, location, name, err := gcpnames.ParseSchedulerJobID(job.Name, "", ""); err == nil {
		m.Project, m.Location, m.Name = types.StringValue(project), types.StringValue(location), types.StringValue(name)
	}
	m.ID = types.StringValue(job.Name)
	m.Description = nullIfEmpty(job.Description)
	m.Schedule = types.StringValue(job.Schedule)
	m.TimeZone = types.StringValue(orDefault(job.TimeZone, defaultJobTimeZone))
	m.Paused = types.BoolValue(job.State == "PAUSED")
	m.AttemptDeadline = keepDuration(m.AttemptDeadline, orDefault(job.AttemptDeadline, defaultJobAttemptDeadline))

	rc := job.RetryConfig
	if rc == nil {
		rc = &scheduler.RetryConfig{}
	}
	prior := m.RetryConfig
	if prior == nil {
		prior = &jobRetryConfigModel{}
	}
	maxDoublings := rc.MaxDoublings
	if maxDoublings == 0 {
		maxDoublings = defaultJobMaxDoublings
	}
	m.RetryConfig = &jobRetryConfigModel{
		RetryCount:       types.Int64Value(rc.RetryCount),
		MaxRetryDuration: keepDuration(prior.MaxRetryDuration, orDefault(rc.MaxRetryDuration, defaultJobMaxRetryDur)),
		MinBackoff:       keepDuration(prior.MinBackoff, orDefault(rc.MinBackoffDuration, defaultJobMinBackoff)),
		MaxBackoff:       keepDuration(prior.MaxBackoff, orDefault(rc.MaxBackoffDuration, defaultJobMaxBackoff)),
		MaxDoublings:     types.Int64Value(maxDoublings),
	}

	m.HTTPTarget = jobHTTPTargetFromAPI(job.HttpTarget, m.HTTPTarget)

	m.State = types.StringValue(job.State)
	m.LastAttemptTime = nullIfEmpty(job.LastAttemptTime)
	m.LastAttemptStatus = types.StringNull()
	if job.LastAttemptTime != "" || job.Status != nil {
		m.LastAttemptStatus = types.StringValue(jobAttemptStatusText(job.Status))
	}
}

func jobHTTPTargetFromAPI(t *scheduler.HttpTarget, prior *jobHTTPTargetModel) *jobHTTPTargetModel {
	if t == nil {
		return nil
	}
	out := &jobHTTPTargetModel{
		URI:        types.StringValue(t.Uri),
		HTTPMethod: types.StringValue(orDefault(t.HttpMethod, defaultJobHTTPMethod)),
		Body:       types.StringNull(),
	}
	if t.Body != "" {
		if b, err := base64.StdEncoding.DecodeString(t.Body); err == nil {
			out.Body = types.StringValue(string(b))
		} else {
			out.Body = types.StringValue(t.Body)
		}
	}
	var priorHeaders map[string]string
	if prior != nil && !prior.Headers.IsNull() && !prior.Headers.IsUnknown() {
		priorHeaders = map[string]string{}
		for k, v := range prior.Headers.Elements() {
			if s, ok := v.(types.String); ok {
				priorHeaders[strings.ToLower(k)] = s.ValueString()
			}
		}
	}
	headers := map[string]string{}
	for k, v := range t.Headers {
		if _, mine := priorHeaders[strings.ToLower(k)]; !mine && jobGoogleAddedHeader(k, v) {
			continue
		}
		headers[k] = v
	}
	out.Headers = types.MapNull(types.StringType)
	if len(headers) > 0 {
		out.Headers, _ = types.MapValueFrom(context.Background(), types.StringType, headers)
	}
	if o := t.OidcToken; o != nil {
		out.OIDCToken = oidcTokenFromAPI(o.ServiceAccountEmail, o.Audience)
	}
	if o := t.OauthToken; o != nil {
		out.OAuthToken = oauthTokenFromAPI(o.ServiceAccountEmail, o.Scope)
	}
	return out
}

// jobGoogleAddedHeader reports headers Cloud Scheduler may store on its own
// (the defaults it sends); they are dropped unless the user wrote them.
func jobGoogleAddedHeader(k, v string) bool {
	switch strings.ToLower(k) {
	case "user-agent":
		return v == "Google-Cloud-Scheduler"
	case "content-type":
		return v == "application/octet-stream"
	}
	return false
}

// updateMask lists the API fields (camelCase paths) that differ between
// plan and state; only those are sent, so a field changed by someone else
// and not touched by this plan is left alone.
func jobUpdateMask(plan, state *schedulerJobModel) []string {
	var mask []string
	add := func(changed bool, field string) {
		if changed {
			mask = append(mask, field)
		}
	}
	add(!plan.Description.Equal(state.Description), "description")
	add(!plan.Schedule.Equal(state.Schedule), "schedule")
	add(!plan.TimeZone.Equal(state.TimeZone), "timeZone")
	add(!sameDuration(plan.AttemptDeadline, state.AttemptDeadline), "attemptDeadline")

	prc, src := plan.RetryConfig, state.RetryConfig
	if prc == nil {
		prc = &jobRetryConfigModel{}
	}
	if src == nil {
		src = &jobRetryConfigModel{}
	}
	add(!prc.RetryCount.Equal(src.RetryCount), "retryConfig.retryCount")
	add(!sameDuration(prc.MaxRetryDuration, src.MaxRetryDuration), "retryConfig.maxRetryDuration")
	add(!sameDuration(prc.MinBackoff, src.MinBackoff), "retryConfig.minBackoffDuration")
	add(!sameDuration(prc.MaxBackoff, src.MaxBackoff), "retryConfig.maxBackoffDuration")
	add(!prc.MaxDoublings.Equal(src.MaxDoublings), "retryConfig.maxDoublings")

	pt, st := plan.HTTPTarget, state.HTTPTarget
	switch {
	case pt == nil && st == nil:
	case pt == nil || st == nil:
		add(true, "httpTarget")
	default:
		add(!pt.URI.Equal(st.URI), "httpTarget.uri")
		add(!pt.HTTPMethod.Equal(st.HTTPMethod), "httpTarget.httpMethod")
		add(!pt.Headers.Equal(st.Headers), "httpTarget.headers")
		add(!pt.Body.Equal(st.Body), "httpTarget.body")
		add(!sameOIDCToken(pt.OIDCToken, st.OIDCToken), "httpTarget.oidcToken")
		add(!sameOAuthToken(pt.OAuthToken, st.OAuthToken), "httpTarget.oauthToken")
	}
	return mask
}

func jobJoinMask(mask []string) string { return strings.Join(mask, ",") }

// jobRPCCodeNames are the google.rpc.Code names by number.
var jobRPCCodeNames = []string{"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
	"ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
	"UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"}

// jobAttemptStatusText renders a job's last status: "OK" or "CODE: message".
func jobAttemptStatusText(s *scheduler.Status) string {
	if s == nil || s.Code == 0 {
		return "OK"
	}
	name := "UNKNOWN"
	if s.Code > 0 && int(s.Code) < len(jobRPCCodeNames) {
		name = jobRPCCodeNames[s.Code]
	}
	if s.Message == "" {
		return name
	}
	return name + ": " + s.Message
}

// schedulerJobModel is the state of gcpinvoke_scheduler_job.
type schedulerJobModel struct {
	ID                types.String         `tfsdk:"id"`
	Project           types.String         `tfsdk:"project"`
	Location          types.String         `tfsdk:"location"`
	Name              types.String         `tfsdk:"name"`
	Description       types.String         `tfsdk:"description"`
	Schedule          types.String         `tfsdk:"schedule"`
	TimeZone          types.String         `tfsdk:"time_zone"`
	Paused            types.Bool           `tfsdk:"paused"`
	AttemptDeadline   types.String         `tfsdk:"attempt_deadline"`
	RetryConfig       *jobRetryConfigModel `tfsdk:"retry_config"`
	HTTPTarget        *jobHTTPTargetModel  `tfsdk:"http_target"`
	State             types.String         `tfsdk:"state"`
	LastAttemptTime   types.String         `tfsdk:"last_attempt_time"`
	LastAttemptStatus types.String         `tfsdk:"last_attempt_status"`
	Timeouts          timeouts.Value       `tfsdk:"timeouts"`
}

type jobRetryConfigModel struct {
	RetryCount       types.Int64  `tfsdk:"retry_count"`
	MaxRetryDuration types.String `tfsdk:"max_retry_duration"`
	MinBackoff       types.String `tfsdk:"min_backoff"`
	MaxBackoff       types.String `tfsdk:"max_backoff"`
	MaxDoublings     types.Int64  `tfsdk:"max_doublings"`
}

type jobHTTPTargetModel struct {
	URI        types.String     `tfsdk:"uri"`
	HTTPMethod types.String     `tfsdk:"http_method"`
	Headers    types.Map        `tfsdk:"headers"`
	Body       types.String     `tfsdk:"body"`
	OIDCToken  *oidcTokenModel  `tfsdk:"oidc_token"`
	OAuthToken *oauthTokenModel `tfsdk:"oauth_token"`
}
