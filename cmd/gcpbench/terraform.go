package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// provider is the provider binary under measurement.
type provider struct {
	// Source is its source address, e.g. registry.terraform.io/gcpinvoke/gcpinvoke.
	Source string
	// Dir holds it as terraform-provider-TYPE, the dev_overrides directory.
	Dir string
	// Binary is the executable Terraform starts (what the RSS sampler looks for).
	Binary string
}

// providerType is the last segment of a source address.
func providerType(source string) string {
	return source[strings.LastIndex(source, "/")+1:]
}

// buildProvider builds the provider from the module in srcDir into dir.
func buildProvider(ctx context.Context, srcDir, dir, source string) (*provider, error) {
	bin := filepath.Join(dir, "terraform-provider-"+providerType(source))
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = srcDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building the provider in %s: %v\n%s", srcDir, err, out)
	}
	return &provider{Source: source, Dir: dir, Binary: bin}, nil
}

// useProvider links a prebuilt binary into dir under the name Terraform
// expects for source.
func useProvider(binary, dir, source string) (*provider, error) {
	abs, err := filepath.Abs(binary)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(abs); err != nil || st.IsDir() {
		return nil, fmt.Errorf("--provider-binary %s is not a file: %v", binary, err)
	}
	link := filepath.Join(dir, "terraform-provider-"+providerType(source))
	if err := os.Symlink(abs, link); err != nil {
		return nil, err
	}
	return &provider{Source: source, Dir: dir, Binary: abs}, nil
}

// writeCLIConfig writes a Terraform CLI configuration whose dev_overrides
// serve p.Source from p.Dir, so no registry is needed and init is skipped.
func writeCLIConfig(path string, p *provider) error {
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", p.Source, p.Dir)
	return os.WriteFile(path, []byte(cfg), 0o644)
}

// terraformRunner runs the Terraform CLI in one working directory.
type terraformRunner struct {
	bin     string // terraform executable
	dir     string // working directory holding main.tf
	cliConf string // TF_CLI_CONFIG_FILE
	env     []string
}

// tfResult is one command's outcome.
type tfResult struct {
	Wall     time.Duration
	ExitCode int
	Output   string
}

// run runs terraform with args and returns its wall time and exit code. A
// non-zero exit is not an error here; callers decide (plan uses
// -detailed-exitcode).
func (r *terraformRunner) run(ctx context.Context, args ...string) (tfResult, error) {
	cmd := exec.CommandContext(ctx, r.bin, args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+r.cliConf,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
	)
	cmd.Env = append(cmd.Env, r.env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	res := tfResult{Wall: time.Since(start), Output: out.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitCode()
	default:
		return res, fmt.Errorf("running terraform %s: %w", strings.Join(args, " "), err)
	}
	return res, nil
}

// firstError is the first "Error:" diagnostic of a command's output (up to
// n lines), else its last n lines.
func firstError(s string, n int) string {
	if i := strings.Index(s, "Error: "); i >= 0 {
		s = s[i:]
		lines := strings.Split(s, "\n")
		if len(lines) > n {
			lines = lines[:n]
		}
		return strings.TrimSpace(strings.Join(lines, "\n"))
	}
	return lastLines(s, n)
}

// lastLines is the tail of a command's output, for error messages.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
