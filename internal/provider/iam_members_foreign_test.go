package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// testAccMembersKind is one `_iam_members` resource type and the policy its
// binding lives on.
type testAccMembersKind struct {
	name     string
	typ      string // resource type
	target   string // HCL naming the target
	role     string
	policy   string // the emulator's policy key
	importID string // "<resource> <role>"
}

func (k testAccMembersKind) addr() string { return k.typ + ".m" }

// config is the resource with members and exclusive (extra: more HCL).
func (k testAccMembersKind) config(f *gcpinvoketesting.Fixture, exclusive bool, members []string, extra string) string {
	return f.Config(fmt.Sprintf(`
resource %q "m" {
  %s
  role      = %q
  members   = %s
  exclusive = %t
}
%s`, k.typ, k.target, k.role, hclList(members), exclusive, extra))
}

// outOfBand changes the binding outside Terraform.
func (k testAccMembersKind) add(t *testing.T, f *gcpinvoketesting.Fixture, members ...string) {
	t.Helper()
	testAccOutOfBand(t, f, k.policy, iampolicy.AddMembers(k.role, nil, members...))
}

func (k testAccMembersKind) remove(t *testing.T, f *gcpinvoketesting.Fixture, members ...string) {
	t.Helper()
	testAccOutOfBand(t, f, k.policy, iampolicy.RemoveMembers(k.role, nil, members...))
}

// check asserts the policy itself: has hold the role, lacks do not.
func (k testAccMembersKind) check(f *gcpinvoketesting.Fixture, has, lacks []string) func(*terraform.State) error {
	return testAccCheckPolicy(f, k.policy, k.role, has, lacks)
}

var testAccMembersKinds = []testAccMembersKind{
	{
		name: "run service", typ: "gcpinvoke_run_service_iam_members",
		target: `service = "hello"`, role: runInvokerRole, policy: testAccHelloService,
		importID: testAccHelloService + " " + runInvokerRole,
	},
	{
		name: "gen1 function", typ: "gcpinvoke_cloudfunctions_function_iam_members",
		target: `function = "legacy-fn"`, role: functionsInvokerRole, policy: testAccGen1Function,
		importID: testAccGen1Function + " " + functionsInvokerRole,
	},
	{
		name: "gen2 function", typ: "gcpinvoke_cloudfunctions_function_iam_members",
		target: `function = "hello-fn"`, role: runInvokerRole, policy: testAccGen2Service,
		importID: "us-central1/hello-fn " + runInvokerRole,
	},
	{
		name: "service account", typ: "gcpinvoke_service_account_iam_members",
		target: `service_account = "invoker@demo-project.iam.gserviceaccount.com"`, role: "roles/iam.serviceAccountUser",
		policy:   testAccSAPolicyName("invoker"),
		importID: "invoker@demo-project.iam.gserviceaccount.com roles/iam.serviceAccountUser",
	},
}

