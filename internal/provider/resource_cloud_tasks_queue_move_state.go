package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	cloudtasks "google.golang.org/api/cloudtasks/v2"
)

var _ resource.ResourceWithMoveState = (*cloudTasksQueueResource)(nil)

// MoveState implements resource.ResourceWithMoveState: the state of a
// google_cloud_tasks_queue becomes this queue's. Its http_target.uri_override
// becomes http_target.uri and header_overrides become http_target.headers.
func (r *cloudTasksQueueResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: moveCloudTasksQueueFromGoogle}}
}

func moveCloudTasksQueueFromGoogle(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	const src = "google_cloud_tasks_queue"
	s, ok := googleSource(req, resp, src)
	if !ok {
		return
	}
	if s.set("app_engine_routing_override") {
		moveRefuse(resp, src, "app_engine_routing_override", "gcpinvoke_cloud_tasks_queue dispatches HTTP tasks only; App Engine routing cannot be moved.")
		return
	}
	if l := s.block("stackdriver_logging_config"); l != nil && l.num("sampling_ratio") != 0 {
		moveRefuse(resp, src, "stackdriver_logging_config", "gcpinvoke_cloud_tasks_queue does not manage task logging.")
		return
	}

	set := newMoveSetter(ctx, resp)
	project, location, name := s.str("project"), s.str("location"), lastSegment(s.str("name"))
	set.set("id", types.StringValue("projects/"+project+"/locations/"+location+"/queues/"+name))
	set.set("project", types.StringValue(project))
	set.set("location", types.StringValue(location))
	set.set("name", types.StringValue(name))
	set.set("state", s.strOrNull("state"))

	rl := s.block("rate_limits")
	if rl == nil {
		rl = googleState{}
	}
	set.set("rate_limits", &queueRateLimitsModel{
		MaxDispatchesPerSecond:  types.Float64Value(orFloat(rl.num("max_dispatches_per_second"), defaultQueueRate)),
		MaxConcurrentDispatches: types.Int64Value(orInt(int64(rl.num("max_concurrent_dispatches")), defaultQueueConcurrent)),
	})
	rc := s.block("retry_config")
	if rc == nil {
		rc = googleState{}
	}
	set.set("retry_config", &queueRetryConfigModel{
		MaxAttempts:      types.Int64Value(orInt(int64(rc.num("max_attempts")), defaultQueueMaxAttempts)),
		MaxRetryDuration: types.StringValue(canonicalDuration(orDefault(rc.str("max_retry_duration"), defaultQueueMaxRetryDur))),
		MinBackoff:       types.StringValue(canonicalDuration(orDefault(rc.str("min_backoff"), defaultQueueMinBackoff))),
		MaxBackoff:       types.StringValue(canonicalDuration(orDefault(rc.str("max_backoff"), defaultQueueMaxBackoff))),
		MaxDoublings:     types.Int64Value(orInt(int64(rc.num("max_doublings")), defaultQueueMaxDoublings)),
	})

	ht := s.block("http_target")
	if ht == nil {
		set.set("http_target", (*queueHTTPTargetModel)(nil))
		return
	}
	target := &queueHTTPTargetModel{
		HTTPMethod: ht.strOrNull("http_method"),
		URI:        types.StringNull(),
		Headers:    types.MapNull(types.StringType),
	}
	if o := ht.block("uri_override"); o != nil {
		if m := o.str("uri_override_enforce_mode"); m != "ALWAYS" {
			// Unset means IF_NOT_EXISTS (tasks naming their own URL keep it).
			moveRefuse(resp, src, "http_target.uri_override.uri_override_enforce_mode",
				fmt.Sprintf("it is %q, not \"ALWAYS\"; gcpinvoke_cloud_tasks_queue's http_target.uri applies to every task. "+
					"Set uri_override_enforce_mode = \"ALWAYS\" on the Google resource and apply first if that is what you want.", orDefault(m, "IF_NOT_EXISTS")))
			return
		}
		if o.str("host") == "" {
			moveRefuse(resp, src, "http_target.uri_override", "it sets no host; gcpinvoke_cloud_tasks_queue's http_target.uri is a whole URL.")
			return
		}
		api := &cloudtasks.UriOverride{Scheme: o.str("scheme"), Host: o.str("host")}
		if p := o.str("port"); p != "" { // a string in the Google provider
			api.Port, _ = strconv.ParseInt(p, 10, 64)
		} else {
			api.Port = int64(o.num("port"))
		}
		if p := o.block("path_override"); p != nil {
			api.PathOverride = &cloudtasks.PathOverride{Path: p.str("path")}
		}
		if q := o.block("query_override"); q != nil {
			api.QueryOverride = &cloudtasks.QueryOverride{QueryParams: q.str("query_params")}
		}
		target.URI = nullIfEmpty(queueURIFromOverride(api))
	}
	if hos, _ := ht["header_overrides"].([]any); len(hos) > 0 {
		hs := map[string]string{}
		for _, e := range hos {
			if o, ok := e.(map[string]any); ok {
				if h := googleState(o).block("header"); h != nil {
					hs[h.str("key")] = h.str("value")
				}
			}
		}
		target.Headers, _ = types.MapValueFrom(ctx, types.StringType, hs)
	}
	if o := ht.block("oidc_token"); o != nil {
		target.OIDCToken = oidcTokenFromAPI(o.str("service_account_email"), o.str("audience"))
	}
	if o := ht.block("oauth_token"); o != nil {
		target.OAuthToken = oauthTokenFromAPI(o.str("service_account_email"), o.str("scope"))
	}
	set.set("http_target", target)
}
