package emulator

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"

	scheduler "google.golang.org/api/cloudscheduler/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/cron"
)

// httpMethods are the values of google.cloud.scheduler.v1.HttpMethod.
var httpMethods = map[string]bool{
	"POST": true, "GET": true, "HEAD": true, "PUT": true, "DELETE": true, "PATCH": true, "OPTIONS": true,
}

// decodeJob reads a Job body both as the typed struct and as a JSON object
// (the object tells which fields the caller sent, for update masks). Body
// bytes that are not base64 fail as Google's JSON parser fails them.
func decodeJob(r *request) (map[string]any, *scheduler.Job, error) {
	raw, job, err := decodeBody[scheduler.Job](r)
	if err != nil {
		return nil, nil, err
	}
	// A body setting two members of a oneof fails to parse at Google,
	// whatever the update mask says.
	if t := job.HttpTarget; t != nil && t.OidcToken != nil && t.OauthToken != nil {
		return nil, nil, errOneofTokens()
	}
	return raw, job, nil
}

func errOneofTokens() *apiError {
	return errInvalid("Invalid JSON payload received. Oneof field 'authorization_header' is already set. Cannot set 'oidcToken': a job carries either an oauthToken or an oidcToken, not both.")
}

// clearJobOutputs drops the output-only fields a caller sent.
func clearJobOutputs(job *scheduler.Job) {
	job.State, job.Status, job.ScheduleTime, job.LastAttemptTime, job.UserUpdateTime = "", nil, "", "", ""
	job.SatisfiesPzs = false
}

// applyJobDefaults fills what Google fills when a field is left unset.
func applyJobDefaults(job *scheduler.Job) {
	if job.TimeZone == "" {
		job.TimeZone = defaultJobTimeZone
	}
	if t := job.HttpTarget; t != nil {
		if t.HttpMethod == "" || t.HttpMethod == "HTTP_METHOD_UNSPECIFIED" {
			t.HttpMethod = "POST"
		}
		if job.AttemptDeadline == "" {
			job.AttemptDeadline = defaultAttemptDeadline
		}
	}
	// A job created without retryConfig reads back without one (the
	// Google provider's retry_config block is not computed, so its own
	// acceptance tests would show a diff otherwise); the executor applies
	// the defaults. A retryConfig that is sent gets its unset fields filled.
	rc := job.RetryConfig
	if rc == nil {
		return
	}
	if rc.MinBackoffDuration == "" {
		rc.MinBackoffDuration = defaultMinBackoff
	}
	if rc.MaxBackoffDuration == "" {
		rc.MaxBackoffDuration = defaultMaxBackoff
	}
	if rc.MaxDoublings == 0 {
		rc.MaxDoublings = defaultMaxDoublings
	}
	if rc.MaxRetryDuration == "" {
		rc.MaxRetryDuration = defaultMaxRetryDuration
	}
}

// forbiddenJobHeader reports whether a user header is one Cloud Scheduler
// refuses because it sets it itself.
func forbiddenJobHeader(h string) bool {
	l := strings.ToLower(h)
	return l == "content-length" || l == "host" || strings.HasPrefix(l, "x-google-") || strings.HasPrefix(l, "x-appengine-")
}

// validateJob checks a job (defaults applied) as Cloud Scheduler does.
func validateJob(job *scheduler.Job) error {
	if len([]rune(job.Description)) > maxJobDescriptionLength {
		return errInvalid("Job description must not contain more than %d characters.", maxJobDescriptionLength)
	}
	if strings.TrimSpace(job.Schedule) == "" {
		return errInvalid("Schedule is required: set schedule to a unix-cron expression such as \"*/5 * * * *\".")
	}
	if _, err := cron.Parse(job.Schedule); err != nil {
		return errInvalid("Schedule or time zone is invalid: %v.", err)
	}
	// The emulator's own reading of Google's format (google_rules.go), so a
	// too lenient internal/cron does not let a schedule through on both
	// sides.
	if err := checkCronSyntax(job.Schedule); err != nil {
		return errInvalid("Schedule or time zone is invalid: %v.", err)
	}
	if _, err := jobLocation(job.TimeZone); err != nil {
		return errInvalid("Schedule or time zone is invalid: %v.", err)
	}
	targets := 0
	for _, set := range []bool{job.HttpTarget != nil, job.PubsubTarget != nil, job.AppEngineHttpTarget != nil} {
		if set {
			targets++
		}
	}
	switch {
	case targets == 0:
		return errInvalid("Job must have a target: set httpTarget, pubsubTarget or appEngineHttpTarget.")
	case targets > 1:
		return errInvalid("Invalid JSON payload received. Oneof field 'target' is already set: a job has exactly one of httpTarget, pubsubTarget and appEngineHttpTarget.")
	}
	if job.HttpTarget != nil {
		if err := validateHTTPTarget(job.HttpTarget); err != nil {
			return err
		}
		d, err := parseDuration(job.AttemptDeadline, "job.attempt_deadline")
		if err != nil {
			return err
		}
		if d < minHTTPAttemptDeadline || d > maxHTTPAttemptDeadline {
			return errInvalid("attemptDeadline %s is out of range: for HTTP targets it must be between 15s and 1800s (30 minutes).", job.AttemptDeadline)
		}
	}
	if job.PubsubTarget != nil && job.PubsubTarget.TopicName == "" {
		return errInvalid("PubsubTarget.topicName is required.")
	}
	return validateRetryConfig(job.RetryConfig)
}

