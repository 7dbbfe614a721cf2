package emulator

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"

	iam "google.golang.org/api/iam/v1"
)

// IAM v1 service accounts:
//
//	POST   /v1/projects/{p}/serviceAccounts                   create
//	GET    /v1/projects/{p}/serviceAccounts                   list (pageSize, pageToken)
//	GET    /v1/projects/{p|-}/serviceAccounts/{email|uid}     get
//	PATCH  /v1/projects/{p|-}/serviceAccounts/{email|uid}     patch (updateMask)
//	DELETE /v1/projects/{p|-}/serviceAccounts/{email|uid}     delete
//	POST   …:disable, …:enable
//	POST   …:getIamPolicy, …:setIamPolicy, …:testIamPermissions

// serviceAccountKind is the IAM kind of a service account: the roles of
// roles.go that carry service-account permissions may be granted on it.
var serviceAccountKind = &iamKind{
	name:  "iam.serviceAccounts",
	roles: serviceAccountGrantable,
	permissions: map[string]string{
		"iam.serviceAccounts.actAs":              "roles/iam.serviceAccountUser",
		"iam.serviceAccounts.get":                "roles/iam.serviceAccountUser",
		"iam.serviceAccounts.list":               "roles/iam.serviceAccountUser",
		"iam.serviceAccounts.getAccessToken":     "roles/iam.serviceAccountTokenCreator",
		"iam.serviceAccounts.getOpenIdToken":     "roles/iam.serviceAccountTokenCreator",
		"iam.serviceAccounts.implicitDelegation": "roles/iam.serviceAccountTokenCreator",
		"iam.serviceAccounts.signBlob":           "roles/iam.serviceAccountTokenCreator",
		"iam.serviceAccounts.signJwt":            "roles/iam.serviceAccountTokenCreator",
		"iam.serviceAccounts.getIamPolicy":       "roles/iam.serviceAccountAdmin",
		"iam.serviceAccounts.setIamPolicy":       "roles/iam.serviceAccountAdmin",
		"iam.serviceAccounts.update":             "roles/iam.serviceAccountAdmin",
		"iam.serviceAccounts.delete":             "roles/iam.serviceAccountAdmin",
		"iam.serviceAccounts.disable":            "roles/iam.serviceAccountAdmin",
		"iam.serviceAccounts.enable":             "roles/iam.serviceAccountAdmin",
	},
	writerRole: "roles/iam.serviceAccountUser",
}

const (
	defaultSAPageSize = 20
	maxSAPageSize     = 100
)

func init() {
	registerAPI(func(e *Emulator) {
		const coll = "/v1/projects/{project}/serviceAccounts"
		const item = coll + "/{account}"
		e.handle("POST", coll, "iam.serviceAccounts.create", e.iamCreateServiceAccount)
		e.handle("GET", coll, "iam.serviceAccounts.list", e.iamListServiceAccounts)
		e.handle("GET", item, "iam.serviceAccounts.get", e.iamGetServiceAccount)
		e.handle("PATCH", item, "iam.serviceAccounts.patch", e.iamPatchServiceAccount)
		e.handle("DELETE", item, "iam.serviceAccounts.delete", e.iamDeleteServiceAccount)
		e.handle("POST", item+":disable", "iam.serviceAccounts.disable", e.iamSetServiceAccountDisabled(true))
		e.handle("POST", item+":enable", "iam.serviceAccounts.enable", e.iamSetServiceAccountDisabled(false))
		e.registerIAMMethods("iam.serviceAccounts", item, "POST", serviceAccountKind, e.serviceAccountPolicyName,
			func(r *request) func(st *State) error {
				return func(st *State) error {
					_, err := lookupServiceAccount(st, r.Param("project"), r.Param("account"), r.method)
					return err
				}
			})
	})
}

