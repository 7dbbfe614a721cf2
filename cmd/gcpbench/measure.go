package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"text/template"
	"time"
)

// Phases measured for every scenario, in the order they run.
const (
	phaseApply   = "apply"
	phasePlan    = "plan"
	phaseDestroy = "destroy"
)

// phaseResult is one (scenario, parallelism, phase) over every repeat.
type phaseResult struct {
	Scenario    scenario
	Parallelism int
	Phase       string
	Walls       []time.Duration
	Calls       []map[string]int // API calls by method, one map per repeat
	PeakKB      int64            // largest provider VmHWM over the repeats
	Processes   int              // provider processes seen in the last repeat
	Err         string
}

// benchConfig is everything a run needs.
type benchConfig struct {
	Terraform   string
	Provider    *provider
	ConfigDir   string // optional: <scenario>/main.tf templates for another provider
	Latency     time.Duration
	Repeats     int
	Timeout     time.Duration // per terraform command
	SampleEvery time.Duration
	Log         func(format string, args ...any)
}

// phaseArgs are the terraform arguments of each phase. plan refreshes every
// resource and must find nothing to change (-detailed-exitcode 0).
func phaseArgs(phase string, parallelism int) []string {
	p := fmt.Sprintf("-parallelism=%d", parallelism)
	switch phase {
	case phaseApply:
		return []string{"apply", "-auto-approve", "-input=false", "-no-color", p}
	case phasePlan:
		return []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", p}
	default:
		return []string{"destroy", "-auto-approve", "-input=false", "-no-color", p}
	}
}

// renderConfig writes the scenario's main.tf for env into dir.
func renderConfig(cfg *benchConfig, sc scenario, env hclEnv, dir string) error {
	var text string
	if cfg.ConfigDir != "" {
		src := filepath.Join(cfg.ConfigDir, sc.Name, "main.tf")
		raw, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		tmpl, err := template.New(src).Option("missingkey=error").Parse(string(raw))
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		var b bytes.Buffer
		if err := tmpl.Execute(&b, env); err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		text = b.String()
	} else {
		text = providerBlock(cfg.Provider.Source, env) + sc.HCL(env)
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(text), 0o644)
}

// runScenario measures apply, plan and destroy of sc at parallelism, each
// repeat on a fresh emulator and an empty state.
func runScenario(ctx context.Context, cfg *benchConfig, sc scenario, parallelism int) []*phaseResult {
	phases := []string{phaseApply, phasePlan, phaseDestroy}
	results := make([]*phaseResult, len(phases))
	for i, ph := range phases {
		results[i] = &phaseResult{Scenario: sc, Parallelism: parallelism, Phase: ph}
	}
	fail := func(err error) []*phaseResult {
		for _, r := range results {
			if r.Err == "" && len(r.Walls) < cfg.Repeats {
				r.Err = err.Error()
			}
		}
		return results
	}
	for rep := 0; rep < cfg.Repeats; rep++ {
		if err := runRepeat(ctx, cfg, sc, parallelism, phases, results); err != nil {
			return fail(err)
		}
	}
	return results
}

func runRepeat(ctx context.Context, cfg *benchConfig, sc scenario, parallelism int, phases []string, results []*phaseResult) error {
	be, err := startEmulator(sc.Services, cfg.Latency)
	if err != nil {
		return fmt.Errorf("starting the emulator: %w", err)
	}
	defer be.Close()
	dir, err := os.MkdirTemp("", "gcpbench-"+sc.Name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := renderConfig(cfg, sc, be.env, dir); err != nil {
		return err
	}
	cliConf := filepath.Join(dir, ".terraformrc")
	if err := writeCLIConfig(cliConf, cfg.Provider); err != nil {
		return err
	}
	tf := &terraformRunner{bin: cfg.Terraform, dir: dir, cliConf: cliConf, env: []string{"GCPINVOKE_EMULATOR_HOST=" + be.addr}}
	for i, ph := range phases {
		cctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
		be.ResetCalls()
		sampler := startRSSSampler(cfg.Provider.Binary, cfg.SampleEvery)
		res, err := tf.run(cctx, phaseArgs(ph, parallelism)...)
		peak, procs := sampler.Stop()
		cancel()
		calls := be.Calls()
		if err != nil {
			return err
		}
		if res.ExitCode != 0 {
			if ph == phasePlan && res.ExitCode == 2 {
				return fmt.Errorf("plan after apply is not empty:\n%s", lastLines(res.Output, 30))
			}
			return fmt.Errorf("terraform %s exited %d: %s", ph, res.ExitCode, firstError(res.Output, 12))
		}
		r := results[i]
		r.Walls = append(r.Walls, res.Wall)
		r.Calls = append(r.Calls, calls)
		r.Processes = procs
		if peak > r.PeakKB {
			r.PeakKB = peak
		}
		if cfg.Log != nil {
			cfg.Log("  %-14s p=%-3d %-8s %8s  %d API calls  peak RSS %s", sc.Name, parallelism, ph, res.Wall.Round(time.Millisecond), total(calls), formatKB(peak))
		}
	}
	return nil
}

// median is the middle value (the lower middle for an even count).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)/2]
}

// medianCalls is, per method, the median count over the repeats (a method
// missing from a repeat counts 0 there).
func medianCalls(runs []map[string]int) map[string]int {
	methods := map[string]bool{}
	for _, r := range runs {
		for m := range r {
			methods[m] = true
		}
	}
	out := map[string]int{}
	for m := range methods {
		var vals []int
		for _, r := range runs {
			vals = append(vals, r[m])
		}
		sort.Ints(vals)
		if v := vals[(len(vals)-1)/2]; v > 0 {
			out[m] = v
		}
	}
	return out
}

// total sums the calls of every method.
func total(calls map[string]int) int {
	n := 0
	for _, v := range calls {
		n += v
	}
	return n
}
