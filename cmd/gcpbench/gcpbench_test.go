package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCheckTarget(t *testing.T) {
	run := "run.services."
	tests := []struct {
		name  string
		sc    scenario
		par   int
		phase string
		calls map[string]int
		met   bool
	}{
		{"members apply 1+1", membersScenario(1, 100), 10, phaseApply, map[string]int{run + "getIamPolicy": 1, run + "setIamPolicy": 1}, true},
		{"members apply two writes", membersScenario(1, 100), 10, phaseApply, map[string]int{run + "getIamPolicy": 1, run + "setIamPolicy": 2}, false},
		{"member apply at bound", memberScenario(1, 100), 10, phaseApply, map[string]int{run + "getIamPolicy": 10, run + "setIamPolicy": 10}, true},
		{"member apply over bound", memberScenario(1, 100), 10, phaseApply, map[string]int{run + "getIamPolicy": 11, run + "setIamPolicy": 10}, false},
		{"member apply p50 bound is 2·⌈100/50⌉=4", memberScenario(1, 100), 50, phaseApply, map[string]int{run + "getIamPolicy": 2, run + "setIamPolicy": 3}, false},
		{"plan one get per policy", memberScenario(50, 4), 10, phasePlan, map[string]int{run + "getIamPolicy": 50, "run.services.get": 50}, true},
		{"plan must not write", memberScenario(1, 10), 10, phasePlan, map[string]int{run + "getIamPolicy": 1, run + "setIamPolicy": 1}, false},
		{"plan two gets", memberScenario(1, 10), 10, phasePlan, map[string]int{run + "getIamPolicy": 2}, false},
		{"chain apply counts every IAM api", chainScenario(2), 10, phaseApply, map[string]int{run + "getIamPolicy": 2, run + "setIamPolicy": 2, "iam.serviceAccounts.getIamPolicy": 2, "iam.serviceAccounts.setIamPolicy": 2}, true},
		{"members destroy", membersScenario(1, 10), 10, phaseDestroy, map[string]int{run + "getIamPolicy": 2, run + "setIamPolicy": 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := checkTarget(tt.sc, tt.par, tt.phase, tt.calls)
			if v.Met != tt.met {
				t.Errorf("checkTarget(%s, p=%d, %s, %v) = %+v, want met=%v", tt.sc.Name, tt.par, tt.phase, tt.calls, v, tt.met)
			}
		})
	}
}

func TestMedians(t *testing.T) {
	if got := median([]time.Duration{3, 1, 2}); got != 2 {
		t.Errorf("median(3,1,2) = %v, want 2", got)
	}
	if got := median([]time.Duration{4, 1, 3, 2}); got != 2 {
		t.Errorf("median of four = %v, want the lower middle 2", got)
	}
	got := medianCalls([]map[string]int{{"a": 1, "b": 5}, {"a": 3}, {"a": 2, "b": 4}})
	if got["a"] != 2 || got["b"] != 4 {
		t.Errorf("medianCalls = %v, want a=2 b=4 (a missing method counts 0)", got)
	}
}

func TestScenarioHCL(t *testing.T) {
	env := hclEnv{EmulatorHost: "127.0.0.1:1", Project: benchProject, Location: benchLocation, ServiceURIs: map[string]string{"svc-000": "http://svc-000-x-uc.a.run.localhost:1", "svc-001": "http://svc-001-y-uc.a.run.localhost:1"}}
	tests := []struct {
		sc        scenario
		resources string
		count     int
		contains  []string
	}{
		{memberScenario(2, 3), `resource "gcpinvoke_run_service_iam_member"`, 6, []string{`service  = "svc-001"`, `member   = "user:bench-001-0002@example.com"`}},
		{membersScenario(2, 3), `resource "gcpinvoke_run_service_iam_members"`, 2, []string{`"user:bench-000-0002@example.com",`}},
		{chainScenario(2), `resource "gcpinvoke_scheduler_job"`, 2, []string{`audience              = "http://svc-001-y-uc.a.run.localhost:1"`, `agent           = "cloudscheduler"`}},
	}
	for _, tt := range tests {
		t.Run(tt.sc.Name, func(t *testing.T) {
			hcl := tt.sc.HCL(env)
			if n := strings.Count(hcl, tt.resources); n != tt.count {
				t.Errorf("%s declares %d × %s, want %d", tt.sc.Name, n, tt.resources, tt.count)
			}
			if n := strings.Count(hcl, "resource \""); n != tt.sc.Resources {
				t.Errorf("%s declares %d resources, its Resources says %d", tt.sc.Name, n, tt.sc.Resources)
			}
			if strings.Contains(hcl, "%!") {
				t.Errorf("%s HCL has a formatting error:\n%s", tt.sc.Name, hcl)
			}
			for _, c := range tt.contains {
				if !strings.Contains(hcl, c) {
					t.Errorf("%s HCL lacks %s:\n%s", tt.sc.Name, c, hcl)
				}
			}
		})
	}
}

