package durationvalidator

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Parse reads a non-negative duration written as Google writes durations
// (seconds with an "s" suffix and up to nine decimals: "180s", "1.5s") or as
// a Go duration ("3m", "1h30m", "500ms").
func Parse(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("duration is empty; write seconds such as \"180s\" or a duration such as \"3m\"")
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		hint := ""
		if _, nerr := strconv.ParseFloat(s, 64); nerr == nil {
			hint = fmt.Sprintf(" (add a unit: %q)", s+"s")
		}
		return 0, fmt.Errorf("%q is not a duration%s; write seconds such as \"180s\" or \"1.5s\", or a duration such as \"3m\" or \"1h30m\"", s, hint)
	}
	if d < 0 {
		return 0, fmt.Errorf("duration %q is negative", s)
	}
	return d, nil
}

// Format writes d the way Google APIs expect durations: seconds with an "s"
// suffix and only the decimals needed ("180s", "1.5s", "0s").
func Format(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	sec, frac := d/time.Second, d%time.Second
	if frac == 0 {
		return fmt.Sprintf("%s%ds", sign, sec)
	}
	return fmt.Sprintf("%s%d.%ss", sign, sec, strings.TrimRight(fmt.Sprintf("%09d", frac), "0"))
}

// human writes d compactly for messages: "15s", "30m", "1h", "1.5s".
func human(d time.Duration) string {
	switch {
	case d != 0 && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d != 0 && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	default:
		return Format(d)
	}
}
