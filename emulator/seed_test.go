package emulator_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/emulator"
)

// loadSchema reads seed.schema.json.
func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("seed.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("seed.schema.json: %v", err)
	}
	return s
}

// docSeeds are the JSON blocks of docs/emulator-seed.md.
func docSeeds(t *testing.T) map[string][]byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "docs", "emulator-seed.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for i, m := range regexp.MustCompile("(?s)```json\n(.*?)```").FindAllSubmatch(data, -1) {
		out[fmt.Sprintf("docs/emulator-seed.md block %d", i+1)] = m[1]
	}
	if len(out) == 0 {
		t.Fatal("docs/emulator-seed.md has no ```json example")
	}
	return out
}

// Every seed we ship or document is valid under the schema, parses, and
// starts an emulator.
func TestSeedsValidateAgainstSchema(t *testing.T) {
	schema := loadSchema(t)
	seeds := docSeeds(t)
	def, err := json.Marshal(emulator.DefaultSeed())
	if err != nil {
		t.Fatal(err)
	}
	seeds["DefaultSeed()"] = def
	files, _ := filepath.Glob(filepath.Join("testdata", "seeds", "*.json"))
	if len(files) == 0 {
		t.Fatal("no testdata/seeds/*.json")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds[f] = data
	}
	for name, data := range seeds {
		t.Run(name, func(t *testing.T) {
			var doc any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if errs := validate(schema, schema, doc, ""); len(errs) > 0 {
				t.Fatalf("invalid under seed.schema.json:\n%s", strings.Join(errs, "\n"))
			}
			seed, err := emulator.ParseSeed(data)
			if err != nil {
				t.Fatalf("ParseSeed: %v", err)
			}
			e, err := emulator.New(emulator.Options{Seed: seed})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			e.Close()
		})
	}
}

// The schema and the Go type describe the same keys, so neither drifts when
// a seed field is added.
func TestSchemaMatchesSeedType(t *testing.T) {
	schema := loadSchema(t)
	var walk func(path string, typ reflect.Type, node map[string]any)
	walk = func(path string, typ reflect.Type, node map[string]any) {
		node = deref(schema, node)
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
			if items, ok := node["items"].(map[string]any); ok {
				node = deref(schema, items)
			}
		}
		if typ.Kind() != reflect.Struct {
			return
		}
		props, _ := node["properties"].(map[string]any)
		if node["additionalProperties"] != false {
			t.Errorf("%s: schema must set additionalProperties: false (ParseSeed rejects unknown keys)", path)
		}
		goKeys := map[string]bool{}
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			goKeys[name] = true
			sub, ok := props[name].(map[string]any)
			if !ok {
				t.Errorf("%s.%s: Go field %s has no schema property", path, name, f.Name)
				continue
			}
			required := false
			if req, ok := node["required"].([]any); ok {
				for _, r := range req {
					required = required || r == name
				}
			}
			if required && strings.Contains(opts, "omitempty") {
				t.Errorf("%s.%s: required in the schema but omitempty in Go", path, name)
			}
			walk(path+"."+name, f.Type, sub)
		}
		for k := range props {
			if !goKeys[k] {
				t.Errorf("%s.%s: schema property has no Go field (ParseSeed would reject it)", path, k)
			}
		}
	}
	walk("seed", reflect.TypeOf(emulator.Seed{}), schema)
}

