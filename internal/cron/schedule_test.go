package cron

import (
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		expr string
		want string
	}{
		{"* 25 * * *", "field 2 (hour) value 25 is out of range 0-23"},
		{"60 * * * *", "field 1 (minute) value 60 is out of range 0-59"},
		{"* * 0 * *", "field 3 (day-of-month) value 0 is out of range 1-31"},
		{"* * * 13 *", "field 4 (month) value 13 is out of range 1-12 or JAN-DEC"},
		{"* * * * 8", "field 5 (day-of-week) value 8 is out of range 0-7 or SUN-SAT"},
		{"* * * FOO *", `field 4 (month) value "FOO" is not a number or a name (1-12 or JAN-DEC)`},
		{"x * * * *", `field 1 (minute) value "x" is not a number`},
		{"5-1 * * * *", "field 1 (minute) range 5-1 starts after it ends"},
		{"*/0 * * * *", `field 1 (minute) step "0" must be a positive whole number`},
		{"*/x * * * *", `field 1 (minute) step "x" must be a positive whole number`},
		{"* */25 * * *", "field 2 (hour) step 25 is larger than the range 0-23"},
		{"1,,2 * * * *", "field 1 (minute) has an empty list element"},
		{"1- * * * *", "field 1 (minute) has a range with a missing bound"},
		{"* * * * MON-SUNDAY", `field 5 (day-of-week) value "SUNDAY" is not a number or a name`},
		{"* * * *", "has 4 fields, want 5 (minute hour day-of-month month day-of-week)"},
		{"", "has 0 fields, want 5"},
		{"0 0 * * * *", "Cloud Scheduler has no seconds field"},
		{"@daily", "macros like @daily are not supported"},
		{"0 0 30 2 *", "field 3 (day-of-month) day 30 never occurs in the months of field 4"},
		{"0 0 31 APR,JUN *", "day 31 never occurs"},
		{"99999999999999999999 * * * *", "field 1 (minute) value 99999999999999999999 is out of range 0-59"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			s, err := Parse(tt.expr)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want error containing %q", tt.expr, s, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tt.expr, err, tt.want)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	for _, expr := range []string{
		"* * * * *",
		"*/5 * * * *",
		"0 9 * * MON-FRI",
		"0 9 * * mon-fri",
		"15,45 8-18/2 1,15 jan-jun/2 *",
		"0 0 29 2 *",   // fires in leap years
		"0 0 30 2 1",   // never on Feb 30, but every Monday in February
		"0 0 * * 7",    // Sunday
		"0 0 * * 5-7",  // Friday to Sunday
		"30 5/6 * * *", // a/n means a-max/n
		" 0  0 * * * ", // extra spaces
		"0\t0 * *\t*",  // tabs
	} {
		if _, err := Parse(expr); err != nil {
			t.Errorf("Parse(%q) error: %v", expr, err)
		}
	}
}

func TestFieldErrorFields(t *testing.T) {
	_, err := Parse("0 0 * 13 *")
	fe, ok := err.(*FieldError)
	if !ok {
		t.Fatalf("error %T is not *FieldError", err)
	}
	if fe.Position != 4 || fe.Field != "month" {
		t.Errorf("FieldError = %+v, want position 4 (month)", fe)
	}
}

func TestStringNormalizesSpacing(t *testing.T) {
	s, err := Parse("  0   9 * *   MON ")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.String(); got != "0 9 * * MON" {
		t.Errorf("String() = %q, want %q", got, "0 9 * * MON")
	}
}
