package cron

import (
	"sort"
	"time"
)

// searchYears bounds the search for the next fire time. A schedule restricted
// to February 29 fires at least once in any 8 consecutive years.
const searchYears = 9

// Next returns the first fire time strictly after after, evaluating the
// schedule in loc (UTC when nil). It returns the zero time if the schedule
// does not fire within the next searchYears years.
//
// Daylight saving time is handled on wall-clock time:
//   - a wall time skipped when clocks move forward fires at the instant that
//     wall time would have had under the old offset (02:30 becomes 03:30);
//   - a wall time repeated when clocks move back fires once, at its first
//     occurrence (or at the second one if after already lies between them).
func (s *Schedule) Next(after time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	// Start from the wall clock after shows under the smallest offset of the
	// past day: a wall time skipped by a recent forward transition fires
	// after the gap, so it may lie before after's own wall clock.
	local := after.In(loc)
	_, off := local.Zone()
	if _, prev := after.Add(-24 * time.Hour).In(loc).Zone(); prev < off {
		local = after.In(time.FixedZone("", prev))
	}
	// Wall clock of the first candidate minute, computed in UTC so that no
	// time-zone normalization happens during the search.
	c := wallClock(local).Add(time.Minute)
	limit := c.AddDate(searchYears, 0, 0)
	// A skipped wall time fires later than its wall clock says, possibly
	// after a later wall time that exists (a 30-minute gap), so the search
	// keeps the earliest instant until it passes that instant's wall clock.
	var best time.Time
	for c.Before(limit) {
		if !best.IsZero() && c.After(wallClock(best)) {
			return best
		}
		if !s.dayMatches(c) {
			c = time.Date(c.Year(), c.Month(), c.Day()+1, 0, 0, 0, 0, time.UTC)
			continue
		}
		if s.hour&(1<<uint(c.Hour())) == 0 {
			c = time.Date(c.Year(), c.Month(), c.Day(), c.Hour()+1, 0, 0, 0, time.UTC)
			continue
		}
		if s.minute&(1<<uint(c.Minute())) == 0 {
			c = c.Add(time.Minute)
			continue
		}
		if t, ok := resolve(c, loc, after); ok && (best.IsZero() || t.Before(best)) {
			best = t
		}
		c = c.Add(time.Minute)
	}
	return best
}

// wallClock returns the wall clock t shows, to the minute, as UTC fields.
func wallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
}

// dayMatches applies the month, day-of-month and day-of-week fields to the
// calendar day of the wall-clock time c.
func (s *Schedule) dayMatches(c time.Time) bool {
	if s.month&(1<<uint(c.Month())) == 0 {
		return false
	}
	domOK := s.dom&(1<<uint(c.Day())) != 0
	dowOK := s.dow&(1<<uint(c.Weekday())) != 0
	if s.domRestricted && s.dowRestricted {
		return domOK || dowOK
	}
	return domOK && dowOK
}

// resolve maps the wall-clock time wall (expressed in UTC fields) to the
// earliest instant in loc that shows that wall time and is after after.
// A wall time inside a forward gap maps to wall minus the offset in force
// before the gap.
func resolve(wall time.Time, loc *time.Location, after time.Time) (time.Time, bool) {
	u := wall.Unix()
	offsets := map[int]bool{}
	for _, probe := range []int64{u - 86400, u, u + 86400} {
		_, off := time.Unix(probe, 0).In(loc).Zone()
		offsets[off] = true
	}
	var exact []time.Time
	for off := range offsets {
		t := time.Unix(u-int64(off), 0)
		l := t.In(loc)
		if l.Year() == wall.Year() && l.Month() == wall.Month() && l.Day() == wall.Day() &&
			l.Hour() == wall.Hour() && l.Minute() == wall.Minute() {
			exact = append(exact, t)
		}
	}
	if len(exact) == 0 { // skipped by a forward transition
		_, off := time.Unix(u-86400, 0).In(loc).Zone()
		exact = append(exact, time.Unix(u-int64(off), 0))
	}
	sort.Slice(exact, func(i, j int) bool { return exact[i].Before(exact[j]) })
	for _, t := range exact {
		if t.After(after) {
			return t.In(loc), true
		}
	}
	return time.Time{}, false
}
