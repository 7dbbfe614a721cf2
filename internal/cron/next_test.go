package cron

import (
	"testing"
	"time"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := LoadTimeZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestNext(t *testing.T) {
	utc := time.UTC
	tests := []struct {
		name  string
		expr  string
		zone  string
		after string // RFC 3339
		want  string // RFC 3339, in UTC
	}{
		{"every minute is strictly after", "* * * * *", "UTC", "2025-01-02T10:00:00Z", "2025-01-02T10:01:00Z"},
		{"seconds are dropped", "* * * * *", "UTC", "2025-01-02T10:00:30Z", "2025-01-02T10:01:00Z"},
		{"every 15 minutes", "*/15 * * * *", "UTC", "2025-01-02T10:07:00Z", "2025-01-02T10:15:00Z"},
		{"hour rollover", "*/15 * * * *", "UTC", "2025-01-02T10:50:00Z", "2025-01-02T11:00:00Z"},
		{"year rollover", "0 0 1 JAN *", "UTC", "2025-06-01T00:00:00Z", "2026-01-01T00:00:00Z"},
		{"weekdays at nine", "0 9 * * MON-FRI", "UTC", "2025-01-03T09:00:00Z", "2025-01-06T09:00:00Z"}, // Fri -> Mon
		{"sunday as 7", "0 0 * * 7", "UTC", "2025-01-02T00:00:00Z", "2025-01-05T00:00:00Z"},
		{"friday to sunday range ending in 7", "0 0 * * 5-7", "UTC", "2025-01-03T00:00:00Z", "2025-01-04T00:00:00Z"},
		{"lower-case names", "0 0 * * sun", "UTC", "2025-01-02T00:00:00Z", "2025-01-05T00:00:00Z"},
		{"month names with step", "0 12 1 JAN-MAR/2 *", "UTC", "2025-01-02T00:00:00Z", "2025-03-01T12:00:00Z"},
		{"leap day", "0 0 29 2 *", "UTC", "2025-01-01T00:00:00Z", "2028-02-29T00:00:00Z"},
		{"a/n step", "0 5/6 * * *", "UTC", "2025-01-02T12:00:00Z", "2025-01-02T17:00:00Z"},
		// Both day fields restricted: either may match (Thu Jan 2 -> Mon Jan 6 before the 15th).
		{"dom or dow", "0 0 1,15 * MON", "UTC", "2025-01-02T00:00:00Z", "2025-01-06T00:00:00Z"},
		{"dom or dow, dom first", "0 0 3 * MON", "UTC", "2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z"},
		// Day-of-month starting with "*" counts as unrestricted: both must match.
		// Odd days that are Mondays: January 13 (OR would give January 3).
		{"star step dom and dow", "0 0 */2 * MON", "UTC", "2025-01-01T00:00:00Z", "2025-01-13T00:00:00Z"},
		{"Feb 30 or Monday", "0 0 30 2 MON", "UTC", "2025-01-01T00:00:00Z", "2025-02-03T00:00:00Z"},

		// New York: 2025-03-09 02:00 EST -> 03:00 EDT; 2025-11-02 02:00 EDT -> 01:00 EST.
		{"zone offset applied", "0 9 * * *", "America/New_York", "2025-01-02T00:00:00Z", "2025-01-02T14:00:00Z"},
		{"nine o'clock keeps wall time across spring DST", "0 9 * * *", "America/New_York", "2025-03-08T15:00:00Z", "2025-03-09T13:00:00Z"},
		{"skipped wall time fires an hour later", "30 2 * * *", "America/New_York", "2025-03-09T05:00:00Z", "2025-03-09T07:30:00Z"},
		{"skipped wall time next day is normal", "30 2 * * *", "America/New_York", "2025-03-09T07:30:00Z", "2025-03-10T06:30:00Z"},
		{"repeated wall time fires at first occurrence", "30 1 * * *", "America/New_York", "2025-11-02T04:00:00Z", "2025-11-02T05:30:00Z"},
		{"repeated wall time fires once", "30 1 * * *", "America/New_York", "2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z"},
		{"after the repeated hour", "*/30 * * * *", "America/New_York", "2025-11-02T05:45:00Z", "2025-11-02T07:00:00Z"},
		{"after inside second occurrence", "*/30 * * * *", "America/New_York", "2025-11-02T06:10:00Z", "2025-11-02T06:30:00Z"},
		// Berlin: 2025-03-30 02:00 CET -> 03:00 CEST.
		{"Berlin skipped hour", "30 2 * * *", "Europe/Berlin", "2025-03-29T23:00:00Z", "2025-03-30T01:30:00Z"},
		{"Berlin keeps wall time", "0 8 * * *", "Europe/Berlin", "2025-03-29T08:00:00Z", "2025-03-30T06:00:00Z"},
		// Lord Howe moves by 30 minutes: 2025-10-05 02:00 -> 02:30 (+10:30 -> +11).
		{"half-hour DST gap", "15 2 * * *", "Australia/Lord_Howe", "2025-10-04T14:00:00Z", "2025-10-04T15:45:00Z"},
		// After 03:00 EDT the skipped 02:15 has not fired yet: it fires at 03:15.
		{"skipped wall time still fires when asked after the gap", "15 2 * * *", "America/New_York", "2025-03-09T07:10:00Z", "2025-03-09T07:15:00Z"},
		// 02:20 is skipped and fires at 02:50 (+11), after 02:35 (+11), which exists.
		{"existing wall time before a skipped one's stand-in", "20,35 2 * * *", "Australia/Lord_Howe", "2025-10-04T15:00:00Z", "2025-10-04T15:35:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			after, _ := time.Parse(time.RFC3339, tt.after)
			want, _ := time.Parse(time.RFC3339, tt.want)
			got := s.Next(after, mustLoad(t, tt.zone))
			if !got.Equal(want) {
				t.Errorf("Next(%s) of %q in %s = %s (%s), want %s", tt.after, tt.expr, tt.zone,
					got.In(utc).Format(time.RFC3339), got.Format(time.RFC3339), tt.want)
			}
			if got.Location().String() != tt.zone {
				t.Errorf("Next returned location %s, want %s", got.Location(), tt.zone)
			}
		})
	}
}

