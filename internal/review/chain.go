package review

import (
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// world is what review knows of the IAM chain before and after apply: the
// bindings that exist (prior state and the changes' before values; planned
// after values), the action on every resource, and the service accounts the
// plan deletes or replaces.
type world struct {
	before, after []Binding
	actions       map[string]string   // address → plan action
	saGone        map[string]saChange // saKey(email) → deletion or replacement
}

type saChange struct {
	address, action string
}

func (w *world) addChange(rc *tfjson.ResourceChange, action string) {
	if w.actions == nil {
		w.actions = map[string]string{}
	}
	w.actions[rc.Address] = action
}

// addServiceAccount records a service account the plan deletes or replaces.
func (w *world) addServiceAccount(address, action string, before attrs) {
	if action != "delete" && action != "replace" {
		return
	}
	email := saEmail(resource{a: before})
	if email == "" || email == Sensitive {
		return
	}
	if w.saGone == nil {
		w.saGone = map[string]saChange{}
	}
	w.saGone[saKey(email)] = saChange{address: address, action: action}
}

// brokenChain returns the high findings of a caller that stays (it exists
// before and after apply) and that this plan leaves without a link it has
// today: its invoker binding (the target answers 403), its service agent's
// right to mint tokens as its service account, or the service account itself
// (no token at all).
func (w *world) brokenChain(j Job) []Finding {
	if !j.existed || j.Token == "none" || j.Action == "delete" {
		return nil
	}
	who := callerName(j)
	var out []Finding
	for _, k := range j.saKeys {
		gone, ok := w.saGone[k]
		if !ok {
			continue
		}
		if gone.action == "delete" {
			out = append(out, Finding{
				Severity: High, Code: CodeBrokenChain, Address: gone.address,
				Message: fmt.Sprintf("deleting service account %s breaks %s (%s), which stays: it gets no token and every run fails",
					j.ServiceAccount, who, j.Address),
				Fix: fmt.Sprintf("Keep %s while %s uses it, or point the caller at another account in the same change.", gone.address, j.Address),
			})
			return out
		}
		// Replaced: Google gives the new account a new unique ID, and grants
		// made to the old one do not apply to it.
		if via := j.InvokerVia; via != "" && w.actions[via] == "no-op" {
			out = append(out, Finding{
				Severity: High, Code: CodeBrokenChain, Address: gone.address,
				Message: fmt.Sprintf("replacing service account %s breaks %s (%s), which stays: the new account has a new unique ID, the invoker grant %s still names the old one, so the target answers 403",
					j.ServiceAccount, who, j.Address, via),
				Fix: fmt.Sprintf("Avoid the replacement of %s, or make %s depend on it (replace_triggered_by) so the grant is made again.", gone.address, via),
			})
			return out
		}
	}
	if j.Token == "oidc" && j.InvokerVia == "" && !j.runtimeURL {
		if via := invokerVia(j, w.before); via != "" {
			target := j.URL
			if len(j.Targets) > 0 {
				target = j.Targets[0].String()
			}
			out = append(out, Finding{
				Severity: High, Code: CodeBrokenChain, Address: via,
				Message: fmt.Sprintf("%s (%s) stays but loses its invoker binding: %s no longer lets %s call %s, so every run gets 403",
					who, j.Address, via, j.ServiceAccount, target),
				Fix: fmt.Sprintf("Keep the invoker binding (%s) while %s calls %s, or remove the caller in the same change.", via, j.Address, target),
			})
		}
	}
	if agent := agentOfCaller[j.Caller]; agent != "" && j.ImpersonationVia == "" {
		if via := impersonationVia(j, w.before); via != "" {
			out = append(out, Finding{
				Severity: High, Code: CodeBrokenChain, Address: via,
				Message: fmt.Sprintf("%s (%s) stays but its service agent loses the right to mint %s tokens as %s (%s): runs fail with no token, before any call",
					who, j.Address, strings.ToUpper(j.Token), j.ServiceAccount, via),
				Fix: fmt.Sprintf("Keep %s (gcpinvoke_service_agent_impersonation with agent = %q) while %s runs.", via, agent, j.Address),
			})
		}
	}
	return out
}

// callerName names a caller for a reader: "Cloud Scheduler job", …
func callerName(j Job) string {
	switch j.Caller {
	case "scheduler":
		return "the Cloud Scheduler job"
	case "tasks":
		return "the Cloud Tasks queue"
	case "workflows":
		if j.Step != "" {
			return "the workflow's step " + j.Step
		}
		return "the workflow"
	}
	return "the caller"
}
