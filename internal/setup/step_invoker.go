package setup

import (
	"context"
	"fmt"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/chain"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// invokerStep ensures the account may invoke the target: the invoker role
// on the Cloud Run service (also for a gen2 function) or on the gen1
// function. A grant at project level, or through a broader role, counts as
// in place.
type invokerStep struct {
	env     Env
	checker *chain.Checker
	target  *chain.Target
	email   string
	saRef   string
}

func (s *invokerStep) member() string { return "serviceAccount:" + s.email }

func (s *invokerStep) Describe() string {
	return fmt.Sprintf("%s holds %s on %s", s.email, s.target.InvokerRole, s.target.Name)
}

func (s *invokerStep) policyTarget(ctx context.Context) (iamengine.Target, error) {
	if s.target.Kind == chain.KindFunctionGen1 {
		svc, err := s.env.Client.CloudFunctionsV1(ctx)
		if err != nil {
			return nil, err
		}
		return iamengine.NewFunctionV1Target(svc, s.target.Name), nil
	}
	svc, err := s.env.Client.Run(ctx)
	if err != nil {
		return nil, err
	}
	return iamengine.NewRunServiceTarget(svc, s.target.Name), nil
}

// exact reports whether the target's own policy holds the invoker role
// for the account, unconditionally: what the Terraform resource manages.
func (s *invokerStep) exact(ctx context.Context) (bool, error) {
	t, err := s.policyTarget(ctx)
	if err != nil {
		return false, err
	}
	p, err := s.env.Engine.Read(ctx, t)
	if err != nil {
		return false, err
	}
	return p.HasMember(s.target.InvokerRole, s.member(), nil), nil
}

func (s *invokerStep) Check(ctx context.Context) (Status, error) {
	g, _, err := s.checker.Invoker(ctx, s.target, []string{s.member()})
	if err != nil {
		return Status{}, err
	}
	if !g.Found {
		return Status{State: Missing}, nil
	}
	if g.Role == s.target.InvokerRole && g.Resource == s.target.Name {
		return Status{State: InPlace}, nil
	}
	return Status{State: InPlace, Detail: "through " + g.Role + " on " + g.Resource}, nil
}

func (s *invokerStep) Apply(ctx context.Context) error {
	t, err := s.policyTarget(ctx)
	if err != nil {
		return err
	}
	_, err = s.env.Engine.Apply(ctx, t, iampolicy.AddMembers(s.target.InvokerRole, nil, s.member()))
	return err
}

func (s *invokerStep) Terraform(ctx context.Context) (string, error) {
	typ, coll, resName := "gcpinvoke_run_service_iam_member", "service", s.target.Name
	if s.target.Function != "" {
		typ, coll, resName = "gcpinvoke_cloudfunctions_function_iam_member", "function", s.target.Function
	}
	parts := strings.Split(resName, "/")
	if len(parts) != 6 {
		return "", fmt.Errorf("unexpected resource name %q", resName)
	}
	attrs := []attr{
		lit("project", parts[1]), lit("location", parts[3]), lit(coll, parts[5]),
		lit("role", s.target.InvokerRole), expr("member", s.saRef+".member"),
	}
	ok, err := s.exact(ctx)
	if err != nil {
		return "", err
	}
	importID := ""
	if ok {
		importID = resName + " " + s.target.InvokerRole + " " + s.member()
	} else if st, err := s.Check(ctx); err != nil {
		return "", err
	} else if st.State == InPlace {
		return comment(
			fmt.Sprintf("%s may already invoke %s (%s).", s.email, s.target.Name, st.Detail),
			"To declare the binding on the target itself, uncomment:",
			"",
		) + commentBlock(resourceBlock(typ, "invoker", attrs, "")), nil
	}
	return resourceBlock(typ, "invoker", attrs, importID), nil
}

// commentBlock comments out every line of an HCL text.
func commentBlock(hcl string) string {
	lines := strings.Split(strings.TrimRight(hcl, "\n"), "\n")
	return comment(lines...)
}
