package review

import (
	"encoding/json"
	"io"
	"strings"
)

// SARIFVersion is the SARIF version WriteSARIF writes.
const SARIFVersion = "2.1.0"

const sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// Rule describes one kind of finding: the SARIF rule code scanning shows
// next to every result of that kind.
type Rule struct {
	Code     string
	Name     string
	Severity Severity
	Short    string
	Help     string // what is wrong and how to fix it (Markdown)
}

// Rules lists every finding kind, in the order of SCHEMA.md.
var Rules = []Rule{
	{CodePublicInvoker, "PublicInvoker", High,
		"A Cloud Run service, a Cloud Function or a whole project becomes callable by anyone.",
		"`allUsers` or `allAuthenticatedUsers` gets an invoker role on a service or function, or an invoker role is granted on a project to the public. " +
			"Fix: grant `roles/run.invoker` (or `roles/cloudfunctions.invoker`) to the calling service account only, e.g. `gcpinvoke_run_service_iam_member` with `member = \"serviceAccount:…\"`."},
	{CodeBroadImpersonation, "BroadImpersonation", High,
		"Many principals may mint tokens as, or act as, service accounts.",
		"A token-creator, actAs, OpenID-token-creator, workload-identity-user or service-agent role is granted to `allUsers`, `allAuthenticatedUsers`, a `domain:` or a `principalSet://`. " +
			"Fix: grant it to the one principal that needs it; for a Scheduler or Tasks service agent use `gcpinvoke_service_agent_impersonation`."},
	{CodeOAuthNonGoogle, "OAuthTokenToNonGoogleHost", High,
		"A job sends an OAuth access token to a host outside *.googleapis.com.",
		"The receiver can use the access token against Google APIs as the job's service account. " +
			"Fix: use `oidc_token = { audience = \"https://SERVICE-URL\" }` for anything that is not a Google API."},
	{CodeBrokenChain, "BrokenInvocationChain", High,
		"A change breaks the invocation chain of a caller that stays.",
		"A Scheduler job, Tasks queue or workflow that exists before and after the apply loses its invoker binding (its calls get 403), its service agent's right to mint its tokens, or its service account (no token). " +
			"Fix: keep the link while the caller uses it, or change or remove the caller in the same change."},
	{CodeAuthoritativeRemoval, "AuthoritativeRemoval", Medium,
		"An authoritative IAM resource removes members it does not list.",
		"An `*_iam_binding`, `*_iam_policy` or `*_members` with `exclusive = true` removes members that were granted elsewhere. " +
			"Fix: use one non-authoritative `*_iam_member` per member, or list the members that must keep access."},
	{CodeAudiencePath, "OIDCAudienceWithPath", Medium,
		"An OIDC audience has a path, query or fragment the target does not accept.",
		"Cloud Run accepts only the service's root URL as audience (a 1st gen function its URL), so the calls fail with 401. " +
			"Fix: set `oidc_token.audience` to the root URL (the provider's default)."},
	{CodeNoInvoker, "NoInvokerBinding", Info,
		"A caller's service account has no invoker binding on its target in the plan or state.",
		"It may be granted outside this configuration; otherwise the calls get 403. " +
			"Fix: add a `gcpinvoke_run_service_iam_member` (or `gcpinvoke_cloudfunctions_function_iam_member`) for the caller's service account on the target."},
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s Severity) string {
	switch s {
	case High:
		return "error"
	case Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the score GitHub code scanning ranks security results by.
var securitySeverity = map[Severity]string{High: "8.0", Medium: "5.0", Info: "2.0"}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// SARIFOptions are the settings of WriteSARIF.
type SARIFOptions struct {
	// ToolVersion is gcpinvoke's version.
	ToolVersion string
	// Locations maps resource addresses to files and lines (Locate); nil
	// writes results with logical locations (the address) only.
	Locations Locations
}

// WriteSARIF writes the findings as a SARIF 2.1.0 log: one rule per finding
// kind (with the fix in its help), one result per finding, its level from
// the severity, located at the resource block that causes it when
// opts.Locations knows the address.
func WriteSARIF(w io.Writer, r *Report, opts SARIFOptions) error {
	index := map[string]int{}
	rules := make([]sarifRule, 0, len(Rules))
	for i, rl := range Rules {
		index[rl.Code] = i
		rules = append(rules, sarifRule{
			ID: rl.Code, Name: rl.Name,
			ShortDescription:     sarifText{Text: rl.Short},
			FullDescription:      sarifText{Text: rl.Short + " " + plainText(rl.Help)},
			Help:                 sarifText{Text: plainText(rl.Help), Markdown: rl.Help},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(rl.Severity)},
			Properties:           map[string]any{"tags": []string{"security", "iam"}, "security-severity": securitySeverity[rl.Severity]},
		})
	}
	results := make([]sarifResult, 0, len(r.Findings))
	for _, f := range r.Findings {
		i, ok := index[f.Code]
		if !ok {
			continue
		}
		loc := sarifLocation{LogicalLocations: []sarifLogical{{FullyQualifiedName: f.Address, Kind: "resource"}}}
		if l, found := opts.Locations.lookup(f.Address); found {
			art := sarifArtifact{URI: l.File}
			if !strings.HasPrefix(l.File, "/") {
				art.URIBaseID = "%SRCROOT%"
			} else {
				art.URI = "file://" + l.File
			}
			loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: art, Region: sarifRegion{StartLine: l.Line, StartColumn: l.Column}}
		}
		results = append(results, sarifResult{
			RuleID: f.Code, RuleIndex: i, Level: sarifLevel(f.Severity),
			Message:   sarifText{Text: oneLine(f.Message) + " Fix: " + oneLine(f.Fix)},
			Locations: []sarifLocation{loc},
		})
	}
	log := sarifLog{Schema: sarifSchemaURI, Version: SARIFVersion, Runs: []sarifRun{{
		Tool: sarifTool{Driver: sarifDriver{Name: "gcpinvoke review", InformationURI: "https://registry.terraform.io/providers/gcpinvoke/gcpinvoke",
			Version: opts.ToolVersion, Rules: rules}},
		Results: results,
	}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// plainText drops Markdown code marks.
func plainText(md string) string { return strings.ReplaceAll(md, "`", "") }
