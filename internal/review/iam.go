package review

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// iamStyle is how a resource type manages IAM.
type iamStyle int

const (
	styleMember       iamStyle = iota + 1 // one member, non-authoritative
	styleBinding                          // all members of one role (authoritative)
	styleMembers                          // our _members: authoritative when exclusive = true
	stylePolicy                           // the whole policy (authoritative)
	styleMemberRemove                     // google_project_iam_member_remove: revokes a member
	styleAgent                            // gcpinvoke_service_agent_impersonation
)

// iamType describes one IAM resource type.
type iamType struct {
	kind               TargetKind
	style              iamStyle
	project, loc, name string // attribute names of the target
	collection         string // resource-name collection ("services", "functions")
	ours               bool
}

var iamFamilies = []iamType{
	{kind: KindRunService, project: "project", loc: "location", name: "name", collection: "services"},                // google_cloud_run_v2_service_iam
	{kind: KindRunService, project: "project", loc: "location", name: "service", collection: "services"},             // google_cloud_run_service_iam
	{kind: KindFunction, project: "project", loc: "region", name: "cloud_function", collection: "functions"},         // google_cloudfunctions_function_iam
	{kind: KindFunction, project: "project", loc: "location", name: "cloud_function", collection: "functions"},       // google_cloudfunctions2_function_iam
	{kind: KindServiceAccount, name: "service_account_id"},                                                           // google_service_account_iam
	{kind: KindProject, name: "project"},                                                                             // google_project_iam
	{kind: KindRunService, project: "project", loc: "location", name: "service", collection: "services", ours: true}, // gcpinvoke_run_service_iam
	{kind: KindFunction, project: "project", loc: "location", name: "function", collection: "functions", ours: true}, // gcpinvoke_cloudfunctions_function_iam
	{kind: KindServiceAccount, name: "service_account", ours: true},                                                  // gcpinvoke_service_account_iam
}

var iamPrefixes = []string{
	"google_cloud_run_v2_service_iam", "google_cloud_run_service_iam", "google_cloudfunctions_function_iam",
	"google_cloudfunctions2_function_iam", "google_service_account_iam", "google_project_iam",
	"gcpinvoke_run_service_iam", "gcpinvoke_cloudfunctions_function_iam", "gcpinvoke_service_account_iam",
}

// lookupIAMType returns how typ manages IAM; ok is false for other types.
func lookupIAMType(typ string) (iamType, bool) {
	if typ == "gcpinvoke_service_agent_impersonation" {
		return iamType{kind: KindServiceAccount, style: styleAgent, name: "service_account", ours: true}, true
	}
	for i, prefix := range iamPrefixes {
		suffix, ok := strings.CutPrefix(typ, prefix+"_")
		if !ok {
			continue
		}
		t := iamFamilies[i]
		switch {
		case suffix == "member":
			t.style = styleMember
		case suffix == "members" && t.ours:
			t.style = styleMembers
		case suffix == "binding" && !t.ours:
			t.style = styleBinding
		case suffix == "policy" && !t.ours:
			t.style = stylePolicy
		case suffix == "member_remove" && t.kind == KindProject && !t.ours:
			t.style = styleMemberRemove
		default:
			return iamType{}, false
		}
		return t, true
	}
	return iamType{}, false
}

// reader resolves names through the configuration and the resource index.
type reader struct {
	cfg config
	res *resources
}

