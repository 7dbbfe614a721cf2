package discovery

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Problem is one way a request or response departs from the document.
type Problem struct {
	// Path is where: a JSON path into the body ("job.retryConfig.maxDoublings",
	// "bindings[0].role"), "?name" for a query parameter, "" for the whole
	// message.
	Path string
	Msg  string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// ValidateBody checks a JSON body against a schema of the document (a
// method's Request or Response, or any {"$ref": …}). An empty body is an
// empty message.
func (d *Document) ValidateBody(s *Schema, body []byte) []Problem {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []Problem{{Msg: "not JSON: " + err.Error()}}
	}
	if dec.More() {
		return []Problem{{Msg: "trailing data after the JSON value"}}
	}
	var out []Problem
	d.validate(&out, s, v, "")
	return out
}

// ValidateValue checks a decoded JSON value (json.Number for numbers).
func (d *Document) ValidateValue(s *Schema, v any) []Problem {
	var out []Problem
	d.validate(&out, s, v, "")
	return out
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func (d *Document) validate(out *[]Problem, s *Schema, v any, path string) {
	add := func(format string, args ...any) {
		*out = append(*out, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if s == nil {
		return
	}
	if s.Ref != "" {
		ref := d.Schemas[s.Ref]
		if ref == nil {
			add("schema %q is not in the document", s.Ref)
			return
		}
		s = ref
	}
	if v == nil { // proto3 JSON: null is the default value of any field
		return
	}
	typ := s.Type
	if typ == "" && (s.Properties != nil || s.AdditionalProperties != nil) {
		typ = "object"
	}
	switch typ {
	case "any", "":
		return
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			add("is %s, want an object", jsonKind(v))
			return
		}
		if s.AdditionalProperties != nil && s.AdditionalProperties.Type == "any" && len(s.Properties) == 0 {
			d.validateAny(out, obj, path)
			return
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p := s.Properties[k]; p != nil {
				d.validate(out, p, obj[k], join(path, k))
				continue
			}
			if s.AdditionalProperties != nil {
				d.validate(out, s.AdditionalProperties, obj[k], join(path, k))
				continue
			}
			*out = append(*out, Problem{Path: join(path, k), Msg: fmt.Sprintf("unknown field (not in %s)", or(s.ID, "the schema"))})
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			add("is %s, want an array", jsonKind(v))
			return
		}
		for i, e := range arr {
			d.validate(out, s.Items, e, fmt.Sprintf("%s[%d]", path, i))
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			if s.Format == "int64" || s.Format == "uint64" {
				add("is %s, want a %s as a JSON string (\"123\")", jsonKind(v), s.Format)
				return
			}
			add("is %s, want a string", jsonKind(v))
			return
		}
		if msg := checkStringFormat(s.Format, str); msg != "" {
			add("%s", msg)
		}
		if len(s.Enum) > 0 && !contains(s.Enum, str) {
			add("%q is not one of the enum values %s", str, strings.Join(s.Enum, ", "))
		}
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			add("is %s, want a JSON number (%s)", jsonKind(v), or(s.Format, "integer"))
			return
		}
		var err error
		if s.Format == "uint32" {
			_, err = strconv.ParseUint(n.String(), 10, 32)
		} else {
			_, err = strconv.ParseInt(n.String(), 10, 32)
		}
		if err != nil {
			add("%s is not a %s", n, or(s.Format, "int32"))
		}
	case "number":
		switch x := v.(type) {
		case json.Number:
		case string:
			if x != "NaN" && x != "Infinity" && x != "-Infinity" {
				add("is a string %q, want a JSON number", x)
			}
		default:
			add("is %s, want a JSON number", jsonKind(v))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			add("is %s, want a boolean", jsonKind(v))
		}
	default:
		add("schema type %q is not supported by the validator", typ)
	}
}

// validateAny checks a google.protobuf.Any ({"@type": URL, …fields}): the
// fields must fit the schema the type URL names when the document has it
// (google.cloud.run.v2.Service → GoogleCloudRunV2Service, or Service).
// google.protobuf.Empty must have no fields; a google.cloud.* type the
// document does not have is a problem; other types (google.rpc.*) are
// accepted unchecked.
func (d *Document) validateAny(out *[]Problem, obj map[string]any, path string) {
	t, ok := obj["@type"].(string)
	if !ok {
		*out = append(*out, Problem{Path: join(path, "@type"), Msg: "a google.protobuf.Any needs an @type string"})
		return
	}
	s := d.schemaForTypeURL(t)
	full := t[strings.LastIndex(t, "/")+1:]
	switch {
	case s != nil:
	case full == "google.protobuf.Empty":
		for k := range obj {
			if k != "@type" {
				*out = append(*out, Problem{Path: join(path, k), Msg: "unknown field (google.protobuf.Empty has none)"})
			}
		}
		return
	case strings.HasPrefix(full, "google.cloud."):
		*out = append(*out, Problem{Path: join(path, "@type"), Msg: fmt.Sprintf("%q names a message this API's document does not have", t)})
		return
	default:
		return // google.rpc.*, google.protobuf.*: not described by the document
	}
	rest := make(map[string]any, len(obj))
	for k, v := range obj {
		if k != "@type" {
			rest[k] = v
		}
	}
	d.validate(out, s, rest, path)
}

// schemaForTypeURL maps "type.googleapis.com/google.cloud.run.v2.Service"
// to the document's schema of that message.
func (d *Document) schemaForTypeURL(t string) *Schema {
	full := t[strings.LastIndex(t, "/")+1:]
	parts := strings.Split(full, ".")
	var camel strings.Builder
	for _, p := range parts {
		camel.WriteString(goName(p))
	}
	if s := d.Schemas[camel.String()]; s != nil {
		return s
	}
	if s := d.Schemas[parts[len(parts)-1]]; s != nil && strings.HasPrefix(full, "google.cloud.") {
		return s
	}
	return nil
}

var (
	durationRE  = regexp.MustCompile(`^-?[0-9]+(\.[0-9]{1,9})?s$`)
	fieldMaskRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)
	dateRE      = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// checkStringFormat checks the formats discovery documents give string
// fields: int64/uint64 (decimal in a string), google-duration ("3.5s"),
// google-datetime (RFC 3339, "Z" or an offset), byte (base64, standard or
// URL-safe alphabet, as Google's JSON parser accepts), google-fieldmask
// (comma-separated field paths) and date.
func checkStringFormat(format, v string) string {
	switch format {
	case "int64":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return fmt.Sprintf("%q is not an int64", v)
		}
	case "uint64":
		if _, err := strconv.ParseUint(v, 10, 64); err != nil {
			return fmt.Sprintf("%q is not a uint64", v)
		}
	case "google-duration":
		if !durationRE.MatchString(v) {
			return fmt.Sprintf("%q is not a google-duration (seconds with up to 9 decimals and an 's': \"3.5s\")", v)
		}
	case "google-datetime":
		if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
			return fmt.Sprintf("%q is not a google-datetime (RFC 3339, e.g. \"2024-01-02T03:04:05Z\")", v)
		}
	case "byte":
		if !isBase64(v) {
			return fmt.Sprintf("%q is not base64 (format byte)", v)
		}
	case "google-fieldmask":
		if v == "" {
			return ""
		}
		for _, p := range strings.Split(v, ",") {
			if !fieldMaskRE.MatchString(strings.TrimSpace(p)) {
				return fmt.Sprintf("%q is not a google-fieldmask (comma-separated field paths)", v)
			}
		}
	case "date":
		if !dateRE.MatchString(v) {
			return fmt.Sprintf("%q is not a date (YYYY-MM-DD)", v)
		}
	}
	return ""
}

func isBase64(v string) bool {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if _, err := enc.DecodeString(v); err == nil {
			return true
		}
	}
	return false
}

func jsonKind(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("a string %q", x)
	case json.Number:
		return "a number " + x.String()
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
