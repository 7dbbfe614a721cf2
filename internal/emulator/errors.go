package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is an error in Google's google.rpc.Status envelope:
//
//	{"error":{"code":409,"message":"…","status":"ABORTED","details":[…]}}
type apiError struct {
	Code    int    // HTTP status
	Status  string // canonical google.rpc.Code name
	Message string
	Reason  string // optional ErrorInfo reason
	Domain  string // optional ErrorInfo domain
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Code, e.Status, e.Message) }

// grpcCode maps a canonical status name to its numeric google.rpc.Code, used
// in long-running operation errors.
var grpcCode = map[string]int{
	"OK": 0, "CANCELLED": 1, "UNKNOWN": 2, "INVALID_ARGUMENT": 3, "DEADLINE_EXCEEDED": 4,
	"NOT_FOUND": 5, "ALREADY_EXISTS": 6, "PERMISSION_DENIED": 7, "RESOURCE_EXHAUSTED": 8,
	"FAILED_PRECONDITION": 9, "ABORTED": 10, "OUT_OF_RANGE": 11, "UNIMPLEMENTED": 12,
	"INTERNAL": 13, "UNAVAILABLE": 14, "DATA_LOSS": 15, "UNAUTHENTICATED": 16,
}

func newError(code int, status, format string, args ...any) *apiError {
	return &apiError{Code: code, Status: status, Message: fmt.Sprintf(format, args...)}
}

func errInvalid(format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, "INVALID_ARGUMENT", format, args...)
}

func errFailedPrecondition(format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, "FAILED_PRECONDITION", format, args...)
}

func errNotFound(format string, args ...any) *apiError {
	return newError(http.StatusNotFound, "NOT_FOUND", format, args...)
}

func errAlreadyExists(format string, args ...any) *apiError {
	return newError(http.StatusConflict, "ALREADY_EXISTS", format, args...)
}

func errAborted(format string, args ...any) *apiError {
	return newError(http.StatusConflict, "ABORTED", format, args...)
}

func errPermission(format string, args ...any) *apiError {
	return newError(http.StatusForbidden, "PERMISSION_DENIED", format, args...)
}

func errUnauthenticated(format string, args ...any) *apiError {
	return newError(http.StatusUnauthorized, "UNAUTHENTICATED", format, args...)
}

// errConcurrentPolicyChange is what Google answers to a setIamPolicy whose
// etag is stale.
func errConcurrentPolicyChange() *apiError {
	return errAborted("There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.")
}

// statusForCode gives the canonical status of an HTTP code used for injected
// faults.
func statusForCode(code int) string {
	switch code {
	case 400:
		return "INVALID_ARGUMENT"
	case 401:
		return "UNAUTHENTICATED"
	case 403:
		return "PERMISSION_DENIED"
	case 404:
		return "NOT_FOUND"
	case 409:
		return "ABORTED"
	case 412:
		return "FAILED_PRECONDITION"
	case 429:
		return "RESOURCE_EXHAUSTED"
	case 501:
		return "UNIMPLEMENTED"
	case 503:
		return "UNAVAILABLE"
	case 504:
		return "DEADLINE_EXCEEDED"
	default:
		return "INTERNAL"
	}
}

// rpcStatus is the JSON form of google.rpc.Status inside an operation.
type rpcStatus struct {
	Code    int    `json:"code"`
	Message string `json:"message,omitempty"`
}

func (e *apiError) rpcStatus() *rpcStatus {
	return &rpcStatus{Code: grpcCode[e.Status], Message: e.Message}
}

// writeError writes err in the google.rpc.Status envelope. Errors that are
// not *apiError become 500 INTERNAL.
func writeError(w http.ResponseWriter, err error) {
	ae, ok := err.(*apiError)
	if !ok {
		ae = newError(http.StatusInternalServerError, "INTERNAL", "Internal error encountered.")
	}
	body := map[string]any{
		"code":    ae.Code,
		"message": ae.Message,
		"status":  ae.Status,
	}
	if ae.Reason != "" {
		body["details"] = []any{map[string]any{
			"@type":  "type.googleapis.com/google.rpc.ErrorInfo",
			"reason": ae.Reason,
			"domain": ae.Domain,
		}}
	}
	writeJSON(w, ae.Code, map[string]any{"error": body})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
