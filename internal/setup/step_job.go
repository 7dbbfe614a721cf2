package setup

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"google.golang.org/api/cloudscheduler/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
)

// jobStep ensures the Cloud Scheduler job calls the target with the
// account's token.
type jobStep struct {
	env      Env
	cfg      Config
	email    string
	saRef    string
	uri      string
	audience string // OIDC audience; "" for the OAuth walkthrough
}

func (s *jobStep) name() string {
	return "projects/" + s.cfg.Project + "/locations/" + s.cfg.Location + "/jobs/" + s.cfg.Job
}

func (s *jobStep) oauth() bool { return s.cfg.Walkthrough == OAuthToGoogleAPI }

func (s *jobStep) Describe() string {
	if s.oauth() {
		return fmt.Sprintf("Cloud Scheduler job %s calls %s with an OAuth token of %s", s.name(), s.uri, s.email)
	}
	return fmt.Sprintf("Cloud Scheduler job %s calls %s with an OIDC token of %s (audience %s)", s.name(), s.uri, s.email, s.audience)
}

// wantTarget is the job's HTTP target.
func (s *jobStep) wantTarget() *cloudscheduler.HttpTarget {
	t := &cloudscheduler.HttpTarget{Uri: s.uri, HttpMethod: s.cfg.HTTPMethod}
	if s.oauth() {
		t.OauthToken = &cloudscheduler.OAuthToken{ServiceAccountEmail: s.email, Scope: s.cfg.Scope}
	} else {
		t.OidcToken = &cloudscheduler.OidcToken{ServiceAccountEmail: s.email, Audience: s.audience}
	}
	return t
}

func (s *jobStep) get(ctx context.Context) (*cloudscheduler.Job, error) {
	svc, err := s.env.Client.Scheduler(ctx)
	if err != nil {
		return nil, err
	}
	job, err := svc.Projects.Locations.Jobs.Get(s.name()).Context(ctx).Do()
	if gcperr.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading Cloud Scheduler job %s: %w", s.name(), err)
	}
	return job, nil
}

// diff lists what differs between job and what is wanted, as update mask
// paths and human-readable notes.
func (s *jobStep) diff(job *cloudscheduler.Job) (mask, notes []string) {
	want := s.wantTarget()
	got := job.HttpTarget
	if got == nil {
		got = &cloudscheduler.HttpTarget{}
	}
	method := got.HttpMethod
	if method == "" {
		method = DefaultHTTPMethod
	}
	var tnotes []string
	if got.Uri != want.Uri {
		tnotes = append(tnotes, fmt.Sprintf("uri %q, want %q", got.Uri, want.Uri))
	}
	if method != want.HttpMethod {
		tnotes = append(tnotes, fmt.Sprintf("method %s, want %s", method, want.HttpMethod))
	}
	switch {
	case want.OidcToken != nil && (got.OidcToken == nil || got.OidcToken.ServiceAccountEmail != want.OidcToken.ServiceAccountEmail || got.OidcToken.Audience != want.OidcToken.Audience):
		tnotes = append(tnotes, "OIDC token settings differ")
	case want.OauthToken != nil && (got.OauthToken == nil || got.OauthToken.ServiceAccountEmail != want.OauthToken.ServiceAccountEmail || got.OauthToken.Scope != want.OauthToken.Scope):
		tnotes = append(tnotes, "OAuth token settings differ")
	}
	if len(tnotes) > 0 {
		mask = append(mask, "httpTarget")
		notes = append(notes, tnotes...)
	}
	if s.cfg.Schedule != "" {
		if job.Schedule != s.cfg.Schedule {
			mask = append(mask, "schedule")
			notes = append(notes, fmt.Sprintf("schedule %q, want %q", job.Schedule, s.cfg.Schedule))
		}
		if tz := orDefault(job.TimeZone, DefaultTimeZone); tz != s.cfg.TimeZone {
			mask = append(mask, "timeZone")
			notes = append(notes, fmt.Sprintf("time zone %s, want %s", tz, s.cfg.TimeZone))
		}
	}
	return mask, notes
}

