package review

import (
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/workflowsrc"
)

// workflowSource maps workflow resource types to the attribute holding the
// source.
var workflowSource = map[string]string{
	"gcpinvoke_workflow":        "source",
	"google_workflows_workflow": "source_contents",
}

// callers returns the callers one state of a resource defines: a job or
// queue with an HTTP target, or a workflow's authenticated http calls.
func (rd reader) callers(typ, address, action string, a attrs) []Job {
	if _, ok := workflowSource[typ]; ok {
		return rd.workflowCalls(typ, address, action, a)
	}
	if j, ok := rd.job(typ, address, action, a); ok {
		return []Job{j}
	}
	return nil
}

// workflowCalls returns one caller per http call of a workflow's source
// that sends a token, in source order. The token is minted for the
// workflow's own service account (no service agent is involved). A source
// known only after apply, or one that does not parse, yields none.
func (rd reader) workflowCalls(typ, address, action string, a attrs) []Job {
	if a.v == nil {
		return nil
	}
	src, ok := a.str(workflowSource[typ])
	if !ok || strings.TrimSpace(src) == "" {
		return nil
	}
	w, err := workflowsrc.Parse(src)
	if err != nil {
		return nil
	}
	sa, saRef := Unknown, ""
	var saKeys []string
	if s, ok := a.str("service_account"); ok {
		_, sa = parseServiceAccount(s)
		if sa != "" {
			saKeys = []string{saKey(sa)}
		}
	}
	if ref := firstRef(rd.cfg.refs(address, "service_account"), isSAType); ref != "" {
		if sa == Unknown {
			saRef = ref
		}
		saKeys = append(saKeys, rd.refKeys(ref)...)
	}
	var out []Job
	for _, c := range w.HTTPCalls() {
		if c.Auth == nil {
			continue
		}
		j := Job{Address: address, Caller: "workflows", Step: c.Step, Action: action,
			ServiceAccount: sa, ServiceAccountRef: saRef, URL: c.URL, saKeys: saKeys}
		// A URL computed at run time stays as written: it has no host to
		// judge, and no target to look for an invoker binding on.
		j.runtimeURL = c.URLIsExpression()
		switch strings.ToLower(c.Auth.Type) {
		case "oidc":
			j.Token, j.Audience = "oidc", c.Auth.Audience
			if j.Audience == "" {
				j.Audience, j.AudienceDefaulted = j.URL, true
			}
		case "oauth2":
			j.Token, j.Scope = "oauth", strings.Join(c.Auth.Scopes, " ")
		default:
			continue
		}
		out = append(out, j)
	}
	return out
}
