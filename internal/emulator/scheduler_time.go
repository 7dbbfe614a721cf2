package emulator

import (
	"strings"
	"time"

	scheduler "google.golang.org/api/cloudscheduler/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/cron"
)

// jobLocation loads a job's time zone; Google also accepts "utc".
func jobLocation(tz string) (*time.Location, error) {
	if strings.EqualFold(tz, "utc") {
		return time.UTC, nil
	}
	return cron.LoadTimeZone(tz)
}

// nextScheduleTime is the job's next cron fire time after now, formatted for
// the wire, or "" when it cannot be computed.
func nextScheduleTime(job *scheduler.Job, now time.Time) string {
	t := nextFire(job, now)
	if t.IsZero() {
		return ""
	}
	return formatTime(t)
}

// nextFire is the job's next cron fire time strictly after after.
func nextFire(job *scheduler.Job, after time.Time) time.Time {
	s, err := cron.Parse(job.Schedule)
	if err != nil {
		return time.Time{}
	}
	loc, err := jobLocation(job.TimeZone)
	if err != nil {
		return time.Time{}
	}
	return s.Next(after, loc)
}

// formatTime formats a timestamp as Google does (RFC 3339, UTC).
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