// bindings returns every binding a resource holds in one state (before or
// after), unsorted. Members known only after apply come back as Unknown.
func (rd reader) bindings(t iamType, address string, a attrs) []Binding {
	if a.v == nil {
		return nil
	}
	target := rd.target(t, address, a)
	auth := t.style == styleBinding || t.style == stylePolicy || (t.style == styleMembers && a.boolean("exclusive"))
	base := Binding{Target: target, Address: address, Authoritative: auth}
	if t.style == stylePolicy {
		return rd.policyBindings(base, a)
	}

	role, known := a.str("role")
	switch {
	case !known:
		base.Role = Unknown
		base.invokerRole = t.ours && t.kind != KindServiceAccount
	case role == "" && t.ours && t.kind == KindRunService:
		base.Role = "roles/run.invoker"
	case role == "" && t.ours && t.kind == KindFunction:
		base.Role, base.invokerRole = Unknown, true
	case role == "" && t.style == styleAgent:
		base.Role = agentRole(a)
	default:
		base.Role = role
	}
	if title, ok := a.str("condition", "title"); ok && title != "" {
		base.Condition = title
	}

	switch t.style {
	case styleAgent:
		return []Binding{rd.agentBinding(base, a)}
	case styleMember, styleMemberRemove:
		m, ok := a.sealedStr("member")
		if !ok {
			return []Binding{rd.unknownMember(base, address, "member")}
		}
		return []Binding{rd.member(base, m, address, "member")}
	}
	known2, unknown := a.strs("members")
	var out []Binding
	for _, m := range known2 {
		out = append(out, rd.member(base, m, address, ""))
	}
	for range unknown {
		out = append(out, rd.unknownMember(base, address, "members"))
	}
	return out
}

// member fills a known member and its matching keys. A sealed sensitive
// member is shown as Sensitive and compared by its digest.
func (rd reader) member(b Binding, m, address, attr string) Binding {
	b.Member = shown(m)
	b.sealed = m != b.Member
	b.keys = []string{memberKey(m)}
	if email, ok := strings.CutPrefix(m, "serviceAccount:"); ok {
		b.keys = []string{saKey(email)}
	}
	if attr != "" {
		if ref := firstRef(rd.cfg.refs(address, attr), isSAType); ref != "" {
			b.keys = append(b.keys, rd.refKeys(ref)...)
		}
	}
	return b
}

// unknownMember fills a member known only after apply, following the
// configuration reference to the service account when there is one.
func (rd reader) unknownMember(b Binding, address, attr string) Binding {
	b.Member = Unknown
	refs := rd.cfg.refs(address, attr)
	ref := firstRef(refs, isSAType)
	if ref == "" {
		ref = firstRef(refs, func(string) bool { return true })
	}
	b.MemberRef = ref
	if ref != "" {
		b.keys = rd.refKeys(ref)
	}
	return b
}

// refKeys returns the matching keys of a principal referenced by ref.
func (rd reader) refKeys(ref string) []string {
	key, typ := refResource(ref)
	keys := []string{"ref:" + key}
	if isSAType(typ) {
		if res, ok := rd.res.lookup(ref); ok {
			if email := saEmail(res); email != "" {
				keys = append(keys, saKey(email))
			}
		}
	}
	return keys
}

// agentBinding is the grant made by gcpinvoke_service_agent_impersonation:
// the product's service agent on the service account.
func (rd reader) agentBinding(b Binding, a attrs) Binding {
	agent, _ := a.str("agent")
	agentKeys := []string{"agent:" + strings.ToLower(agent)}
	if email, ok := a.str("agent_email"); ok && email != "" {
		b = rd.member(b, "serviceAccount:"+email, "", "")
		b.keys = append(b.keys, agentKeys...)
		return b
	}
	if num, ok := a.str("project_number"); ok && num != "" && agent != "" {
		b = rd.member(b, "serviceAccount:"+agentEmail(num, agent), "", "")
		b.keys = append(b.keys, agentKeys...)
		return b
	}
	b.Member = Unknown
	b.MemberRef = strings.TrimSpace(agent + " service agent")
	if agent != "" {
		b.keys = agentKeys
	}
	return b
}

// agentRole is the role gcpinvoke_service_agent_impersonation grants when
// none is set: the agent's own service-agent role.
func agentRole(a attrs) string {
	name, _ := a.str("agent")
	if agent, err := gcpnames.LookupAgent(name); err == nil {
		return agent.Role
	}
	return Unknown
}

