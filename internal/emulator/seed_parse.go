package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
)

// ParseSeed decodes a seed document strictly: a key the format does not
// define is an error naming it by its path (`runServices[0].nmae`) and
// listing the keys allowed there, so a typo does not silently drop a
// resource. The format is documented in docs/emulator-seed.md and
// emulator/seed.schema.json.
func ParseSeed(data []byte) (*Seed, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			// encoding/json names the key but not where it is; find it.
			var raw any
			if json.Unmarshal(data, &raw) == nil {
				if path, allowed, ok := unknownSeedField(raw, reflect.TypeOf(s), ""); ok {
					return nil, fmt.Errorf("unknown field %q (allowed there: %s)", path, strings.Join(allowed, ", "))
				}
			}
		}
		var syn *json.SyntaxError
		switch {
		case errors.As(err, &syn):
			return nil, fmt.Errorf("not valid JSON (at byte %d): %w", syn.Offset, err)
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return nil, fmt.Errorf("not valid JSON: the document ends too early")
		}
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("unexpected data after the seed object")
	}
	return &s, nil
}

// unknownSeedField walks a decoded JSON value alongside the Go type it
// decodes into and returns the path of the first key (in sorted order) that
// the type has no field for, with the keys allowed at that level.
func unknownSeedField(v any, t reflect.Type, path string) (string, []string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch x := v.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return "", nil, false
		}
		fields := map[string]reflect.Type{}
		var allowed []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			fields[name] = f.Type
			allowed = append(allowed, name)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			ft, ok := fields[k]
			if !ok {
				// encoding/json matches keys case-insensitively.
				for name, typ := range fields {
					if strings.EqualFold(name, k) {
						ft, ok = typ, true
						break
					}
				}
			}
			if !ok {
				return p, allowed, true
			}
			if fp, fa, found := unknownSeedField(x[k], ft, p); found {
				return fp, fa, true
			}
		}
	case []any:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return "", nil, false
		}
		for i, el := range x {
			if fp, fa, found := unknownSeedField(el, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); found {
				return fp, fa, true
			}
		}
	}
	return "", nil, false
}