// lookupServiceAccount resolves projects/{project}/serviceAccounts/{account}
// where account is an email or unique id and project may be "-". A missing
// account is 404 in a known project and 403 through "-" or an unknown
// project, as Google answers. Call with the state locked.
func lookupServiceAccount(st *State, project, account, method string) (*iam.ServiceAccount, error) {
	sa := st.serviceAccount(account)
	if sa == nil && strings.Contains(account, "@") {
		sa = st.serviceAccount(strings.ToLower(account))
	}
	if sa != nil {
		return sa, nil
	}
	name := "projects/" + project + "/serviceAccounts/" + account
	if project == "-" || st.project(project) == nil {
		e := errPermission("Permission '%s' denied on resource (or it may not exist).", permissionOf(method))
		e.Reason, e.Domain = "IAM_PERMISSION_DENIED", "iam.googleapis.com"
		return nil, e
	}
	return nil, errNotFound("Service account %s does not exist.", name)
}

// permissionOf turns a method name into the IAM permission it needs:
// iam.serviceAccounts.getIamPolicy → iam.serviceAccounts.getIamPolicy,
// iam.serviceAccounts.patch → iam.serviceAccounts.update.
func permissionOf(method string) string {
	switch {
	case strings.HasSuffix(method, ".patch"):
		return strings.TrimSuffix(method, ".patch") + ".update"
	case method == "":
		return "iam.serviceAccounts.get"
	}
	return method
}

// serviceAccountPolicyName is the canonical policy resource of an account
// (projects/P/serviceAccounts/EMAIL), however the request addressed it.
func (e *Emulator) serviceAccountPolicyName(r *request) string {
	name := "projects/" + r.Param("project") + "/serviceAccounts/" + r.Param("account")
	_ = e.read(func(st *State) error {
		if sa, err := lookupServiceAccount(st, r.Param("project"), r.Param("account"), r.method); err == nil {
			name = sa.Name
		}
		return nil
	})
	return name
}

// copySA returns a copy safe to marshal after the lock is released.
func copySA(sa *iam.ServiceAccount) *iam.ServiceAccount {
	c := *sa
	return &c
}

type createServiceAccountRequest struct {
	AccountID      string              `json:"accountId"`
	ServiceAccount *iam.ServiceAccount `json:"serviceAccount"`
}

func (e *Emulator) iamCreateServiceAccount(r *request) (any, error) {
	var body createServiceAccountRequest
	if err := r.Decode(&body); err != nil {
		return nil, err
	}
	var displayName, description string
	if body.ServiceAccount != nil {
		displayName, description = body.ServiceAccount.DisplayName, body.ServiceAccount.Description
	}
	if err := validateSAText(displayName, description); err != nil {
		return nil, err
	}
	var out *iam.ServiceAccount
	err := e.mutate(func(st *State) error {
		sa, err := st.createServiceAccount(r.Param("project"), body.AccountID, displayName, description, e.now())
		if err != nil {
			return err
		}
		out = copySA(sa)
		return nil
	})
	return out, err
}

func validateSAText(displayName, description string) error {
	if len(displayName) > 100 {
		return errInvalid("Display name must be at most 100 characters, got %d.", len(displayName))
	}
	if len(description) > 256 {
		return errInvalid("Description must be at most 256 characters, got %d.", len(description))
	}
	return nil
}

func (e *Emulator) iamGetServiceAccount(r *request) (any, error) {
	var out *iam.ServiceAccount
	err := e.read(func(st *State) error {
		sa, err := lookupServiceAccount(st, r.Param("project"), r.Param("account"), r.method)
		if err != nil {
			return err
		}
		out = copySA(sa)
		return nil
	})
	return out, err
}

