package iampolicy

import (
	"fmt"
	"strings"
)

// ValidateRole checks a role name: a predefined role "roles/NAME" or a custom
// role "projects/PROJECT/roles/NAME" or "organizations/ORG/roles/NAME".
func ValidateRole(role string) error {
	parts := strings.Split(role, "/")
	switch {
	case role == "":
		return fmt.Errorf("role is empty: write a role such as %q", "roles/run.invoker")
	case len(parts) == 2 && parts[0] == "roles":
		if validRoleID(parts[1]) {
			return nil
		}
	case len(parts) == 4 && (parts[0] == "projects" || parts[0] == "organizations") && parts[2] == "roles":
		if parts[1] != "" && !strings.ContainsAny(parts[1], " \t") && validRoleID(parts[3]) {
			return nil
		}
	case len(parts) == 1:
		return fmt.Errorf("role %q has no prefix: write %q (predefined) or %q (custom)",
			role, "roles/"+role, "projects/PROJECT/roles/"+role)
	}
	return fmt.Errorf("role %q is not valid: use %q, %q or %q",
		role, "roles/NAME", "projects/PROJECT/roles/NAME", "organizations/ORG/roles/NAME")
}

// validRoleID accepts letters, digits, '.' and '_' (Google's role ID alphabet).
func validRoleID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_':
		default:
			return false
		}
	}
	return true
}
