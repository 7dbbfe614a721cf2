package review

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// testdata/sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 schema (errata
// 01), as published in github.com/oasis-tcs/sarif-spec,
// sarif-2.1/schema/sarif-schema-2.1.0.json. It is checked with the small
// draft-04 validator below, which implements every keyword the schema uses.

type jsonSchema struct {
	root map[string]any
}

func loadSARIFSchema(t *testing.T) *jsonSchema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	return &jsonSchema{root: root}
}

// validate returns every violation of the schema s by value v at path.
func (js *jsonSchema) validate(s map[string]any, v any, path string) []string {
	if ref, ok := s["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, "#/definitions/")
		def, ok := js.root["definitions"].(map[string]any)[name].(map[string]any)
		if !found || !ok {
			return []string{path + ": unresolvable $ref " + ref}
		}
		return js.validate(def, v, path)
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	if typ, ok := s["type"]; ok && !typeMatches(typ, v) {
		fail("type %v, got %T", typ, v)
		return errs
	}
	if enum, ok := s["enum"].([]any); ok {
		match := false
		for _, e := range enum {
			if reflect.DeepEqual(e, v) {
				match = true
			}
		}
		if !match {
			fail("%v not in enum %v", v, enum)
		}
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		alts, ok := s[key].([]any)
		if !ok {
			continue
		}
		n := 0
		for _, a := range alts {
			if len(js.validate(a.(map[string]any), v, path)) == 0 {
				n++
			}
		}
		if n == 0 || (key == "oneOf" && n != 1) {
			fail("%s: %d alternatives match", key, n)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := x[r.(string)]; !ok {
					fail("missing required %q", r)
				}
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, js.validate(ps, x[k], path+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("property %q not allowed", k)
				}
			case map[string]any:
				errs = append(errs, js.validate(ap, x[k], path+"."+k)...)
			}
		}
	case []any:
		if min, ok := s["minItems"].(float64); ok && float64(len(x)) < min {
			fail("%d items, want at least %v", len(x), min)
		}
		if u, _ := s["uniqueItems"].(bool); u {
			for i := range x {
				for k := i + 1; k < len(x); k++ {
					if reflect.DeepEqual(x[i], x[k]) {
						fail("items %d and %d are equal", i, k)
					}
				}
			}
		}
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range x {
				errs = append(errs, js.validate(items, e, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	case float64:
		if min, ok := s["minimum"].(float64); ok && x < min {
			fail("%v < minimum %v", x, min)
		}
		if max, ok := s["maximum"].(float64); ok && x > max {
			fail("%v > maximum %v", x, max)
		}
	case string:
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			fail("%q does not match %s", x, p)
		}
		if f, _ := s["format"].(string); f == "uri" || f == "uri-reference" {
			u, err := url.Parse(x)
			if err != nil || (f == "uri" && u.Scheme == "") {
				fail("%q is not a %s", x, f)
			}
		}
	}
	return errs
}

func typeMatches(typ, v any) bool {
	if list, ok := typ.([]any); ok {
		for _, t := range list {
			if typeMatches(t, v) {
				return true
			}
		}
		return false
	}
	switch typ {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f)
	case "null":
		return v == nil
	}
	return false
}

// The validator itself must reject what the schema forbids, or passing it
// proves nothing.
func TestSARIFSchemaValidatorRejects(t *testing.T) {
	js := loadSARIFSchema(t)
	for name, doc := range map[string]string{
		"wrong version":  `{"version":"2.0.0","runs":[]}`,
		"no driver":      `{"version":"2.1.0","runs":[{"tool":{}}]}`,
		"bad level":      `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"high"}]}]}`,
		"line zero":      `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.tf"},"region":{"startLine":0}}}]}]}]}`,
		"unknown member": `{"version":"2.1.0","runs":[],"extra":1}`,
	} {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatal(err)
		}
		if errs := js.validate(js.root, v, "$"); len(errs) == 0 {
			t.Errorf("%s: the validator accepted %s", name, doc)
		}
	}
}

// Every plan's SARIF is valid SARIF 2.1.0, with and without locations.
func TestSARIFValidatesAgainstSchema(t *testing.T) {
	js := loadSARIFSchema(t)
	locs, err := Locate(filepath.Join("testdata", "configs", "risky"))
	if err != nil {
		t.Fatal(err)
	}
	plans, _ := filepath.Glob(filepath.Join("testdata", "plans", "*.json"))
	for _, path := range plans {
		for _, withLocs := range []bool{false, true} {
			opts := SARIFOptions{ToolVersion: "v1.2.3"}
			if withLocs {
				opts.Locations = locs
			}
			var buf bytes.Buffer
			if err := WriteSARIF(&buf, analyzeFile(t, path), opts); err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			for _, e := range js.validate(js.root, v, "$") {
				t.Errorf("%s (locations %v): %s", filepath.Base(path), withLocs, e)
			}
		}
	}
}