// TestConfigDirTemplate checks that another provider's configuration is
// rendered with the emulator's address.
func TestConfigDirTemplate(t *testing.T) {
	dir := t.TempDir()
	sc := memberScenario(1, 10)
	if err := os.MkdirAll(filepath.Join(dir, sc.Name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, sc.Name, "main.tf"), []byte(`endpoint = "{{.EmulatorURL}}/" # {{index .ServiceURIs "svc-000"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cfg := &benchConfig{ConfigDir: dir}
	env := hclEnv{EmulatorURL: "http://127.0.0.1:9", ServiceURIs: map[string]string{"svc-000": "http://u"}}
	if err := renderConfig(cfg, sc, env, out); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(out, "main.tf"))
	if want := `endpoint = "http://127.0.0.1:9/" # http://u`; string(got) != want {
		t.Errorf("rendered %q, want %q", got, want)
	}
	if got := withConfigs([]scenario{sc, membersScenario(1, 10)}, dir); len(got) != 1 || got[0].Name != sc.Name {
		t.Errorf("withConfigs kept %v, want only %s", got, sc.Name)
	}
}

func TestSelectScenarios(t *testing.T) {
	got, err := selectScenarios(allScenarios(), "^members-")
	if err != nil || len(got) != 3 {
		t.Fatalf("selectScenarios(^members-) = %d scenarios, %v; want 3", len(got), err)
	}
	if _, err := selectScenarios(allScenarios(), "nothing-matches"); err == nil || !strings.Contains(err.Error(), "matches no scenario") {
		t.Errorf("unmatched pattern: err = %v", err)
	}
	if _, err := parseParallelism("10,x", false); err == nil {
		t.Error("parseParallelism(10,x) succeeded")
	}
}

// TestRSSSampler samples the processes running a binary that descend from
// this test and must see exactly its own child, with a plausible high-water
// mark, while another process of the same binary that is not its descendant
// runs on the machine (as other tests' and users' processes do). The
// sample is taken synchronously while both processes are known to be alive,
// so no timing is involved.
func TestRSSSampler(t *testing.T) {
	bin, err := exec.LookPath("sleep")
	if err != nil {
		t.Fatal(err)
	}
	// A child of this test: alive until the test kills it.
	child := exec.Command(bin, "3600")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = child.Process.Kill(); _ = child.Wait() })

	// A process of the same binary outside this test's tree: sh starts it
	// in the background and exits, so it is re-parented away from us.
	out, err := exec.Command("sh", "-c", bin+" 3600 >/dev/null 2>&1 & echo $!").Output()
	if err != nil {
		t.Fatal(err)
	}
	strangerPID, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("pid of the background process: %v (%q)", err, out)
	}
	stranger, _ := os.FindProcess(strangerPID)
	t.Cleanup(func() { _ = stranger.Kill() })
	if descendsFrom(strangerPID, os.Getpid()) {
		t.Fatalf("background process %d is still this test's descendant; the check below would prove nothing", strangerPID)
	}

	s := newRSSSampler(bin, os.Getpid(), time.Hour)
	s.sample()
	s.mu.Lock()
	peak, seen := s.peakKB, s.seen
	s.mu.Unlock()
	if len(seen) != 1 || !seen[child.Process.Pid] {
		t.Errorf("sampler saw processes %v; want only the test's child %d (not %d)", seen, child.Process.Pid, strangerPID)
	}
	if peak <= 0 || peak > 1<<20 {
		t.Errorf("peak %d KiB; want 0 < peak < 1 GiB", peak)
	}
}

// TestRSSSamplerLoop runs the sampler's own loop: Stop returns what the
// samples saw (the first sample is taken when the loop starts, while the
// child is alive).
func TestRSSSamplerLoop(t *testing.T) {
	bin, err := exec.LookPath("sleep")
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(bin, "3600")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	s := startRSSSampler(bin, time.Hour)
	peak, procs := s.Stop()
	if procs != 1 || peak <= 0 {
		t.Errorf("sampler saw %d process(es), peak %d KiB; want 1 process with a positive peak", procs, peak)
	}
}

func TestTableMarksMissedTargets(t *testing.T) {
	sc := membersScenario(1, 10)
	results := []*phaseResult{{Scenario: sc, Parallelism: 10, Phase: phaseApply, Walls: []time.Duration{time.Second},
		Calls: []map[string]int{{"run.services.getIamPolicy": 1, "run.services.setIamPolicy": 3}}, PeakKB: 20480}}
	var b bytes.Buffer
	writeTable(&b, results, 1)
	out := b.String()
	for _, want := range []string{"**missed**", "`run.services.setIamPolicy` 3", "1 get + 3 set", "20.0 MiB"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