// A key the format does not define is rejected by the schema and by
// ParseSeed, which names it by its path.
func TestParseSeedRejectsUnknownKeys(t *testing.T) {
	schema := loadSchema(t)
	tests := []struct {
		name, doc, wantErr string
	}{
		{"top-level typo", `{"project": [{"projectId": "demo-project", "projectNumber": "1"}]}`,
			`unknown field "project" (allowed there: projects, serviceAccounts, runServices, functions, nonexistentPrincipals)`},
		{"nested typo", `{"projects": [{"projectId": "demo-project", "projectNumber": "1"}], "functions": [{"project": "demo-project", "location": "us-central1", "name": "f", "gen": "GEN_2"}]}`,
			`unknown field "functions[0].gen" (allowed there: project, location, name, generation)`},
		{"second element", `{"projects": [{"projectId": "demo-project", "projectNumber": "1"}], "serviceAccounts": [{"project": "demo-project", "accountId": "caller-one"}, {"project": "demo-project", "accountID": "caller-two", "email": "x"}]}`,
			`unknown field "serviceAccounts[1].email"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var doc any
			if err := json.Unmarshal([]byte(tc.doc), &doc); err != nil {
				t.Fatal(err)
			}
			if errs := validate(schema, schema, doc, ""); len(errs) == 0 {
				t.Errorf("the schema accepts it")
			}
			_, err := emulator.ParseSeed([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("ParseSeed error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestParseSeedOtherErrors(t *testing.T) {
	tests := []struct{ name, doc, wantErr string }{
		{"not JSON", `{"projects": [`, "not valid JSON"},
		{"wrong type", `{"projects": {"projectId": "demo-project"}}`, "cannot unmarshal object"},
		{"two documents", `{"projects": []} {"projects": []}`, "unexpected data after the seed object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := emulator.ParseSeed([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestLoadSeedNamesFileAndField(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(path, []byte(`{"projects": [{"projectId": "demo-project", "projectNumber": "1"}], "runService": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := emulator.LoadSeed(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `unknown field "runService"`) {
		t.Fatalf("err = %v, want the file and the field named", err)
	}
}

// The validator below must reject what the schema forbids, or the tests
// above prove nothing.
func TestSchemaValidatorRejects(t *testing.T) {
	schema := loadSchema(t)
	bad := map[string]string{
		"no projects":         `{}`,
		"empty projects":      `{"projects": []}`,
		"bad project id":      `{"projects": [{"projectId": "Demo", "projectNumber": "1"}]}`,
		"number not digits":   `{"projects": [{"projectId": "demo-project", "projectNumber": "12a"}]}`,
		"missing number":      `{"projects": [{"projectId": "demo-project"}]}`,
		"bad generation":      `{"projects": [{"projectId": "demo-project", "projectNumber": "1"}], "functions": [{"project": "demo-project", "location": "us-central1", "name": "f", "generation": "GEN_3"}]}`,
		"short account id":    `{"projects": [{"projectId": "demo-project", "projectNumber": "1"}], "serviceAccounts": [{"project": "demo-project", "accountId": "abc"}]}`,
		"boolean as a string": `{"projects": [{"projectId": "demo-project", "projectNumber": "1", "withoutServiceAgentGrants": "yes"}]}`,
	}
	for name, doc := range bad {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatal(err)
		}
		if errs := validate(schema, schema, v, ""); len(errs) == 0 {
			t.Errorf("%s: the schema accepts %s", name, doc)
		}
	}
}

// validate checks v against the subset of JSON Schema seed.schema.json
// uses: type, properties, required, additionalProperties false, items,
// minItems, enum, pattern, minLength, maxLength and local $ref.
func validate(root, node map[string]any, v any, path string) []string {
	node = deref(root, node)
	var errs []string
	fail := func(format string, a ...any) { errs = append(errs, "/"+path+": "+fmt.Sprintf(format, a...)) }
	switch want := node["type"]; want {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			fail("want an object")
			return errs
		}
		props, _ := node["properties"].(map[string]any)
		if req, ok := node["required"].([]any); ok {
			for _, r := range req {
				if _, ok := obj[r.(string)]; !ok {
					fail("missing required %q", r)
				}
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub, ok := props[k].(map[string]any)
			if !ok {
				if node["additionalProperties"] == false {
					fail("property %q is not allowed", k)
				}
				continue
			}
			errs = append(errs, validate(root, sub, obj[k], path+"/"+k)...)
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			fail("want an array")
			return errs
		}
		if mi, ok := node["minItems"].(float64); ok && float64(len(arr)) < mi {
			fail("want at least %v items", mi)
		}
		if items, ok := node["items"].(map[string]any); ok {
			for i, el := range arr {
				errs = append(errs, validate(root, items, el, fmt.Sprintf("%s/%d", path, i))...)
			}
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			fail("want a string")
			return errs
		}
		if p, ok := node["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(s) {
			fail("%q does not match %s", s, p)
		}
		if n, ok := node["minLength"].(float64); ok && float64(len(s)) < n {
			fail("%q is shorter than %v", s, n)
		}
		if n, ok := node["maxLength"].(float64); ok && float64(len(s)) > n {
			fail("%q is longer than %v", s, n)
		}
		if enum, ok := node["enum"].([]any); ok {
			found := false
			for _, e := range enum {
				found = found || e == s
			}
			if !found {
				fail("%q is not one of %v", s, enum)
			}
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			fail("want a boolean")
		}
	default:
		fail("validator does not support type %v", want)
	}
	return errs
}

// deref follows a local "$ref": "#/$defs/NAME".
func deref(root, node map[string]any) map[string]any {
	if ref, ok := node["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/$defs/")
		return root["$defs"].(map[string]any)[name].(map[string]any)
	}
	return node
}
