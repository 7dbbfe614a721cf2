package cron

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // zone data for machines without /usr/share/zoneinfo
)

// LoadTimeZone loads an IANA time zone such as "Europe/Berlin" or "UTC".
// It rejects the empty string and "Local" (which depends on the machine), and
// suggests the intended name for a wrong-case or misspelled zone.
func LoadTimeZone(name string) (*time.Location, error) {
	switch {
	case name == "":
		return nil, fmt.Errorf("time zone is empty; use an IANA name such as \"Etc/UTC\" or \"Europe/Berlin\"")
	case strings.EqualFold(name, "Local"):
		return nil, fmt.Errorf("time zone %q depends on the machine; use an IANA name such as \"Europe/Berlin\"", name)
	case strings.TrimSpace(name) != name:
		return nil, fmt.Errorf("time zone %q has leading or trailing spaces; use %q", name, strings.TrimSpace(name))
	case strings.HasPrefix(name, "/") || strings.Contains(name, ".."):
		return nil, fmt.Errorf("time zone %q is a path, not an IANA name such as \"Europe/Berlin\"", name)
	}
	loc, err := time.LoadLocation(name)
	if err == nil {
		return loc, nil
	}
	msg := fmt.Sprintf("unknown time zone %q; use an IANA name such as \"Europe/Berlin\"", name)
	if s := suggestZone(name); s != "" {
		msg = fmt.Sprintf("unknown time zone %q; did you mean %q?", name, s)
	}
	return nil, fmt.Errorf("%s", msg)
}

// suggestZone returns the known zone closest to name, or "" if none is close.
func suggestZone(name string) string {
	best, bestDist := "", 4
	lower := strings.ToLower(name)
	for _, z := range zoneNames {
		zl := strings.ToLower(z)
		if zl == lower {
			return z
		}
		if d := levenshtein(lower, zl, bestDist); d < bestDist {
			best, bestDist = z, d
		}
	}
	// Accept a distance of at most a quarter of the name's length.
	if best != "" && bestDist*4 <= len(name) {
		return best
	}
	return ""
}

// levenshtein returns the edit distance of a and b, or limit if it is at least limit.
func levenshtein(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}
