package review

import (
	"sort"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// Analyze builds the report of a plan: the grants and revocations it makes,
// the callers that exist after apply and the findings about both.
func Analyze(p *Plan) *Report {
	rd := reader{cfg: buildConfig(p.Configuration), res: buildResources(p)}
	rep := &Report{TerraformVersion: p.TerraformVersion}
	var effective []Binding // every binding that exists after apply
	var findings []Finding
	seen := map[string]bool{}

	for _, rc := range p.ResourceChanges {
		if rc.Mode == "data" {
			continue
		}
		seen[rc.Address] = true
		action := rc.Change.Action()
		if t, ok := lookupIAMType(rc.Type); ok {
			before := rd.bindings(t, rc.Address, attrs{v: rc.Change.Before})
			after := rd.bindings(t, rc.Address, attrs{v: rc.Change.After, u: rc.Change.AfterUnknown})
			grants, revokes := diff(before, after)
			if t.style == styleMemberRemove {
				// The resource's own member is the one it removes.
				grants, revokes = nil, asRevokes(grants)
			} else {
				effective = append(effective, after...)
			}
			rep.Bindings = append(rep.Bindings, relevant(grants)...)
			rep.Bindings = append(rep.Bindings, relevant(revokes)...)
			if f, ok := authoritativeRemoval(rc.Address, action, relevant(revokes)); ok && t.style != styleMemberRemove {
				findings = append(findings, f)
			}
			continue
		}
		if action == "delete" {
			continue
		}
		rep.Jobs = append(rep.Jobs, rd.callers(rc.Type, rc.Address, action, attrs{v: rc.Change.After, u: rc.Change.AfterUnknown})...)
	}

	// Resources in state that the plan does not list (for example with -target)
	// still exist after apply.
	if p.PriorState != nil && p.PriorState.Values != nil {
		walkModule(p.PriorState.Values.RootModule, func(r StateResource) {
			if r.Mode == "data" || seen[r.Address] {
				return
			}
			if t, ok := lookupIAMType(r.Type); ok && t.style != styleMemberRemove {
				effective = append(effective, rd.bindings(t, r.Address, attrs{v: r.Values})...)
			} else {
				rep.Jobs = append(rep.Jobs, rd.callers(r.Type, r.Address, "no-op", attrs{v: r.Values})...)
			}
		})
	}

	for i := range rep.Jobs {
		j := &rep.Jobs[i]
		j.Targets = rd.jobTargets(*j, effective)
		j.InvokerVia = invokerVia(*j, effective)
		j.ImpersonationVia = impersonationVia(*j, effective)
	}
	for _, b := range rep.Bindings {
		if b.Action == Grant {
			findings = append(findings, grantFindings(b)...)
		}
	}
	for _, j := range rep.Jobs {
		findings = append(findings, jobFindings(j)...)
	}
	rep.Findings = findings
	sortReport(rep)
	return rep
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

func walkModule(m *Module, fn func(StateResource)) {
	if m == nil {
		return
	}
	for _, r := range m.Resources {
		fn(r)
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
