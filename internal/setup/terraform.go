package setup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// terraformHeader starts every file EmitTerraform writes; a main.tf that
// does not start with it is never overwritten.
const terraformHeader = "# Written by `gcpinvoke setup"

// ProviderSource is the provider's registry address in required_providers.
const ProviderSource = "gcpinvoke/gcpinvoke"

// Terraform renders the chain as one HCL file: provider requirements, the
// provider block, and per step the resource with an `import` block when it
// exists as the resource manages it (so `terraform plan` adopts it without
// changes), or a comment when it is in place another way (a project-level
// grant). The provider block names no emulator: point Terraform at one with
// GCPINVOKE_EMULATOR_HOST.
func (s *Setup) Terraform(ctx context.Context) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s` for project %s. `terraform plan` here imports\n", terraformHeader, s.cfg.Walkthrough, s.cfg.Project)
	b.WriteString("# what exists and changes nothing; resources not created yet are planned for creation.\n")
	if s.env.Client.EmulatorBaseURL() != "" {
		b.WriteString("# Written against an emulator: run Terraform with GCPINVOKE_EMULATOR_HOST set to its HOST:PORT.\n")
	}
	b.WriteString("\n")
	b.WriteString(providerBlocks(s.cfg.Project, s.cfg.Location))
	for _, step := range s.steps {
		text, err := step.Terraform(ctx)
		if err != nil {
			return nil, fmt.Errorf("rendering %s: %w", step.Describe(), err)
		}
		b.WriteString("\n")
		b.WriteString(text)
	}
	return b.Bytes(), nil
}

// providerBlocks renders the terraform and provider blocks.
func providerBlocks(project, region string) string {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	req := body.AppendNewBlock("terraform", nil).Body().AppendNewBlock("required_providers", nil).Body()
	req.SetAttributeRaw("gcpinvoke", obj("", lit("source", ProviderSource)).tokens())
	body.AppendNewline()
	writeAttrs(body.AppendNewBlock("provider", []string{"gcpinvoke"}).Body(), []attr{lit("project", project), lit("region", region)})
	return string(hclwrite.Format(f.Bytes()))
}

// WriteError is a failure to write the Terraform files: it names the
// directory and says why, e.g. "cannot write Terraform to out: not a
// directory".
type WriteError struct {
	Dir string
	Err error
}

func (e *WriteError) Error() string {
	reason := e.Err
	var pe *os.PathError
	if errors.As(e.Err, &pe) {
		reason = pe.Err // the path is in the headline already
	}
	return fmt.Sprintf("cannot write Terraform to %s: %v", e.Dir, reason)
}

func (e *WriteError) Unwrap() error { return e.Err }

// EmitTerraform writes Terraform's rendering to dir/main.tf, creating dir.
// It refuses to overwrite a main.tf it did not write.
func (s *Setup) EmitTerraform(ctx context.Context, dir string) (string, error) {
	text, err := s.Terraform(ctx)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", &WriteError{Dir: dir, Err: err}
	}
	path := filepath.Join(dir, "main.tf")
	if old, err := os.ReadFile(path); err == nil && !strings.HasPrefix(string(old), terraformHeader) {
		return "", &WriteError{Dir: dir, Err: fmt.Errorf("%s exists and was not written by gcpinvoke setup; choose an empty directory", path)}
	}
	if err := os.WriteFile(path, text, 0o644); err != nil {
		return "", &WriteError{Dir: dir, Err: err}
	}
	return path, nil
}
