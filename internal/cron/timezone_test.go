package cron

import (
	"strings"
	"testing"
)

func TestLoadTimeZone(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string // empty: must load
	}{
		{"UTC", ""},
		{"Etc/UTC", ""},
		{"Europe/Berlin", ""},
		{"America/Argentina/Buenos_Aires", ""},
		{"", "time zone is empty"},
		{"Local", "depends on the machine"},
		{"local", "depends on the machine"},
		{" Europe/Berlin", `has leading or trailing spaces; use "Europe/Berlin"`},
		{"/etc/localtime", "is a path"},
		{"../etc/passwd", "is a path"},
		{"europe/berlin", `did you mean "Europe/Berlin"?`},
		{"Europe/Berln", `did you mean "Europe/Berlin"?`},
		{"America/New York", `did you mean "America/New_York"?`},
		{"Mars/Olympus_Mons", `unknown time zone "Mars/Olympus_Mons"; use an IANA name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, err := LoadTimeZone(tt.name)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("LoadTimeZone(%q) error: %v", tt.name, err)
				}
				if loc.String() != tt.name {
					t.Errorf("location = %q, want %q", loc, tt.name)
				}
				return
			}
			if err == nil {
				t.Fatalf("LoadTimeZone(%q) = %v, want error containing %q", tt.name, loc, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestZoneListLoads(t *testing.T) {
	if len(zoneNames) < 300 {
		t.Fatalf("only %d zone names; regenerate zones_list.go", len(zoneNames))
	}
	for _, z := range []string{"Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"} {
		if suggestZone(strings.ToUpper(z)) != z {
			t.Errorf("suggestZone(%q) != %q", strings.ToUpper(z), z)
		}
	}
}
