package cron

import (
	"fmt"
	"math/bits"
	"strings"
)

// Schedule is a parsed unix-cron expression.
type Schedule struct {
	expr                          string
	minute, hour, dom, month, dow uint64
	domRestricted, dowRestricted  bool
}

// Parse parses a five-field unix-cron expression. Errors name the field and
// the reason, e.g. "field 2 (hour) value 25 is out of range 0-23".
func Parse(expr string) (*Schedule, error) {
	parts := strings.Fields(expr)
	if len(parts) != 5 {
		hint := ""
		if len(parts) == 6 {
			hint = "; Cloud Scheduler has no seconds field, remove the first field"
		} else if strings.HasPrefix(strings.TrimSpace(expr), "@") {
			hint = "; macros like @daily are not supported, write e.g. \"0 0 * * *\""
		}
		return nil, fmt.Errorf("schedule %q has %d fields, want 5 (minute hour day-of-month month day-of-week)%s",
			expr, len(parts), hint)
	}
	var sets [5]uint64
	for i, text := range parts {
		b, err := fields[i].parse(text)
		if err != nil {
			return nil, err
		}
		sets[i] = b
	}
	s := &Schedule{
		expr:   strings.Join(parts, " "),
		minute: sets[0], hour: sets[1], dom: sets[2], month: sets[3], dow: sets[4],
		domRestricted: !strings.HasPrefix(parts[2], "*"),
		dowRestricted: !strings.HasPrefix(parts[4], "*"),
	}
	if err := s.checkReachable(); err != nil {
		return nil, err
	}
	return s, nil
}

// String returns the expression with normalized spacing.
func (s *Schedule) String() string { return s.expr }

// daysInMonth is the longest length of each month (February counts 29).
var daysInMonth = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// checkReachable rejects schedules that can never fire, such as "0 0 30 2 *".
func (s *Schedule) checkReachable() error {
	if !s.domRestricted || s.dowRestricted {
		return nil // a day-of-week alone always matches some day
	}
	for m := 1; m <= 12; m++ {
		if s.month&(1<<uint(m)) == 0 {
			continue
		}
		mask := uint64(1)<<uint(daysInMonth[m]+1) - 1
		if s.dom&mask != 0 {
			return nil
		}
	}
	lowest := bits.TrailingZeros64(s.dom)
	return &FieldError{Position: 3, Field: "day-of-month",
		Reason: fmt.Sprintf("day %d never occurs in the months of field 4, so the schedule never fires", lowest)}
}
