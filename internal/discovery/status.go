package discovery

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Google answers every failed REST call with the google.rpc.Status JSON
// envelope (https://cloud.google.com/apis/design/errors#http_mapping):
//
//	{"error": {"code": 404, "message": "…", "status": "NOT_FOUND",
//	           "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", …}]}}
//
// code is the HTTP status, status the canonical code name, which must map to
// that HTTP status. The discovery documents describe Status without the
// envelope and without "status", so the envelope is checked here; the
// details are checked against the google.rpc error-detail messages
// (google/rpc/error_details.proto). The Go client's apierror parses
// ErrorInfo strictly: an extra key drops every detail.

// statusHTTP is the HTTP status of each canonical code.
var statusHTTP = map[string]int{
	"CANCELLED": 499, "UNKNOWN": 500, "INVALID_ARGUMENT": 400, "DEADLINE_EXCEEDED": 504,
	"NOT_FOUND": 404, "ALREADY_EXISTS": 409, "PERMISSION_DENIED": 403, "UNAUTHENTICATED": 401,
	"RESOURCE_EXHAUSTED": 429, "FAILED_PRECONDITION": 400, "ABORTED": 409, "OUT_OF_RANGE": 400,
	"UNIMPLEMENTED": 501, "INTERNAL": 500, "UNAVAILABLE": 503, "DATA_LOSS": 500,
}

func str() *Schema                     { return &Schema{Type: "string"} }
func ref(name string) *Schema          { return &Schema{Ref: name} }
func arr(items *Schema) *Schema        { return &Schema{Type: "array", Items: items} }
func obj(p map[string]*Schema) *Schema { return &Schema{Type: "object", Properties: p} }

// errorDetails is google/rpc/error_details.proto as a discovery document.
var errorDetails = func() *Document {
	d := &Document{Name: "google.rpc", Version: "error_details", Schemas: map[string]*Schema{
		"ErrorInfo": obj(map[string]*Schema{"reason": str(), "domain": str(),
			"metadata": {Type: "object", AdditionalProperties: str()}}),
		"RetryInfo": obj(map[string]*Schema{"retryDelay": {Type: "string", Format: "google-duration"}}),
		"DebugInfo": obj(map[string]*Schema{"stackEntries": arr(str()), "detail": str()}),
		"QuotaFailure": obj(map[string]*Schema{"violations": arr(obj(map[string]*Schema{
			"subject": str(), "description": str()}))}),
		"PreconditionFailure": obj(map[string]*Schema{"violations": arr(obj(map[string]*Schema{
			"type": str(), "subject": str(), "description": str()}))}),
		"BadRequest": obj(map[string]*Schema{"fieldViolations": arr(obj(map[string]*Schema{
			"field": str(), "description": str(), "reason": str(), "localizedMessage": ref("LocalizedMessage")}))}),
		"RequestInfo":      obj(map[string]*Schema{"requestId": str(), "servingData": str()}),
		"ResourceInfo":     obj(map[string]*Schema{"resourceType": str(), "resourceName": str(), "owner": str(), "description": str()}),
		"Help":             obj(map[string]*Schema{"links": arr(obj(map[string]*Schema{"description": str(), "url": str()}))}),
		"LocalizedMessage": obj(map[string]*Schema{"locale": str(), "message": str()}),
	}}
	return d
}()

// ValidateError checks an error response body against the envelope for
// HTTP status httpStatus.
func ValidateError(httpStatus int, body []byte) []Problem {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var env map[string]any
	if err := dec.Decode(&env); err != nil {
		return []Problem{{Msg: "error body is not a JSON object: " + err.Error()}}
	}
	var out []Problem
	add := func(path, format string, args ...any) {
		out = append(out, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	for k := range env {
		if k != "error" {
			add(k, "unknown key in the error envelope (only \"error\")")
		}
	}
	e, ok := env["error"].(map[string]any)
	if !ok {
		add("error", "missing or not an object")
		return out
	}
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch k {
		case "code", "message", "status", "details":
		default:
			add("error."+k, "unknown key in google.rpc.Status (code, message, status, details)")
		}
	}
	if n, ok := e["code"].(json.Number); !ok || n.String() != fmt.Sprint(httpStatus) {
		add("error.code", "is %v, want the HTTP status %d as a number", e["code"], httpStatus)
	}
	if _, ok := e["message"].(string); !ok {
		add("error.message", "missing or not a string")
	}
	st, _ := e["status"].(string)
	if want, known := statusHTTP[st]; !known {
		add("error.status", "%v is not a canonical code name (INVALID_ARGUMENT, NOT_FOUND, …)", e["status"])
	} else if want != httpStatus {
		add("error.status", "%s maps to HTTP %d, the response is %d", st, want, httpStatus)
	}
	if details, present := e["details"]; present {
		list, ok := details.([]any)
		if !ok {
			add("error.details", "not an array")
			return out
		}
		for i, dt := range list {
			path := fmt.Sprintf("error.details[%d]", i)
			m, ok := dt.(map[string]any)
			if !ok {
				add(path, "not an object")
				continue
			}
			t, _ := m["@type"].(string)
			const prefix = "type.googleapis.com/google.rpc."
			if len(t) <= len(prefix) || t[:len(prefix)] != prefix || errorDetails.Schemas[t[len(prefix):]] == nil {
				add(path+".@type", "%q is not a google.rpc error detail type", m["@type"])
				continue
			}
			rest := map[string]any{}
			for k, v := range m {
				if k != "@type" {
					rest[k] = v
				}
			}
			for _, p := range errorDetails.ValidateValue(ref(t[len(prefix):]), rest) {
				add(join(path, p.Path), "%s", p.Msg)
			}
		}
	}
	return out
}
