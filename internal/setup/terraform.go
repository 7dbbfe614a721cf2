package setup

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	fmt.Fprintf(&b, "\nterraform {\n  required_providers {\n    gcpinvoke = {\n      source = %s\n    }\n  }\n}\n", hclString(ProviderSource))
	fmt.Fprintf(&b, "\nprovider \"gcpinvoke\" {\n  project = %s\n  region  = %s\n}\n", hclString(s.cfg.Project), hclString(s.cfg.Location))
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

// EmitTerraform writes Terraform's rendering to dir/main.tf, creating dir.
// It refuses to overwrite a main.tf it did not write.
func (s *Setup) EmitTerraform(ctx context.Context, dir string) (string, error) {
	text, err := s.Terraform(ctx)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "main.tf")
	if old, err := os.ReadFile(path); err == nil && !strings.HasPrefix(string(old), terraformHeader) {
		return "", fmt.Errorf("%s exists and was not written by gcpinvoke setup; choose an empty directory", path)
	}
	if err := os.WriteFile(path, text, 0o644); err != nil {
		return "", err
	}
	return path, nil
}