func TestNextNilLocationIsUTC(t *testing.T) {
	s, _ := Parse("0 9 * * *")
	after := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	if got, want := s.Next(after, nil), time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Next with nil location = %s, want %s", got, want)
	}
}

// A fire sequence over a full year in a DST zone is strictly increasing and
// each fire time shows a matching wall time (or lies right after a gap).
func TestNextSequenceAcrossYear(t *testing.T) {
	loc := mustLoad(t, "America/New_York")
	s, _ := Parse("0,30 1-3 * * *")
	cur := time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	fires := 0
	for {
		next := s.Next(cur, loc)
		if !next.Before(end) {
			break
		}
		if !next.After(cur) {
			t.Fatalf("Next(%s) = %s is not after it", cur, next)
		}
		if next.Sub(cur) > 25*time.Hour {
			t.Fatalf("gap of %s after %s", next.Sub(cur), cur)
		}
		cur = next
		fires++
	}
	// 6 wall times a day for 365 days; on 2025-03-09 02:00 and 02:30 do not
	// exist and map to 03:00 and 03:30, which already fire: 2 fewer.
	if want := 365*6 - 2; fires != want {
		t.Errorf("fires in 2025 = %d, want %d", fires, want)
	}
}

func TestNextNeverFires(t *testing.T) {
	// Parse rejects never-firing day-of-month schedules; February 29 in a
	// window with no leap year still returns zero past the search bound.
	s, _ := Parse("0 0 29 2 *")
	after := time.Date(2096, 3, 1, 0, 0, 0, 0, time.UTC) // 2100 is not a leap year
	if got := s.Next(after, time.UTC); !got.Equal(time.Date(2104, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Next = %s, want 2104-02-29", got)
	}
}
