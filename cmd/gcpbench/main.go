// Command gcpbench measures a Terraform provider on identical work against
// the local emulator: for each scenario it runs the real `terraform apply`,
// `terraform plan` (refresh, must be empty) and `terraform destroy`, and
// reports the median wall time, the API calls by method counted by the
// emulator, IAM calls per policy against the project's targets, and the
// provider process's peak resident memory.
//
//	go run ./cmd/gcpbench                       # full matrix, gcpinvoke built from source
//	go run ./cmd/gcpbench --quick               # smaller matrix, one repeat
//	go run ./cmd/gcpbench --out BENCHMARKS.md   # also write the report
//	go run ./cmd/gcpbench --provider-binary ./other --provider-source example.com/x/gcpinvoke \
//	    --config-dir ./other-configs            # another provider, same scenarios
//
// With --config-dir, DIR/<scenario>/main.tf is a Go template over the
// emulator's address ({{.EmulatorHost}}, {{.EmulatorURL}}, {{.Project}},
// {{.Location}}, {{index .ServiceURIs "svc-000"}}); the emulator is seeded
// with the same services (svc-000, svc-001, ...) and the environment has
// GCPINVOKE_EMULATOR_HOST set. --list prints the scenarios.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"
)

// options are the command-line flags.
type options struct {
	quick          bool
	repeats        int
	parallelism    string
	latency        time.Duration
	scenarios      string
	providerBinary string
	providerSource string
	configDir      string
	sourceDir      string
	terraform      string
	out            string
	timeout        time.Duration
	list           bool
}

func main() {
	var o options
	flag.BoolVar(&o.quick, "quick", false, "smaller matrix (up to 100 members, -parallelism 10, one repeat)")
	flag.IntVar(&o.repeats, "repeats", 0, "runs of each scenario; the table shows the median wall time (default 3, 1 with --quick)")
	flag.StringVar(&o.parallelism, "parallelism", "", "comma-separated terraform -parallelism values (default 10,50; 10 with --quick)")
	flag.DurationVar(&o.latency, "latency", 50*time.Millisecond, "latency the emulator adds to every API call (a realistic Google round trip)")
	flag.StringVar(&o.scenarios, "scenarios", "", "regular expression selecting scenarios by name (see --list)")
	flag.StringVar(&o.providerBinary, "provider-binary", "", "measure this provider binary instead of building gcpinvoke from --source-dir")
	flag.StringVar(&o.providerSource, "provider-source", "registry.terraform.io/gcpinvoke/gcpinvoke", "source address of the provider under measurement (its dev_overrides key)")
	flag.StringVar(&o.configDir, "config-dir", "", "directory holding <scenario>/main.tf templates to use instead of the generated configurations")
	flag.StringVar(&o.sourceDir, "source-dir", ".", "module root of gcpinvoke, built when --provider-binary is not given")
	flag.StringVar(&o.terraform, "terraform", "", "terraform executable (default $TF_ACC_TERRAFORM_PATH, else terraform on PATH)")
	flag.StringVar(&o.out, "out", "", "also write the report (Markdown) to this file, e.g. BENCHMARKS.md")
	flag.DurationVar(&o.timeout, "timeout", 10*time.Minute, "limit for one terraform command")
	flag.BoolVar(&o.list, "list", false, "list the scenarios and exit")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gcpbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, args []string) error {
	all := allScenarios()
	if o.quick {
		all = quickScenarios()
	}
	if o.list {
		for _, s := range all {
			fmt.Printf("%-16s %s\n", s.Name, s.Desc)
		}
		return nil
	}
	scs, err := selectScenarios(all, o.scenarios)
	if err != nil {
		return err
	}
	pars, err := parseParallelism(o.parallelism, o.quick)
	if err != nil {
		return err
	}
	if o.repeats <= 0 {
		o.repeats = 3
		if o.quick {
			o.repeats = 1
		}
	}
	if o.terraform == "" {
		o.terraform = os.Getenv("TF_ACC_TERRAFORM_PATH")
	}
	if o.terraform == "" {
		o.terraform = "terraform"
	}
	work, err := os.MkdirTemp("", "gcpbench-provider-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	var prov *provider
	if o.providerBinary != "" {
		prov, err = useProvider(o.providerBinary, work, o.providerSource)
	} else {
		logf("building the provider from %s", o.sourceDir)
		prov, err = buildProvider(ctx, o.sourceDir, work, o.providerSource)
	}
	if err != nil {
		return err
	}
	if o.configDir != "" {
		scs = withConfigs(scs, o.configDir)
		if len(scs) == 0 {
			return fmt.Errorf("--config-dir %s holds no <scenario>/main.tf of the selected scenarios", o.configDir)
		}
	}
	cfg := &benchConfig{
		Terraform: o.terraform, Provider: prov, ConfigDir: o.configDir, Latency: o.latency,
		Repeats: o.repeats, Timeout: o.timeout, SampleEvery: 10 * time.Millisecond, Log: logf,
	}
	start := time.Now()
	var results []*phaseResult
	for _, sc := range scs {
		for _, p := range pars {
			logf("%s (%s), -parallelism=%d, %d repeat(s)", sc.Name, sc.Desc, p, o.repeats)
			rs := runScenario(ctx, cfg, sc, p)
			for _, r := range rs {
				if r.Err != "" {
					logf("  %s %s failed: %s", sc.Name, r.Phase, r.Err)
				}
			}
			results = append(results, rs...)
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
	rep := &report{
		Results: results, Repeats: o.repeats, Latency: o.latency, Parallelism: pars,
		Command: "go run ./cmd/gcpbench " + strings.Join(args, " "), Machine: describeMachine(ctx, o.terraform),
		Provider: prov, ConfigDir: o.configDir, Elapsed: time.Since(start), Quick: o.quick,
	}
	writeTable(os.Stdout, results, o.repeats)
	fmt.Println()
	writeGrowth(os.Stdout, results)
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(rep.markdown()+keptNotes(o.out)), 0o644); err != nil {
			return err
		}
		logf("wrote %s", o.out)
	}
	for _, r := range results {
		if r.Err != "" {
			return fmt.Errorf("%d phase(s) failed; see the table", countFailed(results))
		}
	}
	return nil
}

func countFailed(rs []*phaseResult) int {
	n := 0
	for _, r := range rs {
		if r.Err != "" {
			n++
		}
	}
	return n
}

// parseParallelism reads "10,50".
func parseParallelism(s string, quick bool) ([]int, error) {
	if s == "" {
		if quick {
			return []int{10}, nil
		}
		return []int{10, 50}, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--parallelism %q: want comma-separated positive integers such as 10,50", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// withConfigs keeps the scenarios that have DIR/<name>/main.tf.
func withConfigs(scs []scenario, dir string) []scenario {
	var out []scenario
	for _, s := range scs {
		if _, err := os.Stat(dir + "/" + s.Name + "/main.tf"); err == nil {
			out = append(out, s)
		} else {
			logf("skipping %s: no %s/%s/main.tf", s.Name, dir, s.Name)
		}
	}
	return out
}

// logf reports progress on stderr, so stdout holds only the table.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

// notesMarker starts the hand-written part of the report (the reading of the
// figures), which a rerun keeps; everything above it is regenerated.
const notesMarker = "<!-- notes: kept by make bench -->"

// keptNotes returns the hand-written part of an existing report, if any.
func keptNotes(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if i := strings.Index(string(data), notesMarker); i >= 0 {
		return "\n" + string(data[i:])
	}
	return ""
}