func validateHTTPTarget(t *scheduler.HttpTarget) error {
	if t.Uri == "" {
		return errInvalid("HttpTarget.uri is required.")
	}
	u, err := url.Parse(t.Uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errInvalid("Invalid HttpTarget.uri %q: it must be an absolute URL beginning with \"http://\" or \"https://\".", t.Uri)
	}
	if len(t.Uri) > maxHTTPTargetURILength {
		return errInvalid("HttpTarget.uri is longer than %d characters.", maxHTTPTargetURILength)
	}
	if !httpMethods[t.HttpMethod] {
		return errInvalid("Invalid value at 'job.http_target.http_method' (type.googleapis.com/google.cloud.scheduler.v1.HttpMethod), %q", t.HttpMethod)
	}
	if t.Body != "" {
		if _, err := base64.StdEncoding.DecodeString(t.Body); err != nil {
			return errInvalid("Invalid value at 'job.http_target.body' (TYPE_BYTES), Base64 decoding failed for %q", t.Body)
		}
		switch t.HttpMethod {
		case "POST", "PUT", "PATCH":
		default:
			return errInvalid("HttpTarget.body is only allowed for HTTP methods POST, PUT and PATCH; httpMethod is %s.", t.HttpMethod)
		}
	}
	for h := range t.Headers {
		if forbiddenJobHeader(h) {
			return errInvalid("Header %q cannot be set on an HTTP target: Cloud Scheduler sets it.", h)
		}
	}
	if t.OidcToken != nil && t.OauthToken != nil {
		return errOneofTokens()
	}
	if t.OidcToken != nil && !emailRe.MatchString(t.OidcToken.ServiceAccountEmail) {
		return errInvalid("HttpTarget.oidcToken.serviceAccountEmail must be a service account email; got %q.", t.OidcToken.ServiceAccountEmail)
	}
	if t.OauthToken != nil && !emailRe.MatchString(t.OauthToken.ServiceAccountEmail) {
		return errInvalid("HttpTarget.oauthToken.serviceAccountEmail must be a service account email; got %q.", t.OauthToken.ServiceAccountEmail)
	}
	return nil
}

func validateRetryConfig(rc *scheduler.RetryConfig) error {
	if rc == nil {
		return nil
	}
	if rc.RetryCount < 0 || rc.RetryCount > maxSchedulerRetryCount {
		return errInvalid("retryConfig.retryCount %d is out of range: it must be between 0 and %d.", rc.RetryCount, maxSchedulerRetryCount)
	}
	if rc.MaxDoublings < 0 {
		return errInvalid("retryConfig.maxDoublings must not be negative; got %d.", rc.MaxDoublings)
	}
	minB, err := parseDuration(rc.MinBackoffDuration, "job.retry_config.min_backoff_duration")
	if err != nil {
		return err
	}
	maxB, err := parseDuration(rc.MaxBackoffDuration, "job.retry_config.max_backoff_duration")
	if err != nil {
		return err
	}
	if _, err := parseDuration(rc.MaxRetryDuration, "job.retry_config.max_retry_duration"); err != nil {
		return err
	}
	if minB > maxB {
		return errInvalid("retryConfig.minBackoffDuration (%s) must not be greater than retryConfig.maxBackoffDuration (%s).", rc.MinBackoffDuration, rc.MaxBackoffDuration)
	}
	return nil
}

// parseDuration reads a google.protobuf.Duration in JSON form ("180s",
// "1.5s"). field is the proto path used in the error message.
func parseDuration(s, field string) (time.Duration, error) {
	bad := errInvalid("Invalid value at '%s' (type.googleapis.com/google.protobuf.Duration), %q", field, s)
	num, ok := strings.CutSuffix(s, "s")
	if !ok || num == "" {
		return 0, bad
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 || strings.ContainsAny(num, "eE+") {
		return 0, bad
	}
	return time.Duration(f * float64(time.Second)), nil
}
