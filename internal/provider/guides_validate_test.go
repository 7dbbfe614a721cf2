package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every guide (templates/guides/*.md.tmpl) embeds a complete configuration
// from examples/guides/<name>/ that `terraform validate` accepts with the
// provider built from this tree (dev_overrides, offline), and that carries
// a gcpinvoke_invocation_chain check; docs/guides/<name>.md is generated.
func TestGuides_validate(t *testing.T) {
	templates, _ := filepath.Glob("../../templates/guides/*.md.tmpl")
	if len(templates) == 0 {
		t.Fatal("no guides in templates/guides")
	}
	h := newTFHarness(t)
	tffile := regexp.MustCompile(`\{\{ tffile "(examples/guides/[^"]+/main\.tf)" \}\}`)
	index, err := os.ReadFile("../../docs/index.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, tmpl := range templates {
		name := strings.TrimSuffix(filepath.Base(tmpl), ".md.tmpl")
		t.Run(name, func(t *testing.T) {
			src, _ := os.ReadFile(tmpl)
			m := tffile.FindSubmatch(src)
			if m == nil {
				t.Fatalf("%s embeds no examples/guides/<name>/main.tf with {{ tffile }}", tmpl)
			}
			if _, err := os.Stat(filepath.Join("../../docs/guides", name+".md")); err != nil {
				t.Errorf("docs/guides/%s.md is not generated (run make docs): %v", name, err)
			}
			if !strings.Contains(string(index), "(guides/"+name+")") {
				t.Errorf("docs/index.md does not link guides/%s", name)
			}
			cfgDir := filepath.Join("../..", filepath.Dir(string(m[1])))
			files, _ := filepath.Glob(filepath.Join(cfgDir, "*"))
			g := *h // the harness's provider binary and CLI configuration, a fresh directory
			g.t, g.dir = t, t.TempDir()
			config := ""
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(g.dir, filepath.Base(f)), b, 0o644); err != nil {
					t.Fatal(err)
				}
				config += string(b)
			}
			if !strings.Contains(config, `data "gcpinvoke_invocation_chain"`) {
				t.Errorf("%s has no gcpinvoke_invocation_chain check", cfgDir)
			}
			out, code := g.run("validate", "-no-color")
			if code != 0 || !strings.Contains(out, "Success! The configuration is valid") {
				t.Fatalf("terraform validate in %s exited %d:\n%s", cfgDir, code, out)
			}
			if n := strings.Count(out, "Warning:"); n > 1 {
				// The only warning allowed is Terraform's note about dev_overrides.
				t.Errorf("terraform validate in %s warns:\n%s", cfgDir, out)
			}
		})
	}
}
