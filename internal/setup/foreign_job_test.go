package setup

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// setup --apply never repoints a job that belongs to another chain: a job
// of the same name acting as another account is left alone, with an error
// saying what would change, unless Force is set.
func TestSetupRefusesForeignJob(t *testing.T) {
	t.Parallel()
	f := start(t, false)
	other := runConfig()
	other.ServiceAccount = "someone-else"
	f.run(t, other, true) // invoke-hello now acts as someone-else@

	rep, out := f.run(t, runConfig(), false)
	if rep.Missing == 0 || !strings.Contains(out, "acts as someone-else@demo-project.iam.gserviceaccount.com: --apply leaves it alone unless --force") {
		t.Fatalf("dry run does not flag the foreign job:\n%s", out)
	}

	s, err := New(context.Background(), newEnv(t, f.fx.Host), runConfig())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_, err = s.Run(context.Background(), &buf, true)
	var foreign *ForeignJobError
	if !errors.As(err, &foreign) {
		t.Fatalf("Run(apply) = %v, want a ForeignJobError\n%s", err, buf.String())
	}
	for _, want := range []string{"invoke-hello already exists and acts as someone-else@demo-project.iam.gserviceaccount.com",
		"setup would change: OIDC token settings differ", "--force"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if n := f.fx.Calls()["cloudscheduler.jobs.patch"]; n != 0 {
		t.Fatalf("the foreign job was patched %d times without --force", n)
	}
	if n := f.fx.Calls()["iam.serviceAccounts.create"]; n != 1 {
		t.Errorf("service accounts created = %d, want only someone-else's: the refusal must come before any change", n)
	}

	forced := runConfig()
	forced.Force = true
	f.run(t, forced, true)
	if n := f.fx.Calls()["cloudscheduler.jobs.patch"]; n != 1 {
		t.Errorf("patch calls with --force = %d, want 1", n)
	}
	if rep, out := f.run(t, runConfig(), false); rep.Missing != 0 {
		t.Errorf("after --force the chain is not in place:\n%s", out)
	}
}
