package main

import (
	"fmt"
	"regexp"
	"strings"
)

// hclEnv is what a configuration needs to know about the emulator it runs
// against. Configurations given with --config-dir are Go templates over it:
// {{.EmulatorHost}}, {{.EmulatorURL}}, {{.Project}}, {{.Location}},
// {{index .ServiceURIs "svc-000"}}.
type hclEnv struct {
	EmulatorHost string
	EmulatorURL  string
	Project      string
	Location     string
	// ServiceURIs maps each seeded Cloud Run service to its uri.
	ServiceURIs map[string]string
}

// scenario is one configuration to measure.
type scenario struct {
	// Name is the directory name under --config-dir and the table's key.
	Name string
	// Desc says what the configuration declares.
	Desc string
	// Services is how many Cloud Run services the emulator is seeded with
	// (svc-000, svc-001, ...).
	Services int
	// Resources is how many resources the configuration declares.
	Resources int
	// Policies is how many IAM policies the configuration manages; API
	// calls per policy divide by it.
	Policies int
	// Members is how many members each policy receives (N in the targets).
	Members int
	// Kind is "member" (one resource per member), "members" (one
	// authoritative-per-member set resource per policy) or "chain".
	Kind string
	// HCL renders the configuration (without the provider block).
	HCL func(env hclEnv) string
}

const (
	benchProject  = "demo-project"
	benchLocation = "us-central1"
)

// serviceName is the name of the i-th seeded service.
func serviceName(i int) string { return fmt.Sprintf("svc-%03d", i) }

// benchMember is the i-th member granted in a scenario.
func benchMember(svc, i int) string { return fmt.Sprintf("user:bench-%03d-%04d@example.com", svc, i) }

// memberScenario is services × n members, one gcpinvoke_run_service_iam_member each.
func memberScenario(services, n int) scenario {
	name := fmt.Sprintf("member-%dx%d", services, n)
	return scenario{
		Name:      name,
		Desc:      fmt.Sprintf("%d service(s) × %d members as `gcpinvoke_run_service_iam_member` resources", services, n),
		Services:  services,
		Resources: services * n,
		Policies:  services,
		Members:   n,
		Kind:      "member",
		HCL: func(env hclEnv) string {
			var b strings.Builder
			for s := 0; s < services; s++ {
				for i := 0; i < n; i++ {
					fmt.Fprintf(&b, "resource \"gcpinvoke_run_service_iam_member\" \"s%03d_m%04d\" {\n  location = %q\n  service  = %q\n  role     = \"roles/run.invoker\"\n  member   = %q\n}\n\n",
						s, i, env.Location, serviceName(s), benchMember(s, i))
				}
			}
			return b.String()
		},
	}
}

// membersScenario is services × one gcpinvoke_run_service_iam_members with n members.
func membersScenario(services, n int) scenario {
	name := fmt.Sprintf("members-%dx%d", services, n)
	return scenario{
		Name:      name,
		Desc:      fmt.Sprintf("%d service(s) × one `gcpinvoke_run_service_iam_members` with %d members", services, n),
		Services:  services,
		Resources: services,
		Policies:  services,
		Members:   n,
		Kind:      "members",
		HCL: func(env hclEnv) string {
			var b strings.Builder
			for s := 0; s < services; s++ {
				fmt.Fprintf(&b, "resource \"gcpinvoke_run_service_iam_members\" \"s%03d\" {\n  location = %q\n  service  = %q\n  role     = \"roles/run.invoker\"\n  members  = [\n", s, env.Location, serviceName(s))
				for i := 0; i < n; i++ {
					fmt.Fprintf(&b, "    %q,\n", benchMember(s, i))
				}
				b.WriteString("  ]\n}\n\n")
			}
			return b.String()
		},
	}
}

// chainScenario is n scheduler jobs, each with its full chain: a service
// account, the invoker binding on its own service, the Cloud Scheduler
// service agent's impersonation of the account, and an OIDC job whose
// audience is the service's root URL.
func chainScenario(n int) scenario {
	return scenario{
		Name:      fmt.Sprintf("chains-%d", n),
		Desc:      fmt.Sprintf("%d scheduler jobs with full chains (service account, invoker member, agent impersonation, OIDC job), one service each", n),
		Services:  n,
		Resources: 4 * n,
		Policies:  2 * n, // each service's policy and each account's policy
		Members:   1,
		Kind:      "chain",
		HCL: func(env hclEnv) string {
			var b strings.Builder
			for i := 0; i < n; i++ {
				svc := serviceName(i)
				fmt.Fprintf(&b, `resource "gcpinvoke_service_account" "c%03[1]d" {
  account_id   = "bench-caller-%03[1]d"
  display_name = "bench caller %[1]d"
}

resource "gcpinvoke_run_service_iam_member" "c%03[1]d" {
  location = %[2]q
  service  = %[3]q
  member   = gcpinvoke_service_account.c%03[1]d.member
}

resource "gcpinvoke_service_agent_impersonation" "c%03[1]d" {
  service_account = gcpinvoke_service_account.c%03[1]d.email
  agent           = "cloudscheduler"
}

resource "gcpinvoke_scheduler_job" "c%03[1]d" {
  location  = %[2]q
  name      = "bench-job-%03[1]d"
  schedule  = "*/5 * * * *"
  time_zone = "Etc/UTC"
  http_target = {
    uri         = %[4]q
    http_method = "POST"
    oidc_token = {
      service_account_email = gcpinvoke_service_account.c%03[1]d.email
      audience              = %[4]q
    }
  }
  depends_on = [gcpinvoke_run_service_iam_member.c%03[1]d, gcpinvoke_service_agent_impersonation.c%03[1]d]
}

`, i, env.Location, svc, env.ServiceURIs[svc])
			}
			return b.String()
		},
	}
}

// allScenarios is the full matrix of the issue.
func allScenarios() []scenario {
	return []scenario{
		memberScenario(1, 10), membersScenario(1, 10),
		memberScenario(1, 100), membersScenario(1, 100),
		memberScenario(1, 500), membersScenario(1, 500),
		memberScenario(50, 4),
		chainScenario(20),
	}
}

// quickScenarios is the smaller matrix of --quick.
func quickScenarios() []scenario {
	return []scenario{
		memberScenario(1, 10), membersScenario(1, 10),
		memberScenario(1, 100), membersScenario(1, 100),
		memberScenario(10, 4),
		chainScenario(5),
	}
}

// selectScenarios keeps the scenarios whose name matches pattern (all when
// pattern is empty).
func selectScenarios(all []scenario, pattern string) ([]scenario, error) {
	if pattern == "" {
		return all, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("--scenarios %q is not a valid regular expression: %v", pattern, err)
	}
	var out []scenario
	for _, s := range all {
		if re.MatchString(s.Name) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--scenarios %q matches no scenario", pattern)
	}
	return out, nil
}

// providerBlock requires the provider from source and points it at the
// emulator.
func providerBlock(source string, env hclEnv) string {
	return fmt.Sprintf("terraform {\n  required_providers {\n    gcpinvoke = {\n      source = %q\n    }\n  }\n}\n\n", source) + fmt.Sprintf("provider \"gcpinvoke\" {\n  emulator_host = %q\n  project       = %q\n  region        = %q\n}\n\n", env.EmulatorHost, env.Project, env.Location)
}
