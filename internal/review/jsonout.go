package review

import (
	"encoding/json"
	"io"
)

// SchemaVersion is the version of the JSON output documented in SCHEMA.md.
// It changes only when a field is removed or its meaning changes.
const SchemaVersion = 1

type jsonReport struct {
	SchemaVersion    int         `json:"schema_version"`
	TerraformVersion string      `json:"terraform_version"`
	Summary          jsonSummary `json:"summary"`
	Changes          []Binding   `json:"changes"`
	Jobs             []Job       `json:"jobs"`
	Findings         []Finding   `json:"findings"`
	Neutral          []Neutral   `json:"neutral"`
	Deferred         []Deferred  `json:"deferred"`
}

type jsonSummary struct {
	Text        string `json:"text"`
	Verdict     string `json:"verdict"`
	Grants      int    `json:"grants"`
	Revocations int    `json:"revocations"`
	Jobs        int    `json:"jobs"`
	Findings    int    `json:"findings"`
	High        int    `json:"high"`
	Medium      int    `json:"medium"`
	Info        int    `json:"info"`
}

// MarshalJSON adds the display form of the target.
func (t Target) MarshalJSON() ([]byte, error) {
	type plain Target
	return json.Marshal(struct {
		plain
		Display string `json:"display"`
	}{plain(t), t.String()})
}

// WriteJSON writes the report in the stable JSON schema (SCHEMA.md).
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		SchemaVersion:    SchemaVersion,
		TerraformVersion: r.TerraformVersion,
		Summary: jsonSummary{
			Text: r.Summary(), Verdict: r.Verdict(), Grants: r.Count(Grant), Revocations: r.Count(Revoke), Jobs: len(r.Jobs),
			Findings: len(r.Findings), High: r.CountSeverity(High), Medium: r.CountSeverity(Medium), Info: r.CountSeverity(Info),
		},
		Changes:  nonNil(r.Bindings),
		Jobs:     nonNil(r.Jobs),
		Findings: nonNil(r.Findings),
		Neutral:  nonNil(r.Neutral),
		Deferred: nonNil(r.Deferred),
	}
	for i := range out.Jobs {
		out.Jobs[i].Targets = nonNil(out.Jobs[i].Targets)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return append([]T(nil), s...)
}
