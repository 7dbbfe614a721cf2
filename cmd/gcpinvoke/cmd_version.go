package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
)

// runVersion prints the version: the one set with -ldflags "-X
// main.version=…", else the module version Go records in the binary (what
// `go install …/cmd/gcpinvoke@v1.2.3` builds), else "dev". It takes no flags
// or arguments.
func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: gcpinvoke version\n\nPrints the gcpinvoke version. Takes no flags.\n")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gcpinvoke version: takes no arguments, got %q\n", fs.Args())
		return 2
	}
	fmt.Fprintf(stdout, "gcpinvoke %s\n", currentVersion())
	return 0
}

// currentVersion is the version this binary reports.
func currentVersion() string {
	info, ok := debug.ReadBuildInfo()
	return resolveVersion(version, info, ok)
}

// resolveVersion picks the version to report: the -ldflags value when set,
// else the main module's version from the build info ("(devel)" for a
// build from a work tree means none), else "dev".
func resolveVersion(ldflags string, info *debug.BuildInfo, ok bool) string {
	if ldflags != "" && ldflags != "dev" {
		return ldflags
	}
	if ok && info != nil && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