func (s *jobStep) Check(ctx context.Context) (Status, error) {
	job, err := s.get(ctx)
	if err != nil || job == nil {
		return Status{State: Missing}, err
	}
	if _, notes := s.diff(job); len(notes) > 0 {
		detail := strings.Join(notes, "; ")
		if who := s.foreign(job); who != "" && !s.cfg.Force {
			detail += "; it " + who + ": --apply leaves it alone unless --force"
		}
		return Status{State: Differs, Detail: detail}, nil
	}
	return Status{State: InPlace}, nil
}

// foreign says how an existing job belongs to someone else — it calls
// another target, or sends another account's token — or "" when it is this
// chain's job with other settings.
func (s *jobStep) foreign(job *cloudscheduler.Job) string {
	ht := job.HttpTarget
	if ht == nil {
		return "has no HTTP target"
	}
	var who []string
	email := ""
	switch {
	case ht.OidcToken != nil:
		email = ht.OidcToken.ServiceAccountEmail
	case ht.OauthToken != nil:
		email = ht.OauthToken.ServiceAccountEmail
	}
	if !strings.EqualFold(email, s.email) {
		if email == "" {
			who = append(who, "sends no token")
		} else {
			who = append(who, "acts as "+email)
		}
	}
	if rootOf(ht.Uri) != rootOf(s.uri) {
		who = append(who, "calls "+ht.Uri)
	}
	return strings.Join(who, " and ")
}

// rootOf is scheme://host of a URL, lower-cased (the target it reaches).
func rootOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// Preflight refuses, before any step changes anything, to repoint a job
// that belongs to another chain (unless Config.Force).
func (s *jobStep) Preflight(ctx context.Context) error {
	job, err := s.get(ctx)
	if err != nil || job == nil {
		return err
	}
	return s.refusal(job)
}

// refusal is the ForeignJobError for job, nil when setup may change it.
func (s *jobStep) refusal(job *cloudscheduler.Job) error {
	_, notes := s.diff(job)
	if len(notes) == 0 || s.cfg.Force {
		return nil
	}
	if who := s.foreign(job); who != "" {
		return &ForeignJobError{Job: s.name(), Who: who, Changes: notes}
	}
	return nil
}

// ForeignJobError is returned by Apply when the job exists and belongs to
// another chain (another target or account) and Config.Force is not set.
type ForeignJobError struct {
	Job, Who string
	Changes  []string
}

func (e *ForeignJobError) Error() string {
	return fmt.Sprintf("Cloud Scheduler job %s already exists and %s; setup would change: %s. "+
		"Pass --force to repoint it, or choose another --job", e.Job, e.Who, strings.Join(e.Changes, "; "))
}

func (s *jobStep) Apply(ctx context.Context) error {
	svc, err := s.env.Client.Scheduler(ctx)
	if err != nil {
		return err
	}
	job, err := s.get(ctx)
	if err != nil {
		return err
	}
	if job == nil {
		_, err = svc.Projects.Locations.Jobs.Create("projects/"+s.cfg.Project+"/locations/"+s.cfg.Location, &cloudscheduler.Job{
			Name:        s.name(),
			Description: "Created by gcpinvoke setup " + s.cfg.Walkthrough,
			Schedule:    orDefault(s.cfg.Schedule, DefaultSchedule),
			TimeZone:    s.cfg.TimeZone,
			HttpTarget:  s.wantTarget(),
		}).Context(ctx).Do()
		if err != nil {
			return fmt.Errorf("creating Cloud Scheduler job %s: %w", s.name(), err)
		}
		return nil
	}
	mask, _ := s.diff(job)
	if len(mask) == 0 {
		return nil
	}
	if err := s.refusal(job); err != nil {
		return err
	}
	// Keep what setup does not manage (headers, body) in the new target.
	want := s.wantTarget()
	if job.HttpTarget != nil {
		want.Headers, want.Body = job.HttpTarget.Headers, job.HttpTarget.Body
	}
	patch := &cloudscheduler.Job{Name: s.name(), HttpTarget: want, Schedule: s.cfg.Schedule, TimeZone: s.cfg.TimeZone}
	if _, err := svc.Projects.Locations.Jobs.Patch(s.name(), patch).UpdateMask(strings.Join(mask, ",")).Context(ctx).Do(); err != nil {
		return fmt.Errorf("updating Cloud Scheduler job %s: %w", s.name(), err)
	}
	return nil
}

