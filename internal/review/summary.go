package review

import (
	"fmt"
	"strings"
)

// Summary is the report's one-line summary, e.g.
// "3 grants, 1 revocation, 2 findings (1 high, 1 medium)".
func (r *Report) Summary() string {
	line := plural(r.Count(Grant), "grant", "grants") + ", " +
		plural(r.Count(Revoke), "revocation", "revocations") + ", "
	if len(r.Findings) == 0 {
		return line + "no findings"
	}
	var parts []string
	for _, s := range []Severity{High, Medium, Info} {
		if n := r.CountSeverity(s); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return line + plural(len(r.Findings), "finding", "findings") + " (" + strings.Join(parts, ", ") + ")"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
