package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const migrateIn = `provider "google" {
  project = "demo-project"
}

resource "google_service_account" "caller" {
  account_id = "caller"
}

resource "google_cloud_scheduler_job" "topic" {
  name     = "topic"
  schedule = "0 3 * * *"
  pubsub_target {
    topic_name = "projects/demo-project/topics/t"
  }
}
`

// Dry run by default (a diff, the files untouched), --write changes them,
// each resource left is one line on stderr, bad input exits 2.
func TestMigrateCommand(t *testing.T) {
	dir := t.TempDir()
	tf := filepath.Join(dir, "main.tf")
	if err := os.WriteFile(tf, []byte(migrateIn), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"migrate", dir}, &out, &errb)
	if code != 1 {
		t.Errorf("dry run exit = %d, want 1 (one resource not converted); stderr:\n%s", code, errb.String())
	}
	for _, want := range []string{"--- " + tf, `-resource "google_service_account" "caller" {`, `+resource "gcpinvoke_service_account" "caller" {`,
		"+moved {", "+  from = google_service_account.caller", `+provider "gcpinvoke" {`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("diff lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errb.String(), "not converted: google_cloud_scheduler_job.topic: pubsub_target") {
		t.Errorf("stderr does not name the resource left and why:\n%s", errb.String())
	}
	if b, _ := os.ReadFile(tf); string(b) != migrateIn {
		t.Fatalf("dry run changed the file:\n%s", b)
	}

	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"migrate", "--write", dir}, &out, &errb); code != 1 {
		t.Errorf("--write exit = %d, want 1", code)
	}
	b, _ := os.ReadFile(tf)
	for _, want := range []string{`resource "gcpinvoke_service_account" "caller"`, "to   = gcpinvoke_service_account.caller", `resource "google_cloud_scheduler_job" "topic"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("written file lacks %q:\n%s", want, b)
		}
	}

	bad := t.TempDir()
	_ = os.WriteFile(filepath.Join(bad, "main.tf"), []byte("resource {"), 0o600)
	for _, args := range [][]string{{"migrate"}, {"migrate", filepath.Join(dir, "nope")}, {"migrate", bad}, {"migrate", "--bogus", dir}} {
		errb.Reset()
		if code := run(context.Background(), args, &out, &errb); code != 2 {
			t.Errorf("%v: exit = %d, want 2; stderr:\n%s", args, code, errb.String())
		}
	}
}
