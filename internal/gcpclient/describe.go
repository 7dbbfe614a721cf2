package gcpclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"google.golang.org/api/googleapi"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
)

// Describe turns an error met while doing action on resource into a
// diagnostic summary and detail a user can act on. It never includes tokens.
//
// action is either a key of the form "api.collection.method" (the emulator's
// call-counter names, e.g. "run.services.setIamPolicy",
// "cloudscheduler.jobs.create"), which also tells the IAM permission needed,
// or free text read before the resource ("reading"). resource names the
// target, e.g. `Cloud Run service "projects/p/locations/l/services/s"`.
func Describe(err error, action, resource string) (summary, detail string) {
	if err == nil {
		return "", ""
	}
	what := whatPhrase(action, resource)
	while := func(s string) string {
		if what == "" {
			return s
		}
		return s + " while " + what
	}
	target := resource
	if target == "" {
		target = "the resource"
	}

	var credErr *CredentialsError
	var opTimeout *OperationTimeoutError
	var opErr *OperationError
	switch {
	case errors.As(err, &credErr):
		return while("No usable Google credentials"), credentialsAdvice(credErr)
	case errors.As(err, &opTimeout), errors.Is(err, context.DeadlineExceeded):
		return while("Timed out"), fmt.Sprintf("%s\n\nThe operation did not finish in time. Raise the resource's `timeouts` (or the provider's `request_timeout` for single API calls) and apply again; "+
			"the change may still complete on Google's side, so a later plan shows its outcome.", scrub(err.Error()))
	case errors.Is(err, context.Canceled):
		return while("Cancelled"), "The request was cancelled before it finished (for example by Ctrl-C). Apply again to finish the change."
	case errors.As(err, &opErr):
		return describeAPI(opErr.asAPIError(), action, target, while)
	}
	if _, ok := gcperr.As(err); ok {
		return describeAPI(err, action, target, while)
	}
	return while("Request failed"), scrub(err.Error())
}

func whatPhrase(action, resource string) string {
	phrase := action
	if a, ok := actions[action]; ok {
		phrase = a.phrase
	}
	return strings.TrimSpace(phrase + " " + resource)
}

// describeAPI explains a *googleapi.Error by its HTTP status.
func describeAPI(err error, action, target string, while func(string) string) (string, string) {
	msg := scrub(gcperr.Message(err))
	said := "Google answered: " + msg
	if msg == "" {
		said = fmt.Sprintf("Google answered HTTP %d.", gcperr.Code(err))
	}
	code := gcperr.Code(err)
	switch {
	case code == http.StatusBadRequest:
		if sa, ok := gcperr.MissingServiceAccount(err); ok && errors.Is(err, gcperr.ErrServiceAccountMissing) {
			return while("Service account does not exist"), fmt.Sprintf("%s\n\nThe service account %s does not exist: it was looked up (iam serviceAccounts.get) and not found. "+
				"Create the account or fix the member.", said, sa)
		}
		if sa, ok := gcperr.MissingServiceAccount(err); ok {
			return while("Service account does not exist"), fmt.Sprintf("%s\n\nThe service account %s does not exist, or it was created moments ago and IAM cannot see it yet (IAM is eventually consistent). "+
				"Check the email; if the account was just created, apply again in a few seconds.", said, sa)
		}
		return while("Invalid request"), said
	case code == http.StatusUnauthorized:
		return while("Authentication failed"), said + "\n\nThe credentials are invalid or have expired. With Application Default Credentials, refresh them with " +
			"`gcloud auth application-default login`. An `access_token` lasts about an hour: fetch a new one " +
			"(`gcloud auth print-access-token`). A `credentials` key file may have been deleted or disabled."
	case code == http.StatusForbidden:
		if api, ok := serviceDisabled(err); ok {
			return while("API not enabled"), fmt.Sprintf("%s\n\nEnable the API in the project (`gcloud services enable %s`), wait a minute, and apply again.", said, api)
		}
		return while("Permission denied"), said + "\n\n" + permissionAdvice(err, action, target)
	case code == http.StatusNotFound:
		return while("Not found"), fmt.Sprintf("%s\n\n%s does not exist. Check the project, location and name (and the provider's `project` and `region` defaults).", said, capitalize(target))
	case gcperr.IsAlreadyExists(err):
		return while("Already exists"), fmt.Sprintf("%s\n\n%s already exists. Bring it under Terraform with an `import` block (or `terraform import`), or choose another name.", said, capitalize(target))
	case gcperr.IsConcurrentPolicyChange(err) && readAction(gcperr.Method(err), action):
		return while("Request aborted"), fmt.Sprintf("%s\n\nGoogle aborted reading %s (HTTP %d, a conflict with a concurrent request) and kept doing so through the retries "+
			"within the request timeout. Nothing was written. Apply again; raise the provider's `request_timeout` if it keeps happening.", said, target, code)
	case gcperr.IsConcurrentPolicyChange(err):
		return while("Concurrent change"), fmt.Sprintf("%s\n\nSomething else changed %s at the same time (its etag changed between read and write) and the retries did not settle. "+
			"Apply again; if it keeps happening, look for another tool or Terraform configuration that manages the same IAM policy.", said, target)
	case code == http.StatusTooManyRequests:
		return while("Quota exceeded"), said + "\n\nGoogle rate-limited the request and the retries within the request timeout did not get through. " +
			"Wait and apply again, lower Terraform's `-parallelism`, or raise the quota."
	case code >= 500:
		return while("Google API unavailable"), said + "\n\nThe API failed on Google's side and the retries within the request timeout did not get through. Apply again later."
	default:
		return while(fmt.Sprintf("Request failed (HTTP %d)", code)), said
	}
}

