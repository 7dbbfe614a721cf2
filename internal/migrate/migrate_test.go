package migrate

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the want/ files of testdata")

// Golden directories: testdata/NAME/in is a configuration written for the
// Google provider, testdata/NAME/want what migrate makes of it, and
// testdata/NAME/skipped the resources it must leave, one line each, and
// testdata/NAME/notes the changes the first plan will show.
func TestDir_golden(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/*")
	if len(dirs) == 0 {
		t.Fatal("no testdata")
	}
	for _, d := range dirs {
		t.Run(filepath.Base(d), func(t *testing.T) {
			res, err := Dir(filepath.Join(d, "in"))
			if err != nil {
				t.Fatal(err)
			}
			ins, _ := filepath.Glob(filepath.Join(d, "in", "*.tf"))
			for _, in := range ins {
				got, changed := res.Files[in]
				if !changed {
					got, _ = os.ReadFile(in)
				}
				wantPath := filepath.Join(d, "want", filepath.Base(in))
				if *update {
					_ = os.MkdirAll(filepath.Dir(wantPath), 0o755)
					_ = os.WriteFile(wantPath, got, 0o644)
					continue
				}
				want, err := os.ReadFile(wantPath)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(want) {
					t.Errorf("%s: got\n%s\nwant (%s)\n%s\ndiff:\n%s", in, got, wantPath, want, Diff(wantPath, want, got))
				}
			}
			var wantSkipped []string
			if b, err := os.ReadFile(filepath.Join(d, "skipped")); err == nil {
				for _, l := range splitLines(b) {
					wantSkipped = append(wantSkipped, l[:len(l)-1])
				}
			}
			if !slices.Equal(res.Skipped, wantSkipped) && !(len(res.Skipped) == 0 && len(wantSkipped) == 0) {
				t.Errorf("skipped = %q, want %q", res.Skipped, wantSkipped)
			}
			var wantNotes []string
			if b, err := os.ReadFile(filepath.Join(d, "notes")); err == nil {
				for _, l := range splitLines(b) {
					wantNotes = append(wantNotes, l[:len(l)-1])
				}
			}
			if !slices.Equal(res.Notes, wantNotes) && !(len(res.Notes) == 0 && len(wantNotes) == 0) {
				t.Errorf("notes = %q, want %q", res.Notes, wantNotes)
			}
		})
	}
}

func TestDir_badInput(t *testing.T) {
	bad := t.TempDir()
	_ = os.WriteFile(filepath.Join(bad, "main.tf"), []byte("resource \"google_service_account\" \"a\" {\n"), 0o644)
	for name, dir := range map[string]string{"missing": filepath.Join(t.TempDir(), "nope"), "no tf files": t.TempDir(), "syntax error": bad} {
		t.Run(name, func(t *testing.T) {
			_, err := Dir(dir)
			if _, ok := err.(*BadInputError); !ok {
				t.Fatalf("err = %v, want a BadInputError", err)
			}
		})
	}
}

// The diff of an unchanged file is empty; a one-line change is one hunk.
func TestDiff(t *testing.T) {
	old := []byte("a\nb\nc\nd\ne\nf\ng\nh\n")
	new := []byte("a\nb\nc\nd\nE\nf\ng\nh\n")
	got := Diff("x.tf", old, new)
	want := "--- x.tf\n+++ x.tf\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := Diff("x.tf", old, old); got != "--- x.tf\n+++ x.tf\n" {
		t.Errorf("unchanged: %q", got)
	}
}
