package cron

import (
	"strings"
	"testing"
	"time"
)

// FuzzNext checks Next for every expression that parses: the result is
// strictly after the given instant, asking again from just before it or from
// halfway to it gives it back, and it shows a wall time the schedule names (or is the stand-in
// for a wall time skipped by a forward DST transition).
func FuzzNext(f *testing.F) {
	exprs := []string{
		"* * * * *", "*/5 * * * *", "0 9 * * MON-FRI", "15,45 8-18/2 1,15 jan-jun/2 *",
		"0 0 29 2 *", "0 0 30 2 MON", "30 2 * * 7", "5/7 * * * *", "0,30 1-3 * * *",
		"15 2 * * *", "20,35 2 * * *", "30 1 * * *", "0 0 1,15 * MON", "0 0 */2 * MON",
	}
	times := []int64{
		1741500000, // 2025-03-09, New York spring forward
		1762059600, // 2025-11-02, New York fall back
		1743296400, // 2025-03-30, Berlin spring forward
		1759590000, // 2025-10-04, Lord Howe half-hour gap
		1743868800, // 2025-04-05, Lord Howe half-hour overlap
		0,
	}
	zones := []string{"Europe/Berlin", "America/New_York", "Etc/UTC", "Australia/Lord_Howe"}
	for i, e := range exprs {
		for j, u := range times {
			f.Add(e, u, zones[(i+j)%len(zones)])
		}
	}
	f.Fuzz(func(t *testing.T, expr string, unix int64, zone string) {
		s, err := Parse(expr)
		if err != nil {
			return
		}
		loc, err := LoadTimeZone(zone)
		if err != nil {
			loc = time.UTC
		}
		// Keep the instant within a range where years stay four-digit.
		after := time.Unix(unix%(200*365*86400), unix%1e9)
		next := s.Next(after, loc)
		if next.IsZero() {
			return // does not fire within the search bound
		}
		if !next.After(after) {
			t.Fatalf("Next(%s) of %q in %s = %s, not after", after, expr, loc, next)
		}
		if again := s.Next(next.Add(-time.Nanosecond), loc); !again.Equal(next) {
			t.Fatalf("Next(%s) of %q in %s = %s, but Next of 1ns before it = %s",
				after, expr, loc, next, again)
		}
		// Nothing fires in between: asking from any instant up to next gives next.
		if mid := after.Add(next.Sub(after) / 2); !s.Next(mid, loc).Equal(next) {
			t.Fatalf("Next(%s) of %q in %s = %s, but Next(%s) = %s",
				after, expr, loc, next, mid, s.Next(mid, loc))
		}
		if !firesAt(s, expr, next, loc) {
			t.Fatalf("Next(%s) of %q in %s = %s, which the schedule does not name",
				after, expr, loc, next.In(loc))
		}
	})
}

// firesAt reports whether t, viewed in loc, shows a wall time the schedule
// names, or is where a named wall time skipped by a forward transition
// fires (that wall time minus the offset in force before the gap).
func firesAt(s *Schedule, expr string, t time.Time, loc *time.Location) bool {
	if wallMatches(s, expr, t.In(loc)) {
		return true
	}
	for d := 15 * time.Minute; d <= 26*time.Hour; d += 15 * time.Minute {
		_, before := t.Add(-d).In(loc).Zone()
		wall := t.Add(time.Duration(before) * time.Second).UTC()
		if wallMatches(s, expr, wall) && !wallExists(wall, loc, t) {
			return true
		}
	}
	return false
}

// wallExists reports whether some instant near near shows wall (given in
// UTC fields) on the clocks of loc.
func wallExists(wall time.Time, loc *time.Location, near time.Time) bool {
	for d := -26 * time.Hour; d <= 26*time.Hour; d += 15 * time.Minute {
		_, off := near.Add(d).In(loc).Zone()
		l := wall.Add(-time.Duration(off) * time.Second).In(loc)
		if l.Year() == wall.Year() && l.YearDay() == wall.YearDay() &&
			l.Hour() == wall.Hour() && l.Minute() == wall.Minute() {
			return true
		}
	}
	return false
}

// wallMatches applies the schedule's fields to a wall-clock time. The value
// sets come from Parse; the day rule is restated here from the expression:
// when both day fields are restricted (neither starts with "*") either may
// match, otherwise both must.
func wallMatches(s *Schedule, expr string, w time.Time) bool {
	in := func(set uint64, v int) bool { return set&(1<<uint(v)) != 0 }
	if w.Second() != 0 || w.Nanosecond() != 0 {
		return false
	}
	if !in(s.minute, w.Minute()) || !in(s.hour, w.Hour()) || !in(s.month, int(w.Month())) {
		return false
	}
	parts := strings.Fields(expr)
	domRestricted := !strings.HasPrefix(parts[2], "*")
	dowRestricted := !strings.HasPrefix(parts[4], "*")
	dow := int(w.Weekday())
	dowOK := in(s.dow, dow) || (dow == 0 && in(s.dow, 7))
	domOK := in(s.dom, w.Day())
	if domRestricted && dowRestricted {
		return domOK || dowOK
	}
	return domOK && dowOK
}
