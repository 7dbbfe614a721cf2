// Package durationvalidator validates duration strings as Google APIs take
// them ("180s", "1.5s") or as Go writes them ("3m"), optionally within a range.
package durationvalidator

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// Valid returns a validator for any non-negative duration.
func Valid() validator.String {
	return stringcheck.Check{
		Summary:      "Invalid duration",
		Desc:         "value must be a duration such as 180s, 1.5s or 3m",
		MarkdownDesc: "value must be a duration such as `180s`, `1.5s` or `3m`",
		Fn: func(s string) error {
			_, err := Parse(s)
			return err
		},
	}
}

// Between returns a validator for a duration from min to max inclusive, e.g.
// Between(15*time.Second, 30*time.Minute) for a Cloud Scheduler attempt deadline.
func Between(min, max time.Duration) validator.String {
	rng := fmt.Sprintf("%s to %s", human(min), human(max))
	return stringcheck.Check{
		Summary:      "Invalid duration",
		Desc:         fmt.Sprintf("value must be a duration from %s (e.g. 180s or 3m)", rng),
		MarkdownDesc: fmt.Sprintf("value must be a duration from `%s` to `%s` (e.g. `180s` or `3m`)", human(min), human(max)),
		Fn: func(s string) error {
			d, err := Parse(s)
			if err != nil {
				return err
			}
			if d < min || d > max {
				return fmt.Errorf("duration %q (%s) is outside the allowed range %s; write a value from %s to %s",
					s, human(d), rng, Format(min), Format(max))
			}
			return nil
		},
	}
}
