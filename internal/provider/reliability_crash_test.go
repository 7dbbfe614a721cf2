package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// Shape of the crash configuration: crashMembers _iam_member resources on
// svc-000 and one _iam_members with crashSetMembers members on svc-001.
const (
	crashMembers    = 24
	crashSetMembers = 10
	crashAfterSets  = 3 // kill the provider once the emulator has stored this many policies
)

func crashMember(svc, i int) string { return fmt.Sprintf("user:crash-%d-%02d@example.com", svc, i) }

func crashConfig(host string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"gcpinvoke\" {\n  emulator_host = %q\n  project       = %q\n  region        = %q\n}\n\n", host, gcpinvoketesting.Project, gcpinvoketesting.Location)
	for i := 0; i < crashMembers; i++ {
		fmt.Fprintf(&b, "resource \"gcpinvoke_run_service_iam_member\" \"m%02d\" {\n  service = %q\n  member  = %q\n}\n\n", i, reliabilityService(0), crashMember(0, i))
	}
	fmt.Fprintf(&b, "resource \"gcpinvoke_run_service_iam_members\" \"set\" {\n  service = %q\n  role    = \"roles/run.invoker\"\n  members = [\n", reliabilityService(1))
	for i := 0; i < crashSetMembers; i++ {
		fmt.Fprintf(&b, "    %q,\n", crashMember(1, i))
	}
	b.WriteString("  ]\n}\n")
	return b.String()
}

// crashHook kills the provider right after the emulator has stored the
// after-th policy: the write took effect, but the provider dies before it can
// record the result in Terraform's state.
type crashHook struct {
	h     *tfHarness
	after int

	mu     sync.Mutex
	armed  bool
	sets   int
	killed int
}

func (c *crashHook) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, ":setIamPolicy") {
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if !c.armed {
			return
		}
		c.sets++
		if c.sets == c.after {
			c.killed = c.h.killProvider()
			c.armed = false
		}
	})
}

// stateMembers reads `terraform show -json` and returns, per service, the
// members Terraform's state says it manages.
func stateMembers(t *testing.T, h *tfHarness) map[string][]string {
	t.Helper()
	out := h.mustRun("show", "-json", "-no-color")
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Type   string         `json:"type"`
					Values map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	got := map[string][]string{}
	for _, r := range doc.Values.RootModule.Resources {
		svc, _ := r.Values["service"].(string)
		switch r.Type {
		case "gcpinvoke_run_service_iam_member":
			m, _ := r.Values["member"].(string)
			got[svc] = append(got[svc], m)
		case "gcpinvoke_run_service_iam_members":
			ms, _ := r.Values["members"].([]any)
			for _, m := range ms {
				s, _ := m.(string)
				got[svc] = append(got[svc], s)
			}
		}
	}
	for k := range got {
		sort.Strings(got[k])
	}
	return got
}

// TestAccReliability_crashMidApply kills the provider process in the
// middle of an apply, right after some policy writes took effect, then
// reruns apply. The rerun must converge with every member stored exactly
// once, nothing extra, an empty plan, and a state that matches the emulator.
func TestAccReliability_crashMidApply(t *testing.T) {
	t.Parallel()
	h := newTFHarness(t)
	e, err := emulator.New(emulator.Options{
		Seed: reliabilitySeed(2),
		// A realistic round trip keeps the apply in flight long enough
		// for the kill to land mid-apply.
		Faults: emulator.Faults{Latency: 20 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	hook := &crashHook{h: h, after: crashAfterSets, armed: true}
	host := serveEmulator(t, e, hook.wrap)
	h.writeConfig(crashConfig(host))

	out, code := h.run("apply", "-auto-approve", "-no-color", "-parallelism=4")
	hook.mu.Lock()
	killed, sets := hook.killed, hook.sets
	hook.armed = false
	hook.mu.Unlock()
	if killed == 0 {
		t.Fatalf("the provider was never killed (%d setIamPolicy seen); apply exited %d:\n%s", sets, code, out)
	}
	if code == 0 {
		t.Fatalf("apply exited 0 although its provider was killed:\n%s", out)
	}
	t.Logf("killed %d provider process(es) after %d setIamPolicy; apply exited %d", killed, sets, code)

	h.mustRun("apply", "-auto-approve", "-no-color", "-parallelism=4")
	if out, code := h.run("plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Fatalf("plan after the rerun exited %d (2 = changes pending):\n%s", code, out)
	}

	st := e.Snapshot()
	inState := stateMembers(t, h)
	for svc, n := range map[int]int{0: crashMembers, 1: crashSetMembers} {
		stored := policyMembers(st, reliabilityServiceResource(svc), "roles/run.invoker")
		var want []string
		for i := 0; i < n; i++ {
			want = append(want, crashMember(svc, i))
		}
		sort.Strings(want)
		var got []string
		for m, count := range stored {
			if count != 1 {
				t.Errorf("%s: %s is stored %d times, want once", reliabilityService(svc), m, count)
			}
			got = append(got, m)
		}
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s roles/run.invoker in the emulator = %v, want %v", reliabilityService(svc), got, want)
		}
		if s := inState[reliabilityService(svc)]; strings.Join(s, ",") != strings.Join(want, ",") {
			t.Errorf("%s members in Terraform state = %v, want %v (the emulator's)", reliabilityService(svc), s, want)
		}
	}
	if bindings := countInvokerBindings(st, reliabilityServiceResource(0)); bindings != 1 {
		t.Errorf("%s has %d roles/run.invoker bindings, want 1", reliabilityService(0), bindings)
	}
}

// countInvokerBindings counts the unconditional roles/run.invoker bindings.
func countInvokerBindings(st *emulator.State, resource string) int {
	n := 0
	if pol := st.Policies[resource]; pol != nil {
		for _, b := range pol.Bindings {
			if b.Role == "roles/run.invoker" && b.Condition == nil {
				n++
			}
		}
	}
	return n
}
