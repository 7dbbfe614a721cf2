package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
)

// iamTargetKind is everything that differs between the IAM-bearing targets
// of the generic `*_iam_member` and `*_iam_members` resources (iam_resource.go):
// the attributes naming the target, how they resolve to an iamengine.Target,
// the default role, which roles apply and which guard rails are offered.
// A concrete resource file declares one kind and two constructors.
type iamTargetKind struct {
	// name is the middle of the type names: gcpinvoke_<name>_iam_member(s).
	name string
	// noun names the target in descriptions ("Cloud Run service").
	noun string
	// idAttrs are the attributes naming the target, in import-ID order.
	idAttrs []iamIDAttr
	// defaultRole is the role when none is configured; "" with
	// roleFromTarget false makes `role` required.
	defaultRole string
	// roleFromTarget makes `role` Optional+Computed, defaulting to the
	// resolved target's invokerRole (resolved at plan time).
	roleFromTarget bool
	// roleDesc is the Markdown description of `role`.
	roleDesc string
	// publicGuard offers `allow_public`: public members need it.
	publicGuard bool
	// broadGuard offers `allow_broad_principal`: broad members given a role
	// in sensitiveRoles need it.
	broadGuard bool
	// computed are extra computed string attributes (name → description),
	// filled from iamResolved.computed.
	computed map[string]string
	// resolvesAtPlan: resolve needs API calls (and may fail with 404 while
	// the target does not exist yet); ModifyPlan resolves to check the role.
	resolvesAtPlan bool

	// resolve turns the identifying values (defaults applied) into the
	// target. hint holds the computed attributes from state, if any, so a
	// refresh can skip lookups.
	resolve func(ctx context.Context, c *gcpclient.Client, ids iamIDs, hint map[string]string) (*iamResolved, error)
	// checkRole reports, as a sentence, why role cannot be granted on the
	// target; r is nil when only the configuration is known (validate time).
	checkRole func(role string, r *iamResolved) error
	// parseResource parses the <resource> part of an import ID.
	parseResource func(s string, c *gcpclient.Client) (iamIDs, error)
	// formatResource is the <resource> part of the ID.
	formatResource func(ids iamIDs) string
	// newModel returns a zero typed model of the kind's `_iam_member`
	// (multi false) or `_iam_members` resource.
	newModel func(multi bool) iamModel
}

// iamModelOf is a kind's newModel from its two model types.
func iamModelOf[One, Many any, P1 interface {
	*One
	iamModel
}, P2 interface {
	*Many
	iamModel
}]() func(multi bool) iamModel {
	return func(multi bool) iamModel {
		if multi {
			return P2(new(Many))
		}
		return P1(new(One))
	}
}

// iamIDAttr is one attribute naming the target.
type iamIDAttr struct {
	name string
	desc string
	// defaultFrom gives the value when the attribute is not configured
	// (nil: the attribute is required); what names the default in errors.
	defaultFrom func(c *gcpclient.Client) string
	what        string
	// validators check the configured value.
	validators []validator.String
	// sameTarget, if set, tells two spellings of the attribute that name
	// the same target: changing one to the other is an in-place update of
	// state (no replacement, no write), not a new target.
	sameTarget func(a, b string) bool
}

// iamIDs are the values of a kind's idAttrs by attribute name.
type iamIDs map[string]string

// iamResolved is a target ready for the IAM engine.
type iamResolved struct {
	target iamengine.Target
	// api prefixes the Describe actions: "run.services" →
	// "run.services.setIamPolicy".
	api string
	// getAction is the Describe action of the lookup resolve makes, if any
	// ("cloudfunctions.v2.functions.get").
	getAction string
	// describe names the target in error messages.
	describe string
	// invokerRole is the role that lets a caller invoke the target ("" if
	// the target is not invocable).
	invokerRole string
	// computed are the values of the kind's computed attributes.
	computed map[string]string
}

// Type names of the two resources of a kind.
func (k *iamTargetKind) memberType() string  { return "gcpinvoke_" + k.name + "_iam_member" }
func (k *iamTargetKind) membersType() string { return "gcpinvoke_" + k.name + "_iam_members" }

// iamRoleFamilyCheck returns an error unless role is a custom role, a basic
// role (roles/viewer, roles/editor, roles/owner) or a predefined role whose
// name starts with one of prefixes ("roles/run."); the error names the
// catalogued roles that do apply (suggest).
func iamRoleFamilyCheck(role, target string, suggest []string, prefixes ...string) error {
	if !strings.HasPrefix(role, "roles/") {
		return nil // custom role: projects/P/roles/X or organizations/O/roles/X
	}
	switch role {
	case "roles/viewer", "roles/editor", "roles/owner":
		return nil
	}
	for _, p := range prefixes {
		if strings.HasPrefix(role, p) {
			return nil
		}
	}
	return fmt.Errorf("role %q cannot be granted on a %s: it accepts roles starting with %s, the basic roles "+
		"(roles/viewer, roles/editor, roles/owner) and custom roles. Roles for a %s: %s",
		role, target, strings.Join(iamQuoteAll(prefixes), " or "), target, strings.Join(suggest, ", "))
}

func iamQuoteAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = fmt.Sprintf("%q", s+"*")
	}
	return out
}
