// Package gcperr classifies errors returned by google.golang.org/api clients.
//
// Every helper accepts any error: it looks for a *googleapi.Error anywhere in
// the wrap chain (errors.As) and answers false / 0 / "" when there is none, so
// callers can classify without first checking the error's type.
package gcperr

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"google.golang.org/api/googleapi"
)

// As returns the *googleapi.Error in err's chain, if any.
func As(err error) (*googleapi.Error, bool) {
	var gerr *googleapi.Error
	if err == nil || !errors.As(err, &gerr) || gerr == nil {
		return nil, false
	}
	return gerr, true
}

// Code returns the HTTP status code of a Google API error, or 0 when err is
// nil or not a Google API error.
func Code(err error) int {
	gerr, ok := As(err)
	if !ok {
		return 0
	}
	return gerr.Code
}

// Status returns the canonical status string of a Google API error (for
// example "ABORTED", "ALREADY_EXISTS", "NOT_FOUND") as found in the
// response body's error.status. googleapi.Error does not keep that field, so
// it is decoded from Body; "" when absent.
func Status(err error) string {
	gerr, ok := As(err)
	if !ok || gerr.Body == "" {
		return ""
	}
	var env struct {
		Error struct {
			Status string `json:"status"`
		} `json:"error"`
	}
	if json.Unmarshal([]byte(gerr.Body), &env) != nil {
		return ""
	}
	return env.Error.Status
}

// Message returns the server's message of a Google API error: the error
// message, else the first legacy error item's message; "" when absent.
func Message(err error) string {
	gerr, ok := As(err)
	if !ok {
		return ""
	}
	if gerr.Message != "" {
		return gerr.Message
	}
	for _, item := range gerr.Errors {
		if item.Message != "" {
			return item.Message
		}
	}
	return ""
}

// messages returns every message string the error carries.
func messages(gerr *googleapi.Error) []string {
	out := []string{gerr.Message}
	for _, item := range gerr.Errors {
		out = append(out, item.Message)
	}
	return out
}

func anyMessageContains(gerr *googleapi.Error, sub string) bool {
	sub = strings.ToLower(sub)
	for _, m := range messages(gerr) {
		if strings.Contains(strings.ToLower(m), sub) {
			return true
		}
	}
	return false
}

// IsNotFound reports an HTTP 404.
func IsNotFound(err error) bool { return Code(err) == http.StatusNotFound }

// IsPermissionDenied reports an HTTP 403.
func IsPermissionDenied(err error) bool { return Code(err) == http.StatusForbidden }

// IsAlreadyExists reports an HTTP 409 meaning ALREADY_EXISTS (status in the
// body, or an "already exists" message). HTTP 409 is also used for ABORTED;
// only the status or message tells them apart.
func IsAlreadyExists(err error) bool {
	gerr, ok := As(err)
	if !ok || gerr.Code != http.StatusConflict {
		return false
	}
	switch Status(err) {
	case "ALREADY_EXISTS":
		return true
	case "":
		return anyMessageContains(gerr, "already exists")
	default:
		return false
	}
}

// IsConcurrentPolicyChange reports that a conditional setIamPolicy lost a
// race: HTTP 412, or HTTP 409 that is not ALREADY_EXISTS (Google answers a
// stale etag with 409 ABORTED "There were concurrent policy changes...").
// The whole read-modify-write should be retried.
func IsConcurrentPolicyChange(err error) bool {
	switch Code(err) {
	case http.StatusPreconditionFailed:
		return true
	case http.StatusConflict:
		return !IsAlreadyExists(err)
	default:
		return false
	}
}

var saNotFound = regexp.MustCompile(`(?i)service account (\S+?) does not exist`)

// MissingServiceAccount returns the account named in an HTTP 400 "Service
// account X does not exist." error (X as the server wrote it, an email or a
// resource name) and true; "" and false for any other error.
func MissingServiceAccount(err error) (string, bool) {
	gerr, ok := As(err)
	if !ok || gerr.Code != http.StatusBadRequest {
		return "", false
	}
	for _, m := range messages(gerr) {
		if sm := saNotFound.FindStringSubmatch(m); sm != nil {
			return strings.TrimSuffix(sm[1], "."), true
		}
	}
	return "", false
}

// IsServiceAccountNotFound reports the HTTP 400 "Service account X does not
// exist." that setIamPolicy returns when a member names an account IAM cannot
// see (yet: new accounts take seconds to become visible).
func IsServiceAccountNotFound(err error) bool {
	_, ok := MissingServiceAccount(err)
	return ok
}

// IsRetryableTransient reports errors worth retrying unchanged after a
// backoff: HTTP 429, 500, 502, 503 and 504.
func IsRetryableTransient(err error) bool {
	switch Code(err) {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	default:
		return false
	}
}

// IsInvalidArgument reports an HTTP 400: the request itself was refused
// (INVALID_ARGUMENT, or FAILED_PRECONDITION on some APIs), so sending it
// again unchanged cannot succeed.
func IsInvalidArgument(err error) bool { return Code(err) == http.StatusBadRequest }

// Messages returns every message a Google API error carries (the error's
// message, then each legacy error item's); nil for any other error.
func Messages(err error) []string {
	gerr, ok := As(err)
	if !ok {
		return nil
	}
	var out []string
	for _, m := range messages(gerr) {
		if m != "" {
			out = append(out, m)
		}
	}
	return out
}

// CallError records which API method answered with Err, so a message can
// say what was actually done: a 409 ABORTED answered to getIamPolicy is a
// read that Google asked to retry, not an etag that changed between read and
// write. It is transparent to every classifier here (they look through it).
type CallError struct {
	// Method is the API method, e.g. "getIamPolicy" or "setIamPolicy".
	Method string
	Err    error
}

func (e *CallError) Error() string { return e.Err.Error() }
func (e *CallError) Unwrap() error { return e.Err }

// Method returns the API method recorded by the outermost CallError in err's
// chain, or "".
func Method(err error) string {
	var ce *CallError
	if errors.As(err, &ce) {
		return ce.Method
	}
	return ""
}

// ErrServiceAccountMissing is in the chain of an error once the engine has
// looked the account up (iam serviceAccounts.get answered 404): the account
// does not exist, as opposed to "not visible to IAM yet".
var ErrServiceAccountMissing = errors.New("the service account does not exist")