func (s *jobStep) Terraform(ctx context.Context) (string, error) {
	job, err := s.get(ctx)
	if err != nil {
		return "", err
	}
	importID := ""
	if job == nil {
		job = &cloudscheduler.Job{
			Description: "Created by gcpinvoke setup " + s.cfg.Walkthrough,
			Schedule:    orDefault(s.cfg.Schedule, DefaultSchedule),
			TimeZone:    s.cfg.TimeZone,
			HttpTarget:  s.wantTarget(),
		}
	} else {
		importID = s.name()
	}
	return resourceBlock("gcpinvoke_scheduler_job", hclLabel(s.cfg.Job), s.jobAttrs(job), importID), nil
}

// jobAttrs renders every setting of a job the resource manages, so that a
// job adopted with an import block plans no change: description, schedule,
// time zone, attempt deadline, paused, retry_config and the whole
// http_target (method, headers, body, token).
func (s *jobStep) jobAttrs(job *cloudscheduler.Job) []attr {
	attrs := []attr{lit("project", s.cfg.Project), lit("location", s.cfg.Location), lit("name", s.cfg.Job)}
	if job.Description != "" {
		attrs = append(attrs, lit("description", job.Description))
	}
	attrs = append(attrs, lit("schedule", job.Schedule), lit("time_zone", orDefault(job.TimeZone, DefaultTimeZone)))
	if job.AttemptDeadline != "" {
		attrs = append(attrs, lit("attempt_deadline", job.AttemptDeadline))
	}
	if job.State == "PAUSED" {
		attrs = append(attrs, boolean("paused", true))
	}
	if rc := job.RetryConfig; rc != nil {
		var r []attr
		r = append(r, num("retry_count", rc.RetryCount))
		if rc.MaxRetryDuration != "" {
			r = append(r, lit("max_retry_duration", rc.MaxRetryDuration))
		}
		if rc.MinBackoffDuration != "" {
			r = append(r, lit("min_backoff", rc.MinBackoffDuration))
		}
		if rc.MaxBackoffDuration != "" {
			r = append(r, lit("max_backoff", rc.MaxBackoffDuration))
		}
		r = append(r, num("max_doublings", rc.MaxDoublings))
		attrs = append(attrs, obj("retry_config", r...))
	}
	ht := job.HttpTarget
	if ht == nil {
		ht = s.wantTarget()
	}
	target := []attr{lit("uri", ht.Uri), lit("http_method", orDefault(ht.HttpMethod, DefaultHTTPMethod))}
	if headers := userHeaders(ht.Headers); len(headers) > 0 {
		target = append(target, strMap("headers", headers))
	}
	if ht.Body != "" {
		body, err := base64.StdEncoding.DecodeString(ht.Body)
		if err != nil {
			body = []byte(ht.Body)
		}
		target = append(target, lit("body", string(body)))
	}
	saExpr := func(email string) attr {
		if strings.EqualFold(email, s.email) {
			return expr("service_account_email", s.saRef+".email")
		}
		return lit("service_account_email", email)
	}
	if o := ht.OidcToken; o != nil {
		tok := []attr{saExpr(o.ServiceAccountEmail)}
		if o.Audience != "" {
			tok = append(tok, lit("audience", o.Audience))
		}
		target = append(target, obj("oidc_token", tok...))
	}
	if o := ht.OauthToken; o != nil {
		target = append(target, obj("oauth_token", saExpr(o.ServiceAccountEmail), lit("scope", orDefault(o.Scope, DefaultOAuthScope))))
	}
	return append(attrs, obj("http_target", target...))
}

// userHeaders drops the headers Cloud Scheduler sets itself and shows in a
// job (User-Agent and the X-CloudScheduler ones): they are not settings.
func userHeaders(h map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		lk := strings.ToLower(k)
		if lk == "user-agent" || strings.HasPrefix(lk, "x-cloudscheduler") {
			continue
		}
		out[k] = v
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
