package review

import (
	"net/url"
	"strings"
)

// callerOf maps job resource types to the caller kind.
var callerOf = map[string]string{
	"google_cloud_scheduler_job":  "scheduler",
	"gcpinvoke_scheduler_job":     "scheduler",
	"google_cloud_tasks_queue":    "tasks",
	"gcpinvoke_cloud_tasks_queue": "tasks",
}

// job reads a caller from one state of a job resource; ok is false when the
// resource has no HTTP target (Pub/Sub or App Engine jobs, plain queues).
func (rd reader) job(typ, address, action string, a attrs) (Job, bool) {
	caller, isJob := callerOf[typ]
	if !isJob || a.v == nil || !a.present("http_target") {
		return Job{}, false
	}
	j := Job{Address: address, Caller: caller, Action: action, Token: "none"}

	j.URL = taskURL(a)
	if typ != "google_cloud_tasks_queue" {
		if u, ok := a.str("http_target", "uri"); ok {
			j.URL = u
		} else {
			j.URL = Unknown
		}
	}
	if j.URL == Unknown {
		j.URLRef = firstRef(rd.cfg.refs(address, "http_target", "uri"), isTargetType)
		if j.URLRef == "" {
			j.URLRef = firstRef(rd.cfg.refs(address, "http_target", "uri_override"), isTargetType)
		}
	}

	for _, tok := range []string{"oidc_token", "oauth_token"} {
		if !a.present("http_target", tok) {
			continue
		}
		j.Token = strings.TrimSuffix(tok, "_token")
		if sa, ok := a.str("http_target", tok, "service_account_email"); ok {
			j.ServiceAccount = sa
			j.saKeys = []string{saKey(sa)}
		} else {
			j.ServiceAccount = Unknown
		}
		if ref := firstRef(rd.cfg.refs(address, "http_target", tok, "service_account_email"), isSAType); ref != "" {
			if j.ServiceAccount == Unknown {
				j.ServiceAccountRef = ref
			}
			j.saKeys = append(j.saKeys, rd.refKeys(ref)...)
		}
		if tok == "oidc_token" {
			aud, ok := a.str("http_target", tok, "audience")
			switch {
			case !ok:
				j.Audience = Unknown
			case aud == "":
				j.Audience, j.AudienceDefaulted = j.URL, true
			default:
				j.Audience = aud
			}
		} else {
			scope, ok := a.str("http_target", tok, "scope")
			if !ok {
				scope = Unknown
			}
			j.Scope = scope
		}
		break
	}
	return j, true
}

// taskURL builds the URL of a Google provider queue's uri_override; "" when
// the queue does not override it (each task then sets its own URL).
func taskURL(a attrs) string {
	o := []string{"http_target", "uri_override"}
	if !a.present(o...) {
		return ""
	}
	host, ok := a.str(append(o, "host")...)
	if !ok {
		return Unknown
	}
	if host == "" {
		return ""
	}
	scheme, _ := a.str(append(o, "scheme")...)
	scheme = strings.ToLower(first(scheme, "https"))
	if port, _ := a.str(append(o, "port")...); port != "" && port != "0" {
		host += ":" + port
	}
	path, _ := a.str(append(o, "path_override", "path")...)
	if path != "" && !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	u := url.URL{Scheme: scheme, Host: host, Path: path}
	if q, _ := a.str(append(o, "query_override", "query_params")...); q != "" {
		u.RawQuery = q
	}
	return u.String()
}

// jobHost returns the host (no port) of a job's URL, "" when not known.
func jobHost(j Job) string {
	if j.URL == "" || j.URL == Unknown {
		return ""
	}
	u, err := url.Parse(j.URL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
