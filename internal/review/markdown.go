package review

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the report as Markdown ready to paste as a pull
// request comment: summary line, grants and revocations per target,
// findings by severity, the callers, and a Mermaid diagram of the chains.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	b.WriteString("## gcpinvoke review\n\n")
	fmt.Fprintf(&b, "**%s**\n", r.Summary())

	b.WriteString("\n### Grants and revocations\n\n")
	if len(r.Bindings) == 0 {
		b.WriteString("No change to who can invoke or impersonate.\n")
	}
	for i, bd := range r.Bindings {
		if i == 0 || bd.Target.String() != r.Bindings[i-1].Target.String() {
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "#### %s\n\n", cell(bd.Target.String()))
			b.WriteString("| change | role | member | via | authoritative |\n|---|---|---|---|---|\n")
		}
		change := "➕ grant"
		if bd.Action == Revoke {
			change = "➖ revoke"
		}
		member := code(bd.Member)
		if bd.MemberRef != "" {
			member += " from " + code(bd.MemberRef)
		}
		if bd.Condition != "" {
			member += " if " + cell(bd.Condition)
		}
		auth := "no"
		if bd.Authoritative {
			auth = "**yes**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", change, code(bd.Role), member, code(bd.Address), auth)
	}

	b.WriteString("\n### Findings\n\n")
	if len(r.Findings) == 0 {
		b.WriteString("None.\n")
	}
	for i, f := range r.Findings {
		if i == 0 || f.Severity != r.Findings[i-1].Severity {
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "#### %s (%d)\n\n", severityTitle[f.Severity], r.CountSeverity(f.Severity))
		}
		fmt.Fprintf(&b, "- **%s** %s: %s  \n  Fix: %s\n", f.Code, code(f.Address), oneLine(f.Message), oneLine(f.Fix))
	}

	if len(r.Jobs) > 0 {
		b.WriteString("\n### Callers\n\n| caller | resource | service account | token | URL | invoker binding | agent may mint tokens |\n|---|---|---|---|---|---|---|\n")
		for _, j := range r.Jobs {
			sa := code(j.ServiceAccount)
			if j.ServiceAccountRef != "" {
				sa += " from " + code(j.ServiceAccountRef)
			}
			if j.ServiceAccount == "" {
				sa = "–"
			}
			token := j.Token
			if j.Token == "oidc" {
				token += " (audience " + code(j.Audience) + ")"
			}
			invoker := "none found"
			if j.InvokerVia != "" {
				invoker = code(j.InvokerVia)
			}
			if j.Token != "oidc" {
				invoker = "–"
			}
			resource := code(j.Address)
			if j.Step != "" {
				resource += " step " + code(j.Step)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", j.Caller, resource, sa, token, code(jobURL(j)), invoker, impersonation(j))
		}
	}

	if d := mermaid(r); d != "" {
		b.WriteString("\n### Invocation chains\n\n```mermaid\n")
		b.WriteString(d)
		b.WriteString("```\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// impersonation is the callers table's cell for the service agent's right
// to mint the job's tokens.
func impersonation(j Job) string {
	switch {
	case j.ImpersonationVia != "":
		return code(j.ImpersonationVia)
	case j.Token == "none" || agentOfCaller[j.Caller] == "":
		return "–"
	}
	return "not in plan"
}

var severityTitle = map[Severity]string{High: "High", Medium: "Medium", Info: "Info"}

// jobURL is the job's URL as shown to a reader.
func jobURL(j Job) string {
	switch {
	case j.URL == "":
		return "(set by each task)"
	case j.URL == Unknown && j.URLRef != "":
		return j.URLRef + " " + Unknown
	}
	return j.URL
}

// code renders s as an inline code span safe inside a table cell.
func code(s string) string {
	if s == "" {
		return "–"
	}
	s = strings.NewReplacer("`", "'", "|", "\\|").Replace(oneLine(s))
	return "`" + s + "`"
}

// cell makes s safe inside a table cell or heading.
func cell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", "\\|")
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
