package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
)

// withCaller labels ctx with a name a user recognises for this resource's
// change (its type and import ID, plus the members of an `_iam_members`),
// so an iamengine.ConflictError names both resources involved.
func (r *iamResource) withCaller(ctx context.Context, id string, members []string) context.Context {
	typ := r.kind.memberType()
	label := fmt.Sprintf("%s %q", typ, id)
	if r.multi {
		typ = r.kind.membersType()
		label = fmt.Sprintf("%s %q (members %s)", typ, id, strings.Join(members, ", "))
	}
	return iamengine.WithCaller(ctx, label)
}

// memberPath is the attribute holding this resource's member(s).
func (r *iamResource) memberPath() path.Path {
	if r.multi {
		return iamPathMembers
	}
	return iamPathMember
}

// addApplyError reports an error of Engine.Apply. A change Google refused
// (iamengine.RejectedError) or that contradicts another change of the same
// apply (iamengine.ConflictError) is put on the attribute at fault, with
// Google's reason and the fix; anything else goes through addError.
func (r *iamResource) addApplyError(diags *diag.Diagnostics, err error, res *iamResolved) {
	var rejected *iamengine.RejectedError
	var conflict *iamengine.ConflictError
	switch {
	case errors.As(err, &rejected):
		_, said := gcpclient.Describe(rejected.Err, res.api+".setIamPolicy", res.describe)
		if rejected.Member == "" {
			diags.AddAttributeError(iamPathRole, "Google refused role "+rejected.Role,
				fmt.Sprintf("%s\n\nGoogle refused to grant %s on %s. Use a role this kind of resource supports. "+
					"The other changes to this policy in the same apply were written.", said, rejected.Role, res.describe))
			return
		}
		diags.AddAttributeError(r.memberPath(), "Google refused member "+rejected.Member,
			fmt.Sprintf("%s\n\nGoogle refused to grant %s to %s on %s. Fix the member (check its spelling, and that the "+
				"user, group or service account exists) or remove it from the configuration. "+
				"The other changes to this policy in the same apply were written.", said, rejected.Role, rejected.Member, res.describe))
	case errors.As(err, &conflict):
		diags.AddAttributeError(r.memberPath(), "Conflicting IAM changes on "+conflict.Role, conflict.Error())
	default:
		r.addError(diags, err, res, "setIamPolicy")
	}
}
