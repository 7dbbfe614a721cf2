package emulator

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Policy is an IAM policy in Google's wire format.
type Policy struct {
	Version  int64      `json:"version,omitempty"`
	Etag     string     `json:"etag,omitempty"`
	Bindings []*Binding `json:"bindings,omitempty"`
}

// Binding grants a role to members, optionally under a condition.
type Binding struct {
	Role      string   `json:"role"`
	Members   []string `json:"members,omitempty"`
	Condition *Expr    `json:"condition,omitempty"`
}

// Expr is a CEL condition.
type Expr struct {
	Expression  string `json:"expression,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Location    string `json:"location,omitempty"`
}

// iamKind describes an IAM-bearing resource type: which roles can be granted
// on it, the permissions testIamPermissions knows, and the role the
// simulated concurrent writer uses.
type iamKind struct {
	name        string
	roles       map[string]bool   // nil: any predefined or custom role
	permissions map[string]string // permission -> a role that grants it
	writerRole  string
}

// emptyEtag is the etag of a policy that was never written.
const emptyEtag = "ACAB"

func (st *State) newEtag() string {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(st.nextSeq())|0x4243<<48)
	return base64.StdEncoding.EncodeToString(b)
}

func (p *Policy) clone() *Policy {
	if p == nil {
		return nil
	}
	out := &Policy{Version: p.Version, Etag: p.Etag}
	for _, b := range p.Bindings {
		nb := &Binding{Role: b.Role, Members: append([]string(nil), b.Members...)}
		if b.Condition != nil {
			c := *b.Condition
			nb.Condition = &c
		}
		out.Bindings = append(out.Bindings, nb)
	}
	return out
}

// policyFor returns the stored policy of a resource, or an empty one.
func (st *State) policyFor(resource string) *Policy {
	if p, ok := st.Policies[resource]; ok {
		return p
	}
	return &Policy{Version: 1, Etag: emptyEtag}
}

// iamGet answers getIamPolicy for a resource that exists (checked by the
// caller under the same lock via exists).
func (e *Emulator) iamGet(r *request, resource string, kind *iamKind, requestedVersion int64, exists func(st *State) error) (any, error) {
	if requestedVersion != 0 && requestedVersion != 1 && requestedVersion != 3 {
		return nil, errInvalid("Invalid requested policy version %d: it must be 0, 1 or 3.", requestedVersion)
	}
	var out *Policy
	err := e.read(func(st *State) error {
		if err := exists(st); err != nil {
			return err
		}
		out = st.policyFor(resource).clone()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if requestedVersion < 3 {
		for _, b := range out.Bindings {
			if b.Condition != nil {
				// Google rewrites conditional bindings for old readers.
				b.Role = b.Role + "_withcond_" + strconv.FormatUint(uint64(len(b.Condition.Expression)), 16)
				b.Condition = nil
				out.Version = 1
			}
		}
	}
	e.maybeConcurrentWrite(resource, kind)
	return out, nil
}

// iamSet answers setIamPolicy: etag check, validation, store, new etag.
func (e *Emulator) iamSet(r *request, resource string, kind *iamKind, in *Policy, exists func(st *State) error) (any, error) {
	if in == nil {
		return nil, errInvalid("Invalid JSON payload: 'policy' is required.")
	}
	var out *Policy
	err := e.mutate(func(st *State) error {
		if err := exists(st); err != nil {
			return err
		}
		cur := st.policyFor(resource)
		if in.Etag != "" && in.Etag != cur.Etag {
			return errConcurrentPolicyChange()
		}
		np, err := e.validatePolicy(st, kind, in)
		if err != nil {
			return err
		}
		np.Etag = st.newEtag()
		st.Policies[resource] = np
		out = np.clone()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// iamTest answers testIamPermissions with the subset of permissions the
// caller holds. The emulator treats the caller as an owner of everything.
func (e *Emulator) iamTest(r *request, kind *iamKind, permissions []string, exists func(st *State) error) (any, error) {
	if err := e.read(exists); err != nil {
		return nil, err
	}
	var granted []string
	for _, p := range permissions {
		if _, ok := kind.permissions[p]; ok {
			granted = append(granted, p)
		}
	}
	return map[string]any{"permissions": granted}, nil
}

var (
	roleRe           = regexp.MustCompile(`^(roles/[a-zA-Z0-9_.]+|projects/[a-z0-9-]+/roles/[a-zA-Z0-9_.]+|organizations/[0-9]+/roles/[a-zA-Z0-9_.]+)$`)
	emailRe          = regexp.MustCompile(`^[a-zA-Z0-9._%+\-]+@[a-zA-Z0-9.\-]+\.[a-zA-Z]{2,}$`)
	domainRe         = regexp.MustCompile(`^[a-zA-Z0-9.\-]+\.[a-zA-Z]{2,}$`)
	saEmailProjectRe = regexp.MustCompile(`^[a-z0-9-]+@([a-z][-a-z0-9]+)\.iam\.gserviceaccount\.com$`)
)

// validatePolicy checks a policy the way Google's IAM does and returns the
// normalised policy to store.
func (e *Emulator) validatePolicy(st *State, kind *iamKind, in *Policy) (*Policy, error) {
	if in.Version != 0 && in.Version != 1 && in.Version != 3 {
		return nil, errInvalid("Invalid policy version %d: it must be 1 or 3.", in.Version)
	}
	np := &Policy{Version: in.Version}
	if np.Version == 0 {
		np.Version = 1
	}
	principals := 0
	for _, b := range in.Bindings {
		if b == nil {
			continue
		}
		if !roleRe.MatchString(b.Role) {
			return nil, errInvalid("Role %s is not a valid role name.", b.Role)
		}
		if !kind.roleSupported(b.Role) {
			return nil, errInvalid("Role %s is not supported for this resource.", b.Role)
		}
		if b.Condition != nil && in.Version < 3 {
			return nil, errInvalid("Invalid argument: the policy has conditional role bindings but its version is %d. Policies with conditional role bindings must specify version 3.", in.Version)
		}
		if b.Condition != nil && strings.TrimSpace(b.Condition.Expression) == "" {
			return nil, errInvalid("Condition expression for role %s must not be empty.", b.Role)
		}
		if b.Condition != nil {
			if err := checkConditionExpression(b.Condition.Expression); err != nil {
				return nil, err
			}
		}
		principals += len(b.Members)
		if principals > maxPolicyPrincipals {
			// Google counts every occurrence of a principal, in every
			// binding, before any other check of the members.
			return nil, errInvalid("The number of members in the policy (%s) is larger than the maximum allowed size %s.", thousands(countPrincipals(in)), thousands(maxPolicyPrincipals))
		}
		nb := &Binding{Role: b.Role}
		if b.Condition != nil {
			c := *b.Condition
			nb.Condition = &c
		}
		seen := map[string]bool{}
		for _, m := range b.Members {
			nm, err := e.validateMember(st, m)
			if err != nil {
				return nil, err
			}
			if !seen[nm] {
				seen[nm] = true
				nb.Members = append(nb.Members, nm)
			}
		}
		if len(nb.Members) == 0 {
			continue
		}
		sort.Strings(nb.Members)
		np.Bindings = append(np.Bindings, nb)
	}
	return np, nil
}

// validateMember checks member syntax and, for service accounts of emulated
// projects, that the account exists and is visible (IAM propagation delay).
func (e *Emulator) validateMember(st *State, m string) (string, error) {
	switch m {
	case "allUsers", "allAuthenticatedUsers":
		return m, nil
	}
	kind, id, ok := strings.Cut(m, ":")
	if !ok || id == "" {
		return "", errInvalid("The member %s is of an unknown type. Please set a valid type prefix for the member.", m)
	}
	switch kind {
	case "user", "group":
		if !emailRe.MatchString(id) {
			return "", errInvalid("Invalid principal %s: %q is not a valid email address.", m, id)
		}
		nm := kind + ":" + strings.ToLower(id)
		if e.principalMissing(nm) {
			return "", errPrincipalMissing(kind, strings.ToLower(id))
		}
		return nm, nil
	case "serviceAccount":
		if !emailRe.MatchString(id) {
			return "", errInvalid("Invalid principal %s: %q is not a valid email address.", m, id)
		}
		email := strings.ToLower(id)
		if e.principalMissing(kind + ":" + email) {
			return "", errPrincipalMissing(kind, email)
		}
		if mm := saEmailProjectRe.FindStringSubmatch(email); mm != nil && st.project(mm[1]) != nil {
			if !e.serviceAccountVisible(st, email) {
				return "", errInvalid("Service account %s does not exist.", email)
			}
		}
		return kind + ":" + email, nil
	case "domain":
		if !domainRe.MatchString(id) {
			return "", errInvalid("Invalid principal %s: %q is not a valid domain.", m, id)
		}
		return kind + ":" + strings.ToLower(id), nil
	case "deleted":
		if !strings.Contains(id, "?uid=") {
			return "", errInvalid("Invalid principal %s: deleted principals carry ?uid=.", m)
		}
		return m, nil
	case "projectOwner", "projectEditor", "projectViewer":
		return m, nil
	case "principal", "principalSet":
		if !strings.HasPrefix(id, "//") {
			return "", errInvalid("Invalid principal %s.", m)
		}
		return m, nil
	}
	return "", errInvalid("The member %s is of an unknown type. Please set a valid type prefix for the member.", m)
}

// serviceAccountVisible reports whether setIamPolicy can see an account: it
// exists and was created more than the IAM propagation delay ago.
func (e *Emulator) serviceAccountVisible(st *State, email string) bool {
	sa, ok := st.ServiceAccounts[email]
	if !ok || sa == nil {
		return false
	}
	created := st.SACreated[email]
	if created.IsZero() || e.opts.IAMPropagationDelay <= 0 {
		return true
	}
	return !e.now().Before(created.Add(e.opts.IAMPropagationDelay))
}

// maybeConcurrentWrite simulates another writer changing the policy between
// a client's read and its write: it adds a member and bumps the etag.
func (e *Emulator) maybeConcurrentWrite(resource string, kind *iamKind) {
	if kind == nil || kind.writerRole == "" || !e.faults.concurrentWrite() {
		return
	}
	_ = e.mutate(func(st *State) error {
		pol := st.policyFor(resource).clone()
		member := fmt.Sprintf("user:concurrent-writer-%d@example.com", st.nextSeq())
		added := false
		for _, b := range pol.Bindings {
			if b.Role == kind.writerRole && b.Condition == nil {
				b.Members = append(b.Members, member)
				added = true
			}
		}
		if !added {
			pol.Bindings = append(pol.Bindings, &Binding{Role: kind.writerRole, Members: []string{member}})
		}
		if pol.Version == 0 {
			pol.Version = 1
		}
		pol.Etag = st.newEtag()
		st.Policies[resource] = pol
		st.ConcurrentWrites = append(st.ConcurrentWrites, ConcurrentWrite{Resource: resource, Role: kind.writerRole, Member: member})
		return nil
	})
}

// hasRole reports whether member holds role on resource (unconditional
// bindings only; the emulator does not evaluate CEL).
func (st *State) hasRole(resource, role, member string) bool {
	pol, ok := st.Policies[resource]
	if !ok {
		return false
	}
	for _, b := range pol.Bindings {
		if b.Role != role || b.Condition != nil {
			continue
		}
		for _, m := range b.Members {
			if m == member {
				return true
			}
		}
	}
	return false
}

// ConcurrentWrites lists the members the simulated concurrent writer added.
func (e *Emulator) ConcurrentWrites() []ConcurrentWrite {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]ConcurrentWrite(nil), e.state.ConcurrentWrites...)
}

// setIamPolicyRequest is the body of every setIamPolicy.
type setIamPolicyRequest struct {
	Policy     *Policy `json:"policy"`
	UpdateMask string  `json:"updateMask,omitempty"`
}

// testIamPermissionsRequest is the body of every testIamPermissions.
type testIamPermissionsRequest struct {
	Permissions []string `json:"permissions"`
}

// getIamPolicyRequest is the POST body form of getIamPolicy (IAM, Resource
// Manager, Cloud Tasks).
type getIamPolicyRequest struct {
	Options struct {
		RequestedPolicyVersion int64 `json:"requestedPolicyVersion"`
	} `json:"options"`
}

// requestedVersion reads options.requestedPolicyVersion from the query.
func requestedVersion(r *request) (int64, error) {
	v := r.Query("options.requestedPolicyVersion")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, errInvalid("Invalid value at 'options.requested_policy_version' (TYPE_INT32), %q", v)
	}
	return n, nil
}

// registerIAMMethods adds getIamPolicy (GET or POST), setIamPolicy and
// testIamPermissions for a resource path pattern. name builds the resource
// name from the path parameters; exists checks it under the state lock.
func (e *Emulator) registerIAMMethods(prefix, pattern string, getMethod string, kind *iamKind, name func(r *request) string, exists func(r *request) func(st *State) error) {
	// The version travels in the query for GET (Run, Functions) and for
	// IAM's POST without body; Resource Manager and Cloud Tasks take a
	// GetIamPolicyRequest body and have no such query parameter.
	bodyOptions := getMethod == "POST" && prefix != "iam.serviceAccounts"
	e.handle(getMethod, pattern+":getIamPolicy", prefix+".getIamPolicy", func(r *request) (any, error) {
		var v int64
		if !bodyOptions {
			var err error
			if v, err = requestedVersion(r); err != nil {
				return nil, err
			}
		}
		if bodyOptions {
			var body getIamPolicyRequest
			if err := r.Decode(&body); err != nil {
				return nil, err
			}
			if body.Options.RequestedPolicyVersion != 0 {
				v = body.Options.RequestedPolicyVersion
			}
		}
		return e.iamGet(r, name(r), kind, v, exists(r))
	})
	e.handle("POST", pattern+":setIamPolicy", prefix+".setIamPolicy", func(r *request) (any, error) {
		var body setIamPolicyRequest
		if err := r.Decode(&body); err != nil {
			return nil, err
		}
		return e.iamSet(r, name(r), kind, body.Policy, exists(r))
	})
	e.handle("POST", pattern+":testIamPermissions", prefix+".testIamPermissions", func(r *request) (any, error) {
		var body testIamPermissionsRequest
		if err := r.Decode(&body); err != nil {
			return nil, err
		}
		return e.iamTest(r, kind, body.Permissions, exists(r))
	})
}
