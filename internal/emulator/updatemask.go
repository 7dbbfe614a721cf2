package emulator

import (
	"encoding/json"
	"strings"
)

// Update masks of the emulated Patch methods: parsing a mask into camelCase
// field paths and copying those paths from a request body onto a resource.

// decodeBody reads a request body both as a JSON object (which tells the
// fields the caller sent, for update masks) and as the typed resource T.
func decodeBody[T any](r *request) (map[string]any, *T, error) {
	var raw map[string]any
	if err := r.Decode(&raw); err != nil {
		return nil, nil, err
	}
	if raw == nil {
		raw = map[string]any{}
	}
	data, _ := json.Marshal(raw)
	out := new(T)
	if err := json.Unmarshal(data, out); err != nil {
		return nil, nil, errInvalid("Invalid JSON payload received. %v", err)
	}
	return raw, out, nil
}

// maskPaths turns a comma-separated update mask into camelCase dotted
// paths, skipping empty entries and paths under an output-only field; check
// refuses a path (p as written, segs its camelCase segments).
func maskPaths(mask string, outputOnly map[string]bool, check func(p string, segs []string) error) ([]string, error) {
	var paths []string
	for _, p := range strings.Split(mask, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		segs := strings.Split(p, ".")
		for i, s := range segs {
			segs[i] = snakeToCamel(s)
		}
		if outputOnly[segs[0]] {
			continue
		}
		if err := check(p, segs); err != nil {
			return nil, err
		}
		paths = append(paths, strings.Join(segs, "."))
	}
	return paths, nil
}

// applyMask copies the masked paths of patch onto a copy of cur: a path
// absent from the patch is cleared. Setting a path listed in oneofSiblings
// (or one below it) clears the other members of its oneof.
func applyMask[T any](cur *T, patch map[string]any, paths []string, oneofSiblings map[string][]string) (*T, error) {
	data, _ := json.Marshal(cur)
	doc := map[string]any{}
	_ = json.Unmarshal(data, &doc)
	for _, p := range paths {
		segs := strings.Split(p, ".")
		v, ok := getPath(patch, segs)
		setPath(doc, segs, v, ok)
		if ok && v != nil {
			for i := range segs {
				for _, sib := range oneofSiblings[strings.Join(segs[:i+1], ".")] {
					setPath(doc, strings.Split(sib, "."), nil, false)
				}
			}
		}
	}
	data, _ = json.Marshal(doc)
	out := new(T)
	if err := json.Unmarshal(data, out); err != nil {
		return nil, errInvalid("Invalid JSON payload received. %v", err)
	}
	return out, nil
}

func snakeToCamel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// getPath reads the value at segs in a JSON document.
func getPath(doc map[string]any, segs []string) (any, bool) {
	var cur any = doc
	for _, s := range segs {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[s]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// setPath sets (present) or deletes the value at segs in a JSON document.
func setPath(doc map[string]any, segs []string, v any, present bool) {
	m := doc
	for _, s := range segs[:len(segs)-1] {
		next, ok := m[s].(map[string]any)
		if !ok {
			if !present {
				return
			}
			next = map[string]any{}
			m[s] = next
		}
		m = next
	}
	last := segs[len(segs)-1]
	if present {
		m[last] = v
	} else {
		delete(m, last)
	}
}
