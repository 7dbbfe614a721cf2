package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/durationvalidator"
)

// Conversions between API values and Terraform values shared by the
// resources: durations in Google's form, empty strings as null, zero as
// Google's default.

// canonicalDuration writes a duration as Google does ("3m" → "180s"); a
// value that does not parse is passed on for the API to reject.
func canonicalDuration(s string) string {
	d, err := durationvalidator.Parse(s)
	if err != nil {
		return s
	}
	return durationvalidator.Format(d)
}

// sameDuration reports whether two duration strings mean the same time.
func sameDuration(a, b types.String) bool {
	if a.Equal(b) {
		return true
	}
	da, erra := durationvalidator.Parse(a.ValueString())
	db, errb := durationvalidator.Parse(b.ValueString())
	return erra == nil && errb == nil && da == db
}

// keepDuration returns prior when it means the same time as the API's
// value, else the API's value.
func keepDuration(prior types.String, api string) types.String {
	v := types.StringValue(api)
	if !prior.IsNull() && !prior.IsUnknown() && sameDuration(prior, v) {
		return prior
	}
	return v
}

func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orFloat(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

func orInt(v, def int64) int64 {
	if v == 0 {
		return def
	}
	return v
}
