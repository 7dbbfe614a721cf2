package emulator

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// The emulator's own reading of rules Google documents, written apart from
// the provider's helpers (internal/cron, internal/gcpnames) so that a bug in
// a helper cannot hide on both sides: the provider validates with its
// helpers, the emulator answers with these, and google_rules_test.go holds
// both to cases taken from Google's documentation.

// cronFieldRanges are the fields of a unix-cron schedule as Cloud
// Scheduler's "Configure cron job schedules" page lists them: minute 0-59,
// hour 0-23, day of the month 1-31, month 1-12 (or JAN to DEC), day of the
// week 0-6 (or SUN to SAT; or 7 for Sunday).
var cronFieldRanges = [5]struct {
	name     string
	min, max int
	names    []string
}{
	{"minute", 0, 59, nil},
	{"hour", 0, 23, nil},
	{"day of the month", 1, 31, nil},
	{"month", 1, 12, []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{"day of the week", 0, 7, []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
}

// checkCronSyntax applies the page's format: five fields in a line; a field
// is a comma-separated list of "*", a value or an inclusive range "a-b",
// each optionally followed by "/NUMBER" (skips through the range). Nothing
// else is accepted (no "L", "?", "#", seconds or macros).
func checkCronSyntax(schedule string) error {
	fields := strings.Fields(schedule)
	if len(fields) != 5 {
		return fmt.Errorf("a schedule has five fields (minute hour day-of-month month day-of-week), %q has %d", schedule, len(fields))
	}
	for i, f := range fields {
		spec := cronFieldRanges[i]
		for _, item := range strings.Split(f, ",") {
			base, step, hasStep := strings.Cut(item, "/")
			if hasStep {
				if n, err := strconv.Atoi(step); err != nil || n < 1 {
					return fmt.Errorf("field %q of the %s: the step after / must be a positive number", f, spec.name)
				}
			}
			if base == "*" {
				continue
			}
			lo, hi, isRange := strings.Cut(base, "-")
			a, err := cronValue(lo, spec.min, spec.max, spec.names)
			if err != nil {
				return fmt.Errorf("field %q of the %s: %v", f, spec.name, err)
			}
			if isRange {
				b, err := cronValue(hi, spec.min, spec.max, spec.names)
				if err != nil {
					return fmt.Errorf("field %q of the %s: %v", f, spec.name, err)
				}
				if a > b {
					return fmt.Errorf("field %q of the %s: the range %s ends before it starts", f, spec.name, base)
				}
			}
		}
	}
	return nil
}

func cronValue(s string, min, max int, names []string) (int, error) {
	for i, n := range names {
		if strings.EqualFold(s, n) {
			return min + i, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || strings.ContainsAny(s, "+-") {
		return 0, fmt.Errorf("%q is not a number between %d and %d", s, min, max)
	}
	if v < min || v > max {
		return 0, fmt.Errorf("%d is outside %d-%d", v, min, max)
	}
	return v, nil
}

// googleAPIHostname reports whether a URL host (with or without port) is a
// Google API host in the sense of Cloud Scheduler's and Cloud Tasks' OAuth
// token documentation: "Google APIs hosted on *.googleapis.com" — one or
// more DNS labels in front of googleapis.com, compared case-insensitively.
func googleAPIHostname(host string) bool {
	h := strings.ToLower(host)
	if hp, _, err := net.SplitHostPort(h); err == nil {
		h = hp
	}
	h = strings.TrimSuffix(h, ".") // the absolute form names the same host
	labels := strings.Split(h, ".")
	n := len(labels)
	if n < 3 || labels[n-2] != "googleapis" || labels[n-1] != "com" {
		return false
	}
	for _, l := range labels[:n-2] {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
