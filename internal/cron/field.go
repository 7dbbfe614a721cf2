package cron

import (
	"fmt"
	"strconv"
	"strings"
)

// fieldSpec describes one of the five positions of a cron expression.
type fieldSpec struct {
	pos      int    // 1-based position, used in error messages
	name     string // human name, used in error messages
	min, max int
	names    []string // optional symbolic names; names[i] has value min+i
}

var fields = [5]fieldSpec{
	{pos: 1, name: "minute", min: 0, max: 59},
	{pos: 2, name: "hour", min: 0, max: 23},
	{pos: 3, name: "day-of-month", min: 1, max: 31},
	{pos: 4, name: "month", min: 1, max: 12, names: []string{
		"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{pos: 5, name: "day-of-week", min: 0, max: 7, names: []string{
		"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
}

// FieldError reports which field of a schedule is wrong and why.
type FieldError struct {
	Position int    // 1-based field position
	Field    string // "minute", "hour", "day-of-month", "month" or "day-of-week"
	Reason   string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("field %d (%s) %s", e.Position, e.Field, e.Reason)
}

func (f fieldSpec) errorf(format string, args ...any) error {
	return &FieldError{Position: f.pos, Field: f.name, Reason: fmt.Sprintf(format, args...)}
}

// rangeText is "0-59" or, for named fields, "1-12 or JAN-DEC".
func (f fieldSpec) rangeText() string {
	s := fmt.Sprintf("%d-%d", f.min, f.max)
	if len(f.names) > 0 {
		s += fmt.Sprintf(" or %s-%s", f.names[0], f.names[len(f.names)-1])
	}
	return s
}

// parse turns one field into a bit set of allowed values (bit v set = value v allowed).
func (f fieldSpec) parse(text string) (uint64, error) {
	if text == "" {
		return 0, f.errorf("is empty")
	}
	var bits uint64
	for _, part := range strings.Split(text, ",") {
		b, err := f.parsePart(part)
		if err != nil {
			return 0, err
		}
		bits |= b
	}
	return bits, nil
}

func (f fieldSpec) parsePart(part string) (uint64, error) {
	if part == "" {
		return 0, f.errorf("has an empty list element (check for a doubled or trailing comma)")
	}
	rangePart, stepPart, hasStep := strings.Cut(part, "/")
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepPart)
		if err != nil || n < 1 {
			return 0, f.errorf("step %q must be a positive whole number", stepPart)
		}
		if n > f.max-f.min+1 && n > 1 {
			return 0, f.errorf("step %d is larger than the range %s", n, f.rangeText())
		}
		step = n
	}
	var lo, hi int
	switch {
	case rangePart == "*":
		lo, hi = f.min, f.max
		if f.pos == 5 {
			hi = 6 // 7 duplicates Sunday
		}
	case strings.Contains(rangePart, "-"):
		a, b, _ := strings.Cut(rangePart, "-")
		var err error
		if lo, err = f.value(a); err != nil {
			return 0, err
		}
		if hi, err = f.value(b); err != nil {
			return 0, err
		}
		if lo > hi {
			return 0, f.errorf("range %s starts after it ends", rangePart)
		}
	default:
		v, err := f.value(rangePart)
		if err != nil {
			return 0, err
		}
		lo, hi = v, v
		if hasStep { // "a/n" means "a-max/n"
			hi = f.max
		}
	}
	var bits uint64
	for v := lo; v <= hi; v += step {
		bits |= 1 << uint(v)
	}
	if f.pos == 5 && bits&(1<<7) != 0 {
		bits = bits&^(1<<7) | 1 // 7 is Sunday, like 0
	}
	return bits, nil
}

// value parses a number or a symbolic name and checks its range.
func (f fieldSpec) value(s string) (int, error) {
	if s == "" {
		return 0, f.errorf("has a range with a missing bound")
	}
	for i, n := range f.names {
		if strings.EqualFold(s, n) {
			return f.min + i, nil
		}
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			if len(f.names) > 0 {
				return 0, f.errorf("value %q is not a number or a name (%s)", s, f.rangeText())
			}
			return 0, f.errorf("value %q is not a number", s)
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < f.min || v > f.max {
		return 0, f.errorf("value %s is out of range %s", s, f.rangeText())
	}
	return v, nil
}
