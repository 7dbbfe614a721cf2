package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/review"
)

func init() {
	register("review", command{
		summary: "report who-can-invoke / who-can-impersonate changes in a Terraform plan (JSON)",
		run:     runReview,
	})
}

const reviewUsage = `Usage: gcpinvoke review [flags] PLAN.json [PLAN.json…]

Reads the output of "terraform show -json PLANFILE" (use - for stdin) and
reports every change to who can invoke what and who can impersonate whom.
Several plans (Markdown only) are reported one after the other.

Exit codes: 0 report written (no finding at --fail-on level), 1 a finding
reached --fail-on, 2 unreadable or non-plan input, or a usage error.

Flags:
`

func runReview(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "markdown", "output format: markdown (PR comment), json (schema in internal/review/SCHEMA.md) or sarif (SARIF 2.1.0, for code scanning)")
	configDir := fs.String("config-dir", "", "with --format sarif: the Terraform configuration the plan was made from; results point at the file and line of each resource (local modules followed)")
	failOn := fs.String("fail-on", "", "exit 1 when a finding is at least this severe: high, medium or info")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), reviewUsage)
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	if len(files) == 0 || (len(files) > 1 && *format != "markdown" && *format != "md") {
		fmt.Fprintf(stderr, "gcpinvoke review: want exactly one plan file (several only with --format markdown), got %d\n", len(files))
		fs.Usage()
		return 2
	}
	var threshold review.Severity
	if *failOn != "" {
		if threshold, err = review.ParseSeverity(*failOn); err != nil {
			fmt.Fprintf(stderr, "gcpinvoke review: --fail-on: %v\n", err)
			return 2
		}
	}
	var locs review.Locations
	if *configDir != "" {
		if *format != "sarif" {
			fmt.Fprintf(stderr, "gcpinvoke review: --config-dir is used only with --format sarif\n")
			return 2
		}
		if locs, err = review.Locate(*configDir); err != nil {
			fmt.Fprintf(stderr, "gcpinvoke review: cannot read the configuration in %s: %v\n", *configDir, err)
			return 2
		}
	}
	write := map[string]func(io.Writer, *review.Report) error{
		"markdown": review.WriteMarkdown, "md": review.WriteMarkdown, "json": review.WriteJSON,
		"sarif": func(w io.Writer, r *review.Report) error {
			return review.WriteSARIF(w, r, review.SARIFOptions{ToolVersion: currentVersion(), Locations: locs})
		},
	}[*format]
	if write == nil {
		fmt.Fprintf(stderr, "gcpinvoke review: --format %q: want markdown, json or sarif\n", *format)
		return 2
	}

	// Several plans (a pre-commit hook passes every staged plan) are
	// reported one after the other; the exit code is the worst.
	code := 0
	for i, name := range files {
		if i > 0 {
			fmt.Fprintf(stdout, "\n---\n\n")
		}
		if len(files) > 1 {
			fmt.Fprintf(stdout, "#### %s\n\n", name)
		}
		if c := reviewOne(name, write, threshold, stdout, stderr); c > code {
			code = c
		}
	}
	return code
}

// reviewOne reports one plan file and returns the exit code.
func reviewOne(name string, write func(io.Writer, *review.Report) error, threshold review.Severity, stdout, stderr io.Writer) int {
	data, err := readInput(name)
	if err != nil {
		fmt.Fprintf(stderr, "gcpinvoke review: cannot read %s: %v\n", name, err)
		return 2
	}
	plan, err := review.ReadPlan(data)
	if err != nil {
		fmt.Fprintf(stderr, "gcpinvoke review: %s: %v\n", name, err)
		return 2
	}
	rep := review.Analyze(plan)
	if err := write(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "gcpinvoke review: writing the report: %v\n", err)
		return 2
	}
	if threshold != 0 && rep.Fails(threshold) {
		fmt.Fprintf(stderr, "gcpinvoke review: %s: %s (--fail-on %s)\n", name, rep.Summary(), threshold)
		return 1
	}
	return 0
}

// parseInterspersed parses flags placed before or after positional
// arguments ("review plan.json --format json").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if i := len(args) - len(rest) - 1; i >= 0 && args[i] == "--" {
			// "--" ends flags: everything after it is positional.
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func readInput(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name)
}