// Non-exclusive `_iam_members` never removes a member its configuration
// never listed, in every sequence a real repository goes through, for every
// kind; only exclusive = true removes other holders. Each case asserts the
// policy in the emulator after every apply and after destroy.
func TestAccIAMMembers_neverRemovesUnlistedMembers(t *testing.T) {
	const (
		a       = "user:a@example.com"
		b       = "user:b@example.com"
		foreign = testAccForeign
		late    = "user:late@example.com"
	)
	sequences := []struct {
		name string
		// steps builds the test steps; destroyHas/destroyLacks are checked
		// on the policy after destroy.
		steps                    func(t *testing.T, f *gcpinvoketesting.Fixture, k testAccMembersKind) []resource.TestStep
		destroyHas, destroyLacks []string
	}{
		{
			// `terraform import` of "<resource> <role>" into a resource
			// listing only some holders: the apply after it keeps the others.
			name: "terraform import",
			steps: func(t *testing.T, f *gcpinvoketesting.Fixture, k testAccMembersKind) []resource.TestStep {
				return []resource.TestStep{
					{
						PreConfig:          func() { k.add(t, f, a, foreign) },
						Config:             k.config(f, false, []string{a}, ""),
						ResourceName:       k.addr(),
						ImportState:        true,
						ImportStateId:      k.importID,
						ImportStatePersist: true,
						ImportStateCheck: func(s []*terraform.InstanceState) error {
							if len(s) != 1 || s[0].Attributes["members.#"] != "0" {
								return fmt.Errorf("an imported non-exclusive resource must claim no member, got %v", s)
							}
							return nil
						},
					},
					{
						// The update after the import only adds a, which already
						// holds the role: no write at all.
						PreConfig: func() { f.ResetCalls() },
						Config:    k.config(f, false, []string{a}, ""),
						Check:     resource.ComposeTestCheckFunc(k.check(f, []string{a, foreign}, nil), testAccCheckNoPolicyWrite(f)),
					},
				}
			},
			destroyHas: []string{foreign}, destroyLacks: []string{a},
		},
		{
			name: "import block",
			steps: func(t *testing.T, f *gcpinvoketesting.Fixture, k testAccMembersKind) []resource.TestStep {
				return []resource.TestStep{{
					PreConfig: func() { k.add(t, f, a, foreign) },
					Config:    k.config(f, false, []string{a}, fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", k.addr(), k.importID)),
					Check:     k.check(f, []string{a, foreign}, nil),
				}}
			},
			destroyHas: []string{foreign}, destroyLacks: []string{a},
		},
		{
			// An import block whose ID lists the managed members: nothing to
			// change, the foreign holder stays unclaimed; exclusive = true
			// afterwards is what removes it.
			name: "import block listing members, then exclusive",
			steps: func(t *testing.T, f *gcpinvoketesting.Fixture, k testAccMembersKind) []resource.TestStep {
				return []resource.TestStep{
					{
						PreConfig: func() { k.add(t, f, a, foreign) },
						Config:    k.config(f, false, []string{a}, fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", k.addr(), k.importID+" "+a)),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(k.addr(), plancheck.ResourceActionNoop),
						}},
						Check: resource.ComposeTestCheckFunc(k.check(f, []string{a, foreign}, nil),
							resource.TestCheckResourceAttr(k.addr(), "members.#", "1")),
					},
					{
						Config: k.config(f, true, []string{a}, ""),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(k.addr(), plancheck.ResourceActionUpdate),
						}},
						Check: k.check(f, []string{a}, []string{foreign}),
					},
				}
			},
			destroyLacks: []string{a, foreign},
		},
		{
			// exclusive true → false: a member added out of band while the
			// resource was exclusive is shown in state, then kept.
			name: "exclusive true to false",
			steps: func(t *testing.T, f *gcpinvoketesting.Fixture, k testAccMembersKind) []resource.TestStep {
				return []resource.TestStep{
					{Config: k.config(f, true, []string{a, b}, ""), Check: k.check(f, []string{a, b}, nil)},
					{
						PreConfig: func() { k.add(t, f, late) },
						Config:    k.config(f, false, []string{a}, ""),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(k.addr(), plancheck.ResourceActionUpdate),
						}},
						// b was listed and left the list: removed; late never was: kept.
						Check: k.check(f, []string{a, late}, []string{b}),
					},
				}
			},
			destroyHas: []string{late}, destroyLacks: []string{a, b},
		},
		{
			// exclusive false → true removes the other holders (the plan
			// warns, TestIAMMembersExclusivePlanWarnsAboutForeignMembers);
			// back to false keeps the ones added later.
			name: "exclusive false to true to false",
			steps: func(t *testing.T, f *gcpinvoketesting.Fixture, k testAccMembersKind) []resource.TestStep {
				return []resource.TestStep{
					{
						PreConfig: func() { k.add(t, f, foreign) },
						Config:    k.config(f, false, []string{a}, ""),
						Check:     k.check(f, []string{a, foreign}, nil),
					},
					{Config: k.config(f, true, []string{a}, ""), Check: k.check(f, []string{a}, []string{foreign})},
					{
						PreConfig: func() { k.add(t, f, late) },
						Config:    k.config(f, false, []string{a}, ""),
						Check:     k.check(f, []string{a, late}, nil),
					},
				}
			},
			destroyHas: []string{late}, destroyLacks: []string{a, foreign},
		},
		{
			// A listed member removed out of band is re-added; a member added
			// out of band is kept.
			name: "drift",
			steps: func(t *testing.T, f *gcpinvoketesting.Fixture, k testAccMembersKind) []resource.TestStep {
				return []resource.TestStep{
					{
						PreConfig: func() { k.add(t, f, foreign) },
						Config:    k.config(f, false, []string{a, b}, ""),
						Check:     k.check(f, []string{a, b, foreign}, nil),
					},
					{
						PreConfig: func() { k.remove(t, f, a); k.add(t, f, late) },
						Config:    k.config(f, false, []string{a, b}, ""),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(k.addr(), plancheck.ResourceActionUpdate),
						}},
						Check: k.check(f, []string{a, b, foreign, late}, nil),
					},
				}
			},
			destroyHas: []string{foreign, late}, destroyLacks: []string{a, b},
		},
		{
			name: "member removed from config",
			steps: func(t *testing.T, f *gcpinvoketesting.Fixture, k testAccMembersKind) []resource.TestStep {
				return []resource.TestStep{
					{
						PreConfig: func() { k.add(t, f, foreign) },
						Config:    k.config(f, false, []string{a, b}, ""),
						Check:     k.check(f, []string{a, b, foreign}, nil),
					},
					{Config: k.config(f, false, []string{a}, ""), Check: k.check(f, []string{a, foreign}, []string{b})},
				}
			},
			destroyHas: []string{foreign}, destroyLacks: []string{a, b},
		},
	}
	for _, k := range testAccMembersKinds {
		for _, s := range sequences {
			t.Run(k.name+"/"+s.name, func(t *testing.T) {
				f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("invoker")})
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProviders,
					CheckDestroy:             k.check(f, s.destroyHas, s.destroyLacks),
					Steps:                    s.steps(t, f, k),
				})
			})
		}
	}
}

// testAccCheckNoPolicyWrite checks that no setIamPolicy was called since the
// last ResetCalls.
func testAccCheckNoPolicyWrite(f *gcpinvoketesting.Fixture) func(*terraform.State) error {
	return func(*terraform.State) error {
		for k, n := range f.Calls() {
			if strings.HasSuffix(k, "setIamPolicy") && n > 0 {
				return fmt.Errorf("%s called %d times, want no policy write (all calls: %v)", k, n, f.Calls())
			}
		}
		return nil
	}
}