func (e *Emulator) iamListServiceAccounts(r *request) (any, error) {
	size := defaultSAPageSize
	if v := r.Query("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, errInvalid("Invalid value at 'page_size' (TYPE_INT32), %q", v)
		}
		if n > 0 {
			size = min(n, maxSAPageSize)
		}
	}
	after := ""
	if tok := r.Query("pageToken"); tok != "" {
		data, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(data) == 0 {
			return nil, errInvalid("Invalid page token.")
		}
		after = string(data)
	}
	var page []*iam.ServiceAccount
	next := ""
	err := e.read(func(st *State) error {
		p, err := st.requireProject(r.Param("project"), "iam.serviceAccounts.list")
		if err != nil {
			return err
		}
		var all []*iam.ServiceAccount
		for _, sa := range st.ServiceAccounts {
			if sa.ProjectId == p.ProjectID && sa.Email > after {
				all = append(all, sa)
			}
		}
		sort.Slice(all, func(i, j int) bool { return all[i].Email < all[j].Email })
		if len(all) > size {
			all = all[:size]
			next = base64.RawURLEncoding.EncodeToString([]byte(all[size-1].Email))
		}
		for _, sa := range all {
			page = append(page, copySA(sa))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if len(page) > 0 {
		out["accounts"] = page
	}
	if next != "" {
		out["nextPageToken"] = next
	}
	return out, nil
}

type patchServiceAccountRequest struct {
	ServiceAccount *iam.ServiceAccount `json:"serviceAccount"`
	UpdateMask     string              `json:"updateMask"`
}

func (e *Emulator) iamPatchServiceAccount(r *request) (any, error) {
	var body patchServiceAccountRequest
	if err := r.Decode(&body); err != nil {
		return nil, err
	}
	if body.ServiceAccount == nil {
		return nil, errInvalid("Invalid JSON payload: 'serviceAccount' is required.")
	}
	setName, setDesc := body.UpdateMask == "", body.UpdateMask == ""
	for _, f := range strings.Split(body.UpdateMask, ",") {
		switch strings.TrimSpace(f) {
		case "":
		case "display_name", "displayName":
			setName = true
		case "description":
			setDesc = true
		default:
			return nil, errInvalid("Invalid update mask field %q: only display_name and description can be updated.", f)
		}
	}
	in := body.ServiceAccount
	if err := validateSAText(in.DisplayName, in.Description); err != nil {
		return nil, err
	}
	var out *iam.ServiceAccount
	err := e.mutate(func(st *State) error {
		sa, err := lookupServiceAccount(st, r.Param("project"), r.Param("account"), r.method)
		if err != nil {
			return err
		}
		if setName {
			sa.DisplayName = in.DisplayName
		}
		if setDesc {
			sa.Description = in.Description
		}
		out = copySA(sa)
		return nil
	})
	return out, err
}

// iamDeleteServiceAccount removes an account and its policy. Bindings that
// name it elsewhere become deleted:serviceAccount:EMAIL?uid=ID, as Google
// rewrites them, so a re-created account with the same email does not
// inherit them.
func (e *Emulator) iamDeleteServiceAccount(r *request) (any, error) {
	err := e.mutate(func(st *State) error {
		sa, err := lookupServiceAccount(st, r.Param("project"), r.Param("account"), r.method)
		if err != nil {
			return err
		}
		delete(st.ServiceAccounts, sa.Email)
		delete(st.SACreated, sa.Email)
		delete(st.Policies, sa.Name)
		member := "serviceAccount:" + sa.Email
		for _, pol := range st.Policies {
			changed := false
			for _, b := range pol.Bindings {
				for i, m := range b.Members {
					if m == member {
						b.Members[i] = "deleted:" + member + "?uid=" + sa.UniqueId
						changed = true
					}
				}
				sort.Strings(b.Members)
			}
			if changed {
				pol.Etag = st.newEtag()
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func (e *Emulator) iamSetServiceAccountDisabled(disabled bool) handlerFunc {
	return func(r *request) (any, error) {
		err := e.mutate(func(st *State) error {
			sa, err := lookupServiceAccount(st, r.Param("project"), r.Param("account"), r.method)
			if err != nil {
				return err
			}
			sa.Disabled = disabled
			return nil
		})
		if err != nil {
			return nil, err
		}
		return map[string]any{}, nil
	}
}
