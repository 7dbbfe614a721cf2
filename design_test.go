package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

const modulePath = "github.com/gcpinvoke/terraform-provider-gcpinvoke/"

// TestDesignPackageTableMatchesImports: the package table in DESIGN.md lists
// exactly the packages of this module each package imports, so the layout it
// describes is the real one.
func TestDesignPackageTableMatchesImports(t *testing.T) {
	doc, err := os.ReadFile("DESIGN.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([^`]+)` \\|[^|]*\\| ([^|\\n]*) \\|$")
	ours := regexp.MustCompile("`((?:internal|emulator|cmd)[^`]*)`")
	rows := row.FindAllStringSubmatch(string(doc), -1)
	if len(rows) < 10 {
		t.Fatalf("found %d package rows in DESIGN.md; is the table still there?", len(rows))
	}
	documented := map[string]bool{}
	for _, r := range rows {
		pkg := r[1]
		documented[pkg] = true
		var want []string
		for _, m := range ours.FindAllStringSubmatch(r[2], -1) {
			want = append(want, m[1])
		}
		got := moduleImports(t, pkg)
		sort.Strings(want)
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("DESIGN.md says %s imports [%s]; it imports [%s]", pkg, strings.Join(want, ", "), strings.Join(got, ", "))
		}
	}
	// Every package directory has a row (validators are one row).
	_ = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || path == "examples" || path == "tools") {
			return filepath.SkipDir
		}
		if strings.HasPrefix(path, "internal/validators") {
			return nil
		}
		if files, _ := filepath.Glob(filepath.Join(path, "*.go")); len(nonTest(files)) > 0 && path != "." && !documented[path] {
			t.Errorf("package %s has no row in DESIGN.md's package table", path)
		}
		return nil
	})
}

// moduleImports lists the packages of this module that the non-test files
// of pkg import ("main.go" is the root package; "x/..." a tree of packages,
// not counting imports inside the tree).
func moduleImports(t *testing.T, pkg string) []string {
	t.Helper()
	var files []string
	switch {
	case pkg == "main.go":
		files = []string{"main.go"}
	case strings.HasSuffix(pkg, "/..."):
		root := strings.TrimSuffix(pkg, "/...")
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
				files = append(files, path)
			}
			return err
		})
	default:
		files, _ = filepath.Glob(filepath.Join(pkg, "*.go"))
	}
	files = nonTest(files)
	if len(files) == 0 {
		t.Errorf("DESIGN.md lists %s, which has no Go files", pkg)
	}
	set := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			rel, ok := strings.CutPrefix(p, modulePath)
			if !ok {
				continue
			}
			if strings.HasSuffix(pkg, "/...") {
				root := strings.TrimSuffix(pkg, "/...")
				if strings.HasPrefix(rel, root+"/") {
					continue
				}
			}
			if strings.HasPrefix(rel, "internal/validators/") {
				rel = "internal/validators/..."
			}
			set[rel] = true
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func nonTest(files []string) []string {
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			out = append(out, f)
		}
	}
	return out
}

// TestRepositoryIsSelfContained: docs and comments point only inside the
// repository, never to the notes directory next to it.
func TestRepositoryIsSelfContained(t *testing.T) {
	outside := ".." + "/shared" // spelled so this file does not match itself
	_ = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "bin", "dist", ".terraform", ".demo", ".bench": // VCS data and build/run output
				return filepath.SkipDir
			}
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(data), outside) {
			t.Errorf("%s refers to %s, which is not part of the repository; bring the facts into docs/ instead", path, outside)
		}
		return nil
	})
}
