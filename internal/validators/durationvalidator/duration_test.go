package durationvalidator

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{"180s", 180 * time.Second, ""},
		{"1.5s", 1500 * time.Millisecond, ""},
		{"3m", 3 * time.Minute, ""},
		{"1h30m", 90 * time.Minute, ""},
		{"0.000000001s", time.Nanosecond, ""},
		{"0s", 0, ""},
		{"", 0, "duration is empty"},
		{"180", 0, `"180" is not a duration (add a unit: "180s")`},
		{"3 minutes", 0, `"3 minutes" is not a duration; write seconds such as "180s"`},
		{"-5s", 0, `duration "-5s" is negative`},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{180 * time.Second, "180s"},
		{3 * time.Minute, "180s"},
		{1500 * time.Millisecond, "1.5s"},
		{time.Nanosecond, "0.000000001s"},
		{0, "0s"},
		{-2500 * time.Millisecond, "-2.5s"},
	}
	for _, tt := range tests {
		if got := Format(tt.in); got != tt.want {
			t.Errorf("Format(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if tt.in >= 0 {
			if back, err := Parse(Format(tt.in)); err != nil || back != tt.in {
				t.Errorf("Parse(Format(%v)) = %v, %v", tt.in, back, err)
			}
		}
	}
}