// lineOf returns the 1-based line of the first line of file starting with prefix.
func lineOf(t *testing.T, file, prefix string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line starting with %q", file, prefix)
	return 0
}

// The risky plan's SARIF: one rule per finding kind, one result per finding
// with the level of its severity, located at the block that causes it.
func TestSARIFRisky(t *testing.T) {
	dir := filepath.Join("testdata", "configs", "risky")
	locs, err := Locate(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := realReport(t, "risky")
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, r, SARIFOptions{Locations: locs}); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	var ids []string
	for _, rl := range run.Tool.Driver.Rules {
		ids = append(ids, rl.ID)
		if !strings.Contains(rl.Help.Text, "Fix:") {
			t.Errorf("rule %s: help %q has no fix", rl.ID, rl.Help.Text)
		}
	}
	want := []string{CodePublicInvoker, CodeBroadImpersonation, CodeOAuthNonGoogle, CodeBrokenChain, CodeAuthoritativeRemoval, CodeAudiencePath, CodeNoInvoker}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("rules %v, want %v", ids, want)
	}
	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(r.Findings))
	}
	main := filepath.ToSlash(filepath.Join(dir, "main.tf"))
	for i, res := range run.Results {
		f := r.Findings[i]
		if res.RuleID != f.Code || run.Tool.Driver.Rules[res.RuleIndex].ID != f.Code {
			t.Errorf("result %d: rule %s (index %d), want %s", i, res.RuleID, res.RuleIndex, f.Code)
		}
		if want := map[Severity]string{High: "error", Medium: "warning", Info: "note"}[f.Severity]; res.Level != want {
			t.Errorf("%s: level %s, want %s", f.Code, res.Level, want)
		}
		typ, name, _ := strings.Cut(f.Address, ".")
		line := lineOf(t, main, fmt.Sprintf("resource %q %q", typ, name))
		pl := res.Locations[0].PhysicalLocation
		if pl == nil || pl.ArtifactLocation.URI != main || pl.Region.StartLine != line {
			t.Errorf("%s %s: location %+v, want %s line %d", f.Code, f.Address, pl, main, line)
		}
		if !strings.Contains(res.Message.Text, "Fix: "+oneLine(f.Fix)) {
			t.Errorf("%s: message %q lacks the fix", f.Code, res.Message.Text)
		}
	}
}

// Locate follows local module calls (nested too) and skips registry ones.
func TestLocate(t *testing.T) {
	dir := filepath.Join("testdata", "locate")
	locs, err := Locate(dir)
	if err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(dir, "modules", "app", "main.tf")
	inner := filepath.Join(dir, "modules", "app", "inner", "jobs.tf")
	want := map[string]Location{
		"gcpinvoke_service_account.caller": {File: filepath.ToSlash(filepath.Join(dir, "main.tf")),
			Line: lineOf(t, filepath.Join(dir, "main.tf"), `resource "gcpinvoke_service_account"`), Column: 1},
		"module.app.data.gcpinvoke_run_service.svc": {File: filepath.ToSlash(app), Line: lineOf(t, app, `data "gcpinvoke_run_service"`), Column: 1},
		"module.app.gcpinvoke_run_service_iam_member.public": {File: filepath.ToSlash(app),
			Line: lineOf(t, app, `resource "gcpinvoke_run_service_iam_member"`), Column: 1},
		"module.app.module.inner.gcpinvoke_scheduler_job.call": {File: filepath.ToSlash(inner),
			Line: lineOf(t, inner, `resource "gcpinvoke_scheduler_job"`), Column: 1},
	}
	if !reflect.DeepEqual(map[string]Location(locs), want) {
		t.Errorf("Locate =\n%v\nwant\n%v", locs, want)
	}
	if l, ok := locs.lookup(`module.app.module.inner.gcpinvoke_scheduler_job.call["a"]`); !ok || l.File != filepath.ToSlash(inner) {
		t.Errorf("an instance address does not resolve to its block: %+v %v", l, ok)
	}
	if _, err := Locate(filepath.Join(dir, "nope")); err == nil {
		t.Error("Locate of a directory without .tf files succeeded")
	}
}
