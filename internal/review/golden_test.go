package review

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// TestGolden renders every testdata/plans/NAME.json and compares it with
// testdata/golden/NAME.md and NAME.json. Adding a case is dropping one plan
// file and running `go test ./internal/review -run TestGolden -update`.
func TestGolden(t *testing.T) {
	plans, err := filepath.Glob(filepath.Join("testdata", "plans", "*.json"))
	if err != nil || len(plans) == 0 {
		t.Fatalf("no plans in testdata/plans (err %v)", err)
	}
	for _, path := range plans {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			rep := analyzeFile(t, path)
			var md, js bytes.Buffer
			if err := WriteMarkdown(&md, rep); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, rep); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, filepath.Join("testdata", "golden", name+".md"), md.Bytes())
			compareGolden(t, filepath.Join("testdata", "golden", name+".json"), js.Bytes())
		})
	}
}

func analyzeFile(t *testing.T, path string) *Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ReadPlan(data)
	if err != nil {
		t.Fatalf("ReadPlan(%s): %v", path, err)
	}
	return Analyze(p)
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run with -update after checking the change):\n--- got ---\n%s", path, got)
	}
}
