package review

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// attrs reads one resource's values together with the matching
// after_unknown tree. Paths are attribute names; a single-element list (how
// the Google provider's blocks appear in plan JSON) is stepped into as if it
// were the object it holds, so one path reads both providers' shapes.
type attrs struct {
	v any // decoded values (map[string]any)
	u any // after_unknown mirror; nil when everything is known
	s any // *_sensitive mirror: true where a value must never be shown
}

// Sensitive is how a value marked sensitive in the plan is shown: never the
// value itself.
const Sensitive = "(sensitive value)"

// sensitive reports whether the value at path (or a value holding it) is
// marked sensitive.
func (a attrs) sensitive(path ...string) bool {
	return markedAt(a.s, path)
}

// sealedPrefix starts the stand-in of a sensitive value: Sensitive for
// display, then a digest of the value so two sensitive values compare as
// the values do, without the value itself ever being kept.
const sealedPrefix = Sensitive + "\x00"

// sealed is the stand-in of a sensitive value (see sealedPrefix).
func sealed(v string) string {
	sum := sha256.Sum256([]byte(v))
	return sealedPrefix + hex.EncodeToString(sum[:8])
}

// shown is how a value that may be a sealed stand-in is displayed.
func shown(v string) string {
	if strings.HasPrefix(v, sealedPrefix) {
		return Sensitive
	}
	return v
}

// sealedStr is like str, but a sensitive value comes back sealed: usable to
// compare, shown as Sensitive.
func (a attrs) sealedStr(path ...string) (string, bool) {
	v, ok := a.str(path...)
	if v == Sensitive && ok {
		return sealed(scalar(dig(a.v, path...))), true
	}
	return v, ok
}

// markedAt walks a *_unknown / *_sensitive mirror: true at path or above it.
func markedAt(m any, path []string) bool {
	for _, k := range path {
		if b, ok := m.(bool); ok {
			return b
		}
		mm, ok := unwrap(m).(map[string]any)
		if !ok {
			return false
		}
		m = mm[k]
	}
	b, _ := m.(bool)
	return b
}

func unwrap(v any) any {
	if l, ok := v.([]any); ok {
		if len(l) == 0 {
			return nil
		}
		return l[0]
	}
	return v
}

func dig(v any, path ...string) any {
	for _, k := range path {
		m, ok := unwrap(v).(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// unknown reports whether the value at path is known only after apply.
func (a attrs) unknown(path ...string) bool {
	return markedAt(a.u, path)
}

// present reports whether path holds a non-null value or an unknown one.
// An empty list (an absent Google provider block) is not present.
func (a attrs) present(path ...string) bool {
	if a.unknown(path...) {
		return true
	}
	v := dig(a.v, path...)
	if l, ok := v.([]any); ok {
		return len(l) > 0
	}
	return v != nil
}

// str returns the string at path ("" when null) and whether it is known. A
// sensitive value comes back as Sensitive (when not null), never as itself.
func (a attrs) str(path ...string) (string, bool) {
	if a.unknown(path...) {
		return "", false
	}
	v := scalar(dig(a.v, path...))
	if v != "" && a.sensitive(path...) {
		return Sensitive, true
	}
	return v, true
}

// boolean returns the bool at path (false when null or unknown).
func (a attrs) boolean(path ...string) bool {
	b, _ := dig(a.v, path...).(bool)
	return b
}

// strs returns the known strings of the list or set at path, sorted, and how
// many elements are known only after apply (1 when the whole list is).
func (a attrs) strs(path ...string) (known []string, unknown int) {
	if a.unknown(path...) {
		return nil, 1
	}
	list, _ := dig(a.v, path...).([]any)
	uList, _ := dig(a.u, path...).([]any)
	whole := a.sensitive(path...)
	sList, _ := dig(a.s, path...).([]any)
	for i, e := range list {
		if whole || (i < len(sList) && sList[i] == true) {
			known = append(known, sealed(scalar(e)))
			continue
		}
		if i < len(uList) {
			if b, _ := uList[i].(bool); b {
				unknown++
				continue
			}
		}
		if s := scalar(e); s != "" {
			known = append(known, s)
		}
	}
	// Unknown elements of a set may be listed only in after_unknown.
	for i := len(list); i < len(uList); i++ {
		if b, _ := uList[i].(bool); b {
			unknown++
		}
	}
	sort.Strings(known)
	return known, unknown
}

func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		return fmt.Sprint(x)
	}
}
