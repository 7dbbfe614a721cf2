package chain

import (
	"context"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

const (
	project   = gcpinvoketesting.Project
	location  = gcpinvoketesting.Location
	saEmail   = "invoker@demo-project.iam.gserviceaccount.com"
	saMember  = "serviceAccount:" + saEmail
	agent     = "serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
	helloName = "projects/demo-project/locations/us-central1/services/hello"
	fn2Run    = "projects/demo-project/locations/us-central1/services/hello-fn"
	fn1Name   = "projects/demo-project/locations/us-central1/functions/legacy-fn"
)

// env is one emulator with a checker pointed at it.
type env struct {
	fx      *gcpinvoketesting.Fixture
	checker *Checker
}

// seedOpts tweak the default seed.
type seedOpts struct {
	noAgentGrants   bool
	customAudiences []string
	invokerDisabled bool
	ingress         string
}

func newEnv(t *testing.T, o seedOpts) *env {
	t.Helper()
	seed := emulator.DefaultSeed()
	seed.Projects[0].WithoutServiceAgentGrants = o.noAgentGrants
	seed.ServiceAccounts = []emulator.SeedServiceAccount{{Project: project, AccountID: "invoker"}, {Project: project, AccountID: "ci-runner"}}
	seed.RunServices[0].CustomAudiences = o.customAudiences
	seed.RunServices[0].InvokerIAMDisabled = o.invokerDisabled
	seed.RunServices[0].Ingress = o.ingress
	fx := gcpinvoketesting.StartEmulator(t, emulator.Options{Seed: seed})
	client, err := gcpclient.New(gcpclient.Config{EmulatorHost: fx.Host, Project: project, Region: location})
	if err != nil {
		t.Fatal(err)
	}
	return &env{fx: fx, checker: &Checker{Client: client, Engine: iamengine.New(iamengine.Options{ReadTTL: -1, GroupWindow: -1})}}
}

// grant adds member to role on the resource named (a Run service, a gen1
// function, a service account or a project).
func (e *env) grant(t *testing.T, kind, name, role, member string) {
	t.Helper()
	ctx := context.Background()
	c := e.checker.Client
	var target iamengine.Target
	switch kind {
	case "run":
		svc, _ := c.Run(ctx)
		target = iamengine.NewRunServiceTarget(svc, name)
	case "fn1":
		svc, _ := c.CloudFunctionsV1(ctx)
		target = iamengine.NewFunctionV1Target(svc, name)
	case "sa":
		svc, _ := c.IAM(ctx)
		target = iamengine.NewServiceAccountTarget(svc, name)
	case "project":
		svc, _ := c.ResourceManager(ctx)
		target = iamengine.NewProjectTarget(svc, name)
	default:
		t.Fatalf("unknown kind %q", kind)
	}
	if _, err := e.checker.Engine.Apply(ctx, target, iampolicy.AddMembers(role, nil, member)); err != nil {
		t.Fatalf("granting %s to %s on %s: %v", role, member, name, err)
	}
}

// helloURL is the uri of the seeded service.
func (e *env) serviceURL(t *testing.T, name string) string {
	t.Helper()
	ctx := context.Background()
	svc, err := e.checker.Client.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s, err := svc.Projects.Locations.Services.Get(name).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	return s.Uri
}

func codes(r *Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Code+"/"+string(f.Severity))
	}
	return out
}