// target reads the IAM target of a resource; a name known only after apply
// is resolved through the configuration reference when possible.
func (rd reader) target(t iamType, address string, a attrs) Target {
	tg := Target{Kind: t.kind}
	name, ok := a.str(t.name)
	if !ok {
		ref := firstRef(rd.cfg.refs(address, t.name), func(string) bool { return true })
		if res, found := rd.res.lookup(ref); found && t.kind != KindServiceAccount && isTargetType(res.typ) {
			for _, cand := range targetsOf(res) {
				if cand.Kind == t.kind && cand.Name != "" {
					return cand
				}
			}
		}
		if res, found := rd.res.lookup(ref); found && t.kind == KindServiceAccount && isSAType(res.typ) {
			if email := saEmail(res); email != "" {
				tg.Name = email
				return tg
			}
		}
		tg.Name, tg.Ref = Unknown, refKeyOrEmpty(ref)
		return tg
	}
	if t.ours && t.kind == KindFunction {
		// A 2nd gen function's binding is on the Cloud Run service behind it;
		// the provider resolves binding_target at plan time when it can.
		if bt, ok := a.str("binding_target"); ok && strings.Contains(bt, "/services/") {
			p, l, n := parseName(bt, "services")
			return Target{Kind: KindRunService, Project: p, Location: l, Name: n}
		}
	}
	switch t.kind {
	case KindServiceAccount:
		tg.Project, tg.Name = parseServiceAccount(name)
	case KindProject:
		tg.Name = strings.TrimPrefix(name, "projects/")
	default:
		p, l, n := parseName(name, t.collection)
		project, _ := a.str(t.project)
		loc, _ := a.str(t.loc)
		tg.Project, tg.Location, tg.Name = first(p, project), first(l, loc), n
	}
	return tg
}

func refKeyOrEmpty(ref string) string {
	key, _ := refResource(ref)
	return key
}

// policyBindings expands policy_data (a JSON string) into bindings.
func (rd reader) policyBindings(base Binding, a attrs) []Binding {
	data, ok := a.str("policy_data")
	if !ok {
		base.Role, base.Member = Unknown, Unknown
		base.MemberRef = firstRef(rd.cfg.refs(base.Address, "policy_data"), func(string) bool { return true })
		return []Binding{base}
	}
	var policy struct {
		Bindings []struct {
			Role      string   `json:"role"`
			Members   []string `json:"members"`
			Condition *struct {
				Title string `json:"title"`
			} `json:"condition"`
		} `json:"bindings"`
	}
	if data == "" || json.Unmarshal([]byte(data), &policy) != nil {
		return nil
	}
	var out []Binding
	for _, pb := range policy.Bindings {
		b := base
		b.Role = pb.Role
		if pb.Condition != nil {
			b.Condition = pb.Condition.Title
		}
		members := append([]string(nil), pb.Members...)
		sort.Strings(members)
		for _, m := range members {
			out = append(out, rd.member(b, m, "", ""))
		}
	}
	return out
}

// bindingKey identifies a binding for before/after comparison; members
// known only after apply never compare equal.
func bindingKey(b Binding, i int) string {
	m := b.Member
	if b.sealed {
		m = b.keys[0] // the digest of the sensitive member
	}
	if m == Unknown {
		m = fmt.Sprintf("%s#%d", Unknown, i)
	}
	return strings.Join([]string{b.Target.String(), b.Role, m, b.Condition}, "\x00")
}

// diff returns the grants (in after, not before) and revocations (in
// before, not after) of one resource change.
func diff(before, after []Binding) (grants, revokes []Binding) {
	inBefore := map[string]bool{}
	for i, b := range before {
		inBefore[bindingKey(b, i)] = true
	}
	inAfter := map[string]bool{}
	for i, b := range after {
		k := bindingKey(b, i)
		inAfter[k] = true
		if !inBefore[k] {
			b.Action = Grant
			grants = append(grants, b)
		}
	}
	for i, b := range before {
		if !inAfter[bindingKey(b, i)] {
			b.Action = Revoke
			revokes = append(revokes, b)
		}
	}
	return grants, revokes
}
