package review

import (
	"fmt"
	"strings"
)

// graph builds a Mermaid flowchart with stable node ids.
type graph struct {
	ids   map[string]string
	lines []string
	edges map[string]bool // from>to pairs drawn; the first label wins
}

func (g *graph) node(key, label, shape string) string {
	if id, ok := g.ids[key]; ok {
		return id
	}
	id := fmt.Sprintf("n%d", len(g.ids)+1)
	g.ids[key] = id
	open, closing := "[", "]"
	if shape == "round" {
		open, closing = "(", ")"
	}
	g.lines = append(g.lines, fmt.Sprintf("  %s%s\"%s\"%s", id, open, mermaidText(label), closing))
	return id
}

func (g *graph) edge(from, to, label string, dashed bool) {
	arrow := "-->"
	if dashed {
		arrow = "-.->"
	}
	if pair := from + ">" + to; !g.edges[pair] {
		g.edges[pair] = true
		g.lines = append(g.lines, fmt.Sprintf("  %s %s|\"%s\"| %s", from, arrow, mermaidText(label), to))
	}
}

func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\n", " ", "|", "#124;", "`", "'").Replace(s)
}

// principalNode returns the node of a principal, keyed so that a job's
// service account and a binding's member meet on one node.
func (g *graph) principalNode(keys []string, label string) string {
	key := "label:" + label
	for _, k := range keys {
		if strings.HasPrefix(k, "serviceaccount:") {
			key = k
			break
		}
	}
	if key == "label:"+label && len(keys) > 0 {
		key = keys[0]
	}
	return g.node(key, label, "")
}

// mermaid draws caller → service account → target for every job, plus the
// invoker and impersonation grants this plan adds; "" when there is nothing
// to draw.
func mermaid(r *Report) string {
	g := &graph{ids: map[string]string{}, edges: map[string]bool{}}
	for _, j := range r.Jobs {
		if j.Token == "none" {
			continue
		}
		caller := g.node("job:"+j.Address, j.Caller+": "+j.Address, "round")
		saLabel := j.ServiceAccount
		if j.ServiceAccount == Unknown && j.ServiceAccountRef != "" {
			saLabel = j.ServiceAccountRef + " " + Unknown
		}
		sa := g.principalNode(j.saKeys, saLabel)
		g.edge(caller, sa, j.Token+" token", false)
		if len(j.Targets) == 0 {
			t := g.node("url:"+jobURL(j), jobURL(j), "")
			g.edge(sa, t, "calls", j.Token == "oidc" && j.InvokerVia == "")
			continue
		}
		for _, tg := range j.Targets {
			t := g.node("target:"+tg.String(), tg.String(), "")
			label := "invoker"
			if j.Token == "oidc" && j.InvokerVia == "" {
				label = "no invoker binding"
			}
			if j.Token == "oauth" {
				label = "OAuth"
			}
			g.edge(sa, t, label, label == "no invoker binding")
		}
	}
	for _, b := range r.Bindings {
		if b.Action != Grant {
			continue
		}
		invoke := b.Target.Kind != KindServiceAccount && (isInvokerRole(b.Target.Kind, b.Role) || b.invokerRole)
		impersonate := impersonationRoles[b.Role]
		if !invoke && !impersonate {
			continue
		}
		label := strings.TrimPrefix(b.Member, "serviceAccount:")
		if b.Member == Unknown && b.MemberRef != "" {
			label = b.MemberRef + " " + Unknown
		}
		from := g.principalNode(b.keys, label)
		var to string
		switch {
		case b.Target.Kind == KindServiceAccount && b.Target.Name == Unknown:
			to = g.principalNode([]string{"ref:" + b.Target.Ref}, b.Target.Ref+" "+Unknown)
		case b.Target.Kind == KindServiceAccount:
			to = g.principalNode([]string{saKey(b.Target.Name)}, b.Target.Name)
		default:
			to = g.node("target:"+b.Target.String(), b.Target.String(), "")
		}
		g.edge(from, to, b.Role, false)
	}
	if len(g.lines) == 0 {
		return ""
	}
	return "flowchart LR\n" + strings.Join(g.lines, "\n") + "\n"
}