// permissionAdvice names the permission that was missing and how to get it.
func permissionAdvice(err error, action, target string) string {
	perm := permissionFromError(err)
	if perm == "" {
		perm, _ = Permission(action)
	}
	who := "The identity Terraform runs as"
	fix := "Grant it to that identity, or run as one that has it (see the provider's `credentials`, `access_token` and `impersonate_service_account`)."
	if perm == "" {
		return who + " lacks a permission on " + target + ". " + fix
	}
	out := fmt.Sprintf("%s needs the permission `%s` on %s", who, perm, target)
	if role := roleFor(perm); role != "" {
		out += fmt.Sprintf(" (included in `%s`)", role)
	}
	out += ". " + fix
	if strings.HasPrefix(action, "iam.serviceAccounts.") {
		out += " Google also answers 403 when the service account does not exist: check its email."
	}
	return out
}

var permissionRe = regexp.MustCompile(`(?i)permissions?\s*[:'"‘“]*\s*([a-z][a-z0-9]*\.[a-z][a-zA-Z0-9]*\.[a-z][a-zA-Z0-9]*)`)

// permissionFromError returns the permission Google names in an error's
// ErrorInfo metadata or message, or "".
func permissionFromError(err error) string {
	if gerr, ok := gcperr.As(err); ok {
		for _, d := range gerr.Details {
			if m, ok := d.(map[string]any); ok {
				if md, ok := m["metadata"].(map[string]any); ok {
					if p, ok := md["permission"].(string); ok && p != "" {
						return p
					}
				}
			}
		}
	}
	if m := permissionRe.FindStringSubmatch(gcperr.Message(err)); m != nil {
		return m[1]
	}
	return ""
}

var disabledAPIRe = regexp.MustCompile(`([a-z0-9-]+\.googleapis\.com)`)

// serviceDisabled reports a 403 SERVICE_DISABLED and the API to enable.
func serviceDisabled(err error) (string, bool) {
	gerr, ok := gcperr.As(err)
	if !ok {
		return "", false
	}
	for _, d := range gerr.Details {
		m, ok := d.(map[string]any)
		if !ok || m["reason"] != "SERVICE_DISABLED" {
			continue
		}
		if md, ok := m["metadata"].(map[string]any); ok {
			if s, ok := md["service"].(string); ok && s != "" {
				return s, true
			}
		}
		return "SERVICE", true
	}
	msg := gcperr.Message(err)
	if strings.Contains(msg, "has not been used in project") || strings.Contains(msg, "it is disabled") {
		if m := disabledAPIRe.FindString(msg); m != "" {
			return m, true
		}
		return "SERVICE", true
	}
	return "", false
}

func credentialsAdvice(e *CredentialsError) string {
	out := scrub(e.Error()) + "\n\n"
	if strings.HasPrefix(e.Source, "impersonation") {
		return out + "The base credentials must hold `iam.serviceAccounts.getAccessToken` on the impersonated service account " +
			"(`roles/iam.serviceAccountTokenCreator`), and the account must exist. Check `impersonate_service_account`."
	}
	return out + "Log in with `gcloud auth application-default login`, or set the provider's `credentials` (a key file path or its JSON; " +
		"env GOOGLE_CREDENTIALS) or `access_token` (env GOOGLE_OAUTH_ACCESS_TOKEN). GOOGLE_APPLICATION_CREDENTIALS, if set, must name a readable key file."
}

// asAPIError maps a failed operation's google.rpc.Code to the HTTP error
// Google would have answered, so it is explained the same way.
func (e *OperationError) asAPIError() *googleapi.Error {
	httpCode := map[int]int{
		1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429,
		9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
	}[e.Code]
	if httpCode == 0 {
		httpCode = 500
	}
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": httpCode, "message": e.Message, "status": rpcCodeName(e.Code)}})
	return &googleapi.Error{Code: httpCode, Message: e.Message, Body: string(body)}
}

// readAction reports whether the failed call was a read: the method recorded in
// the error (gcperr.CallError) when there is one, else the action.
func readAction(method, action string) bool {
	m := method
	if m == "" {
		m = action[strings.LastIndex(action, ".")+1:]
	}
	return m == "getIamPolicy" || m == "reading" || strings.HasPrefix(m, "get") || strings.HasPrefix(m, "list")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
