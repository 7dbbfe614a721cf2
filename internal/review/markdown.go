package review

import (
	"fmt"
	"io"
	"strings"
)

// foldRows is the number of table rows above which a table is folded in a
// <details> element, so a long report stays readable as a PR comment.
const foldRows = 10

// Verdict is the report's first line: an icon for the most severe finding,
// then the summary, e.g. "🛑 3 grants, 1 revocation, 2 findings (1 high, 1 medium)".
func (r *Report) Verdict() string {
	icon := "✅"
	switch {
	case r.CountSeverity(High) > 0:
		icon = "🛑"
	case r.CountSeverity(Medium) > 0:
		icon = "⚠️"
	case r.CountSeverity(Info) > 0:
		icon = "ℹ️"
	}
	return icon + " gcpinvoke review: " + r.Summary()
}

// WriteMarkdown writes the report as Markdown ready to paste as a pull
// request comment: a one-line verdict, findings by severity, the changes
// that touch only Terraform's state, grants and revocations per target, the
// callers, and a Mermaid diagram of the chains. Ordering is stable; tables
// longer than foldRows rows are folded in <details>.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n", r.Verdict())

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

	if len(r.Neutral) > 0 {
		b.WriteString("\n### No change in Google Cloud\n\nThese change only Terraform's state: the objects stay as they are.\n\n")
		var rows []string
		for _, n := range r.Neutral {
			what := map[string]string{
				NeutralForget: "forget (`removed` with `destroy = false`): no longer managed, left in place",
				NeutralImport: "import of " + code(n.ImportID),
				NeutralMove:   "moved from " + code(n.From),
			}[n.Kind]
			if n.Action != "no-op" {
				what += "; then " + n.Action + " (listed below)"
			}
			rows = append(rows, fmt.Sprintf("| %s | %s | %s |", n.Kind, code(n.Address), what))
		}
		table(&b, "| kind | resource | what happens |\n|---|---|---|", rows, "state-only changes")
	}

	if len(r.Deferred) > 0 {
		b.WriteString("\n### Deferred to a later plan\n\nTerraform postponed these; this apply does not make them.\n\n")
		var rows []string
		for _, d := range r.Deferred {
			rows = append(rows, fmt.Sprintf("| %s | %s | %s |", code(d.Address), d.Action, cell(d.Reason)))
		}
		table(&b, "| resource | action | reason |\n|---|---|---|", rows, "deferred changes")
	}

	b.WriteString("\n### Grants and revocations\n\n")
	if len(r.Bindings) == 0 {
		b.WriteString("No change to who can invoke or impersonate.\n")
	}
	for i := 0; i < len(r.Bindings); {
		target := r.Bindings[i].Target.String()
		var rows []string
		for ; i < len(r.Bindings) && r.Bindings[i].Target.String() == target; i++ {
			rows = append(rows, bindingRow(r.Bindings[i]))
		}
		if len(rows) > 0 && i > len(rows) {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "#### %s\n\n", cell(target))
		table(&b, "| change | role | member | via | authoritative |\n|---|---|---|---|---|", rows, "changes on "+cell(target))
	}

	if len(r.Jobs) > 0 {
		b.WriteString("\n### Callers\n\n")
		var rows []string
		for _, j := range r.Jobs {
			rows = append(rows, jobRow(j))
		}
		table(&b, "| caller | resource | service account | token | URL | invoker binding | agent may mint tokens |\n|---|---|---|---|---|---|---|", rows, "callers")
	}

	if d := mermaid(r); d != "" {
		b.WriteString("\n### Invocation chains\n\n```mermaid\n")
		b.WriteString(d)
		b.WriteString("```\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// table writes a table, folded in <details> when it has more than foldRows
// rows.
func table(b *strings.Builder, header string, rows []string, what string) {
	fold := len(rows) > foldRows
	if fold {
		fmt.Fprintf(b, "<details><summary>%d %s</summary>\n\n", len(rows), what)
	}
	b.WriteString(header + "\n")
	for _, r := range rows {
		b.WriteString(r + "\n")
	}
	if fold {
		b.WriteString("\n</details>\n")
	}
}

func bindingRow(bd Binding) string {
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
	via := code(bd.Address)
	if bd.Because != "" {
		via += " (" + cell(bd.Because) + ")"
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s |", change, code(bd.Role), member, via, auth)
}

func jobRow(j Job) string {
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
	if j.Because != "" {
		resource += " (" + cell(j.Because) + ")"
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s |", j.Caller, resource, sa, token, code(jobURL(j)), invoker, impersonation(j))
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
