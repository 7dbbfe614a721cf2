package review

import (
	"fmt"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// Analyze builds the report of a plan: the grants and revocations it makes,
// the callers that exist after apply, the changes that touch only
// Terraform's state, and the findings about all of them.
func Analyze(p *Plan) *Report {
	rd := reader{cfg: buildConfig(p.Config), res: buildResources(p)}
	rep := &Report{TerraformVersion: p.TerraformVersion}
	var w world
	var findings []Finding
	seen := map[string]bool{}

	for _, rc := range p.ResourceChanges {
		if rc.Mode == tfjson.DataResourceMode {
			continue
		}
		seen[rc.Address] = true
		action := actionOf(rc.Change)
		rep.Neutral = append(rep.Neutral, neutralOf(rc, action)...)
		because := becauseOf(p.actionReason(rc), rc.Change.ReplacePaths)
		before, after := beforeAttrs(rc.Change), afterAttrs(rc.Change)
		if action == "forget" {
			// Terraform lets go of the object; it stays in Google Cloud as it is.
			after = before
		}
		w.addChange(rc, action)
		if t, ok := lookupIAMType(rc.Type); ok {
			bBefore := rd.bindings(t, rc.Address, before)
			bAfter := rd.bindings(t, rc.Address, after)
			grants, revokes := diff(bBefore, bAfter)
			if t.style == styleMemberRemove {
				// The resource's own member is the one it removes.
				grants, revokes = nil, asRevokes(grants)
			} else {
				w.before = append(w.before, bBefore...)
				w.after = append(w.after, bAfter...)
			}
			grants, revokes = relevant(grants), relevant(revokes)
			for i := range revokes {
				revokes[i].Because = because
			}
			for i := range grants {
				grants[i].Because = because
			}
			rep.Bindings = append(rep.Bindings, grants...)
			rep.Bindings = append(rep.Bindings, revokes...)
			if f, ok := authoritativeRemoval(rc.Address, action, revokes); ok && t.style != styleMemberRemove {
				findings = append(findings, f)
			}
			continue
		}
		if saTypes[rc.Type] {
			w.addServiceAccount(rc.Address, action, before)
		}
		if action == "delete" {
			continue
		}
		jobs := rd.callers(rc.Type, rc.Address, action, after)
		for i := range jobs {
			jobs[i].Because = because
			jobs[i].existed = rc.Change.Before != nil
		}
		rep.Jobs = append(rep.Jobs, jobs...)
	}
	for _, d := range p.DeferredChanges {
		if d == nil || d.ResourceChange == nil || d.ResourceChange.Mode == tfjson.DataResourceMode {
			continue
		}
		action := "no-op"
		if d.ResourceChange.Change != nil {
			action = actionOf(d.ResourceChange.Change)
		}
		rep.Deferred = append(rep.Deferred, Deferred{Address: d.ResourceChange.Address, Action: action, Reason: d.Reason})
	}

	// Resources in state that the plan does not list (for example with -target)
	// still exist after apply.
	if p.PriorState != nil && p.PriorState.Values != nil {
		walkModule(p.PriorState.Values.RootModule, func(r *tfjson.StateResource) {
			if r.Mode == tfjson.DataResourceMode || seen[r.Address] {
				return
			}
			a := stateAttrs(r)
			if t, ok := lookupIAMType(r.Type); ok && t.style != styleMemberRemove {
				bs := rd.bindings(t, r.Address, a)
				w.before = append(w.before, bs...)
				w.after = append(w.after, bs...)
			} else {
				jobs := rd.callers(r.Type, r.Address, "no-op", a)
				for i := range jobs {
					jobs[i].existed = true
				}
				rep.Jobs = append(rep.Jobs, jobs...)
			}
		})
	}

	for i := range rep.Jobs {
		j := &rep.Jobs[i]
		// Bindings this plan revokes still identify what a staying job calls.
		j.Targets = rd.jobTargets(*j, append(append([]Binding(nil), w.after...), w.before...))
		j.InvokerVia = invokerVia(*j, w.after)
		j.ImpersonationVia = impersonationVia(*j, w.after)
	}
	for _, b := range rep.Bindings {
		if b.Action == Grant {
			findings = append(findings, grantFindings(b)...)
		}
	}
	for _, j := range rep.Jobs {
		broken := w.brokenChain(j)
		findings = append(findings, broken...)
		findings = append(findings, jobFindings(j, len(broken) > 0)...)
	}
	rep.Findings = findings
	sortReport(rep)
	return rep
}

// neutralOf lists what a change does to Terraform's state only.
func neutralOf(rc *tfjson.ResourceChange, action string) []Neutral {
	var out []Neutral
	if action == "forget" {
		out = append(out, Neutral{Kind: NeutralForget, Address: rc.Address, Action: "no-op"})
	}
	if action == "forget" || action == "delete" {
		return out
	}
	if rc.Change.Importing != nil {
		out = append(out, Neutral{Kind: NeutralImport, Address: rc.Address, ImportID: rc.Change.Importing.ID, Action: action})
	}
	if rc.PreviousAddress != "" && rc.PreviousAddress != rc.Address {
		out = append(out, Neutral{Kind: NeutralMove, Address: rc.Address, From: rc.PreviousAddress, Action: action})
	}
	return out
}

// Terraform's action_reason values, as a reader should see them.
var actionReasons = map[string]string{
	"replace_because_tainted":           "replace because the object is tainted",
	"replace_by_request":                "replace requested with -replace",
	"replace_by_triggers":               "replace because of replace_triggered_by",
	"delete_because_no_resource_config": "delete because it is no longer in the configuration",
	"delete_because_no_module":          "delete because its module is no longer in the configuration",
	"delete_because_wrong_repetition":   "delete because count/for_each changed",
	"delete_because_count_index":        "delete because its count index is out of range",
	"delete_because_each_key":           "delete because its for_each key is gone",
	"delete_because_no_move_target":     "delete because its moved target is not in the configuration",
}

// becauseOf turns an action_reason (and the replace_paths of a replacement
// forced by the provider) into text, e.g. "replace because member cannot be
// updated in place"; "" when the plan says nothing worth showing.
func becauseOf(reason string, replacePaths []any) string {
	if reason == "replace_because_cannot_update" {
		var paths []string
		for _, rp := range replacePaths {
			steps, ok := rp.([]any)
			if !ok {
				continue
			}
			var parts []string
			for _, st := range steps {
				switch x := st.(type) {
				case string:
					parts = append(parts, x)
				case float64:
					parts = append(parts, fmt.Sprintf("[%d]", int(x)))
				}
			}
			if len(parts) > 0 {
				paths = append(paths, strings.ReplaceAll(strings.Join(parts, "."), ".[", "["))
			}
		}
		sort.Strings(paths)
		if len(paths) == 0 {
			return "replace because a changed attribute cannot be updated in place"
		}
		return "replace because " + strings.Join(paths, ", ") + " cannot be updated in place"
	}
	return actionReasons[reason]
}
func asRevokes(bs []Binding) []Binding {
	for i := range bs {
		bs[i].Action = Revoke
	}
	return bs
}

// relevant drops project-level roles that do not change who can invoke or
// impersonate.
func relevant(bs []Binding) []Binding {
	var out []Binding
	for _, b := range bs {
		if b.Target.Kind != KindProject || projectRoleRelevant(b.Role) {
			out = append(out, b)
		}
	}
	return out
}

func walkModule(m *tfjson.StateModule, fn func(*tfjson.StateResource)) {
	if m == nil {
		return
	}
	for _, r := range m.Resources {
		if r != nil {
			fn(r)
		}
	}
	for _, c := range m.ChildModules {
		walkModule(c, fn)
	}
}

// jobTargets identifies what a job calls: a resource serving its URL, the
// resource its URL expression references, or a binding target whose
// Google-assigned host name matches the URL.
func (rd reader) jobTargets(j Job, effective []Binding) []Target {
	if j.URL != "" && j.URL != Unknown {
		if ts := rd.res.targetsByURL(j.URL); len(ts) > 0 {
			return ts
		}
	}
	if j.URLRef != "" {
		if res, ok := rd.res.lookup(j.URLRef); ok {
			key, _ := refResource(j.URLRef)
			if ts := withSource(targetsOf(res), key); len(ts) > 0 {
				return ts
			}
		}
	}
	var out []Target
	for _, b := range effective {
		if hostMatches(j.URL, b.Target) {
			out = appendTargets(out, b.Target)
		}
	}
	return out
}

// hostMatches reports whether raw has the host Google gives target:
// SERVICE-HASH-REGIONCODE.a.run.app, SERVICE-PROJECTNUMBER.REGION.run.app or
// REGION-PROJECT.cloudfunctions.net/FUNCTION (and the emulator's .localhost
// forms).
func hostMatches(raw string, t Target) bool {
	if raw == "" || raw == Unknown || t.Name == "" || t.Name == Unknown {
		return false
	}
	host := strings.ToLower(jobHost(Job{URL: raw}))
	labels := strings.Split(host, ".")
	name := strings.ToLower(t.Name)
	switch t.Kind {
	case KindRunService:
		if !gcpnames.IsCloudRunHost(host) || len(labels) < 3 {
			return false
		}
		if labels[1] != "a" && t.Location != "" && labels[1] != t.Location {
			return false
		}
		return strings.HasPrefix(labels[0], name+"-")
	case KindFunction:
		if !gcpnames.IsGen1FunctionHost(host) {
			return false
		}
		if t.Location != "" && !strings.HasPrefix(labels[0], t.Location+"-") {
			return false
		}
		if t.Location != "" && t.Project != "" && labels[0] != t.Location+"-"+t.Project {
			return false
		}
		seg := strings.Split(strings.TrimPrefix(urlPath(raw), "/"), "/")[0]
		return strings.EqualFold(seg, t.Name)
	}
	return false
}

// sameTarget reports whether a binding's target b is the job target a.
func sameTarget(a, b Target) bool {
	if a.Kind != b.Kind {
		return false
	}
	if a.Name == Unknown || b.Name == Unknown {
		ra, rb := first(a.Ref, a.src), first(b.Ref, b.src)
		return ra != "" && ra == rb
	}
	if !strings.EqualFold(a.Name, b.Name) {
		return false
	}
	if a.Location != "" && b.Location != "" && a.Location != b.Location {
		return false
	}
	return a.Project == "" || b.Project == "" || a.Project == b.Project
}

// invokerVia returns the address of a binding that lets the job's service
// account call one of the job's targets, else of one that lets everyone;
// "" when none.
func invokerVia(j Job, effective []Binding) string {
	if via := invokerBinding(j, effective, func(b Binding) bool { return intersects(b.keys, j.saKeys) }); via != "" {
		return via
	}
	return invokerBinding(j, effective, func(b Binding) bool { return iampolicy.IsPublic(b.Member) })
}

func invokerBinding(j Job, effective []Binding, principal func(Binding) bool) string {
	for _, b := range effective {
		if !principal(b) {
			continue
		}
		if b.Target.Kind == KindProject {
			if !isInvokerRole(KindProject, b.Role) {
				continue
			}
			if len(j.Targets) == 0 {
				return b.Address
			}
			for _, t := range j.Targets {
				if t.Project == "" || b.Target.Name == Unknown || t.Project == b.Target.Name {
					return b.Address
				}
			}
			continue
		}
		if !isInvokerRole(b.Target.Kind, b.Role) && !b.invokerRole {
			continue
		}
		for _, t := range j.Targets {
			if sameTarget(t, b.Target) {
				return b.Address
			}
		}
	}
	return ""
}

// impersonationVia returns the address of a binding that lets the job's
// service agent mint tokens as the job's service account; "" when none.
func impersonationVia(j Job, effective []Binding) string {
	agent := agentOfCaller[j.Caller]
	if agent == "" || j.Token == "none" {
		return ""
	}
	domain := "@gcp-sa-" + agent + ".iam.gserviceaccount.com"
	for _, b := range effective {
		if b.Target.Kind != KindServiceAccount || !tokenMintingRole(b.Role) {
			continue
		}
		onSA := intersects([]string{saKey(b.Target.Name), "ref:" + b.Target.Ref}, j.saKeys)
		isAgent := intersects(b.keys, []string{"agent:" + agent}) || strings.HasSuffix(strings.ToLower(b.Member), domain)
		if onSA && isAgent {
			return b.Address
		}
	}
	return ""
}

func intersects(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func sortReport(r *Report) {
	sort.SliceStable(r.Bindings, func(i, k int) bool {
		a, b := r.Bindings[i], r.Bindings[k]
		for _, c := range [][2]string{
			{a.Target.String(), b.Target.String()}, {string(a.Action), string(b.Action)},
			{a.Role, b.Role}, {a.Member, b.Member}, {a.Address, b.Address}, {a.MemberRef, b.MemberRef},
		} {
			if c[0] != c[1] {
				return c[0] < c[1]
			}
		}
		return false
	})
	sort.SliceStable(r.Jobs, func(i, k int) bool { return r.Jobs[i].Address < r.Jobs[k].Address })
	sort.SliceStable(r.Neutral, func(i, k int) bool {
		a, b := r.Neutral[i], r.Neutral[k]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Address < b.Address
	})
	sort.SliceStable(r.Deferred, func(i, k int) bool { return r.Deferred[i].Address < r.Deferred[k].Address })
	sort.SliceStable(r.Findings, func(i, k int) bool {
		a, b := r.Findings[i], r.Findings[k]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		if a.Address != b.Address {
			return a.Address < b.Address
		}
		return a.Message < b.Message
	})
}
