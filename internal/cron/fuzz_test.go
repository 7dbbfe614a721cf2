package cron

import (
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"* * * * *", "*/5 * * * *", "0 9 * * MON-FRI", "15,45 8-18/2 1,15 jan-jun/2 *",
		"0 0 29 2 *", "0 0 30 2 MON", "30 2 * * 7", "5/7 * * * *", "* 25 * * *", "1-,/ * * * *",
		"*/0 * * * *", "@daily", "0 0 * * * *", "", "99999999999999999999 * * * *",
	} {
		f.Add(seed, int64(1741500000), "America/New_York")
		f.Add(seed, int64(1762059600), "Europe/Berlin")
	}
	f.Fuzz(func(t *testing.T, expr string, unix int64, zone string) {
		s, err := Parse(expr)
		if err != nil {
			return
		}
		again, err := Parse(s.String())
		if err != nil {
			t.Fatalf("String() %q of %q does not parse: %v", s.String(), expr, err)
		}
		if *again != *s {
			t.Fatalf("reparse of %q differs", s.String())
		}
		loc, err := LoadTimeZone(zone)
		if err != nil {
			loc = time.UTC
		}
		// Keep the instant within a range where years stay four-digit.
		after := time.Unix(unix%(200*365*86400), 0)
		next := s.Next(after, loc)
		if !next.IsZero() && !next.After(after) {
			t.Fatalf("Next(%s) of %q in %s = %s, not after", after, expr, loc, next)
		}
	})
}
