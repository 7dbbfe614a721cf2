// Package membervalidator validates IAM members written in configuration.
package membervalidator

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// Valid returns a validator for an IAM member such as
// "serviceAccount:NAME@PROJECT.iam.gserviceaccount.com". It uses the rules of
// iampolicy.ParseMember and also rejects what would make plans never settle:
// spellings IAM rewrites (upper-case emails), deleted members (IAM writes
// those itself), and serviceAccount members that are not service accounts.
func Valid() validator.String {
	return stringcheck.Check{
		Summary: "Invalid IAM member",
		Desc: "value must be an IAM member: user:EMAIL, serviceAccount:EMAIL, group:EMAIL, domain:DOMAIN, " +
			"allUsers, allAuthenticatedUsers, principal://... or principalSet://...",
		MarkdownDesc: "value must be an IAM member: `user:EMAIL`, `serviceAccount:EMAIL`, `group:EMAIL`, `domain:DOMAIN`, " +
			"`allUsers`, `allAuthenticatedUsers`, `principal://...` or `principalSet://...`",
		Fn: check,
	}
}

func check(s string) error {
	m, err := iampolicy.ParseMember(s)
	if err != nil {
		return err
	}
	switch m.Type {
	case iampolicy.TypeDeleted:
		return fmt.Errorf("member %q names a deleted identity; IAM writes these itself, remove it from the configuration", s)
	case iampolicy.TypeServiceAccount:
		if err := gcpnames.ValidateServiceAccountEmail(m.ID); err != nil {
			return fmt.Errorf("member %q: %v", s, err)
		}
	}
	if canonical := m.String(); canonical != s {
		return fmt.Errorf("member %q is stored by IAM as %q (emails and domains are lower-case); write %q so plans stay clean",
			s, canonical, canonical)
	}
	if strings.HasPrefix(s, iampolicy.TypeUser+":") && strings.HasSuffix(m.ID, ".gserviceaccount.com") {
		return fmt.Errorf("member %q is a service account; write %q", s, "serviceAccount:"+m.ID)
	}
	return nil
}
