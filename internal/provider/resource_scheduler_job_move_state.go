package provider

import (
	"context"
	"encoding/base64"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = (*schedulerJobResource)(nil)

// MoveState implements resource.ResourceWithMoveState: the state of a
// google_cloud_scheduler_job with an http_target becomes this job's. The
// Google provider keeps the body base64-encoded (as the API sends it); it is
// decoded here, since this resource's body is plain text.
func (r *schedulerJobResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: moveSchedulerJobFromGoogle}}
}

func moveSchedulerJobFromGoogle(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	const src = "google_cloud_scheduler_job"
	s, ok := googleSource(req, resp, src)
	if !ok {
		return
	}
	switch {
	case s.set("pubsub_target"):
		moveRefuse(resp, src, "pubsub_target", "gcpinvoke_scheduler_job sends HTTP requests only; a job publishing to Pub/Sub cannot be moved.")
		return
	case s.set("app_engine_http_target"):
		moveRefuse(resp, src, "app_engine_http_target", "gcpinvoke_scheduler_job sends HTTP requests to a URL only; an App Engine target cannot be moved.")
		return
	}
	ht := s.block("http_target")
	if ht == nil {
		moveRefuse(resp, src, "http_target", "the job has no http_target (it is required by gcpinvoke_scheduler_job).")
		return
	}
	body := types.StringNull()
	if b := ht.str("body"); b != "" {
		raw, err := base64.StdEncoding.DecodeString(b)
		if err != nil || !utf8.Valid(raw) {
			moveRefuse(resp, src, "http_target.body", "the body is not base64 of UTF-8 text, and gcpinvoke_scheduler_job's body is plain text.")
			return
		}
		body = types.StringValue(string(raw))
	}

	set := newMoveSetter(ctx, resp)
	project, location, name := s.str("project"), s.str("region"), lastSegment(s.str("name"))
	set.set("id", types.StringValue("projects/"+project+"/locations/"+location+"/jobs/"+name))
	set.set("project", types.StringValue(project))
	set.set("location", types.StringValue(location))
	set.set("name", types.StringValue(name))
	set.set("description", s.strOrNull("description"))
	set.set("schedule", types.StringValue(s.str("schedule")))
	set.set("time_zone", types.StringValue(orDefault(s.str("time_zone"), defaultJobTimeZone)))
	set.set("paused", types.BoolValue(s.boolean("paused")))
	set.set("state", s.strOrNull("state"))
	set.set("attempt_deadline", types.StringValue(orDefault(s.str("attempt_deadline"), defaultJobAttemptDeadline)))

	rc := s.block("retry_config")
	if rc == nil {
		rc = googleState{}
	}
	maxDoublings := int64(rc.num("max_doublings"))
	if maxDoublings == 0 {
		maxDoublings = defaultJobMaxDoublings
	}
	set.set("retry_config", &jobRetryConfigModel{
		RetryCount:       types.Int64Value(int64(rc.num("retry_count"))),
		MaxRetryDuration: types.StringValue(orDefault(rc.str("max_retry_duration"), defaultJobMaxRetryDur)),
		MinBackoff:       types.StringValue(orDefault(rc.str("min_backoff_duration"), defaultJobMinBackoff)),
		MaxBackoff:       types.StringValue(orDefault(rc.str("max_backoff_duration"), defaultJobMaxBackoff)),
		MaxDoublings:     types.Int64Value(maxDoublings),
	})

	target := &jobHTTPTargetModel{
		URI:        types.StringValue(ht.str("uri")),
		HTTPMethod: types.StringValue(orDefault(ht.str("http_method"), defaultJobHTTPMethod)),
		Body:       body,
		Headers:    types.MapNull(types.StringType),
	}
	headers := map[string]string{}
	for k, v := range ht.stringMap("headers") {
		if !jobGoogleAddedHeader(k, v) {
			headers[k] = v
		}
	}
	if len(headers) > 0 {
		target.Headers, _ = types.MapValueFrom(ctx, types.StringType, headers)
	}
	if o := ht.block("oidc_token"); o != nil {
		target.OIDCToken = oidcTokenFromAPI(o.str("service_account_email"), o.str("audience"))
	}
	if o := ht.block("oauth_token"); o != nil {
		target.OAuthToken = oauthTokenFromAPI(o.str("service_account_email"), o.str("scope"))
	}
	set.set("http_target", target)
	set.set("last_attempt_time", types.StringNull())
	set.set("last_attempt_status", types.StringNull())
}
