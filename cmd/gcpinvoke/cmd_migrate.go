package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/migrate"
)

func init() {
	register("migrate", command{
		summary: "rewrite a directory's google_* invocation-chain resources into gcpinvoke ones, with moved blocks",
		run:     runMigrate,
	})
}

const migrateUsage = `Usage: gcpinvoke migrate [--write] DIR

Rewrites the Google provider resources of the .tf files in DIR that manage an
invocation chain into the gcpinvoke provider's (renamed attributes, blocks as
nested attributes, base64encode() bodies as plain text), adds a moved block
for each, points references at the new addresses, adds gcpinvoke to
required_providers and, unless there is one, a provider "gcpinvoke" block
made from the google provider block. The next terraform plan then only moves
state: 0 to add, 0 to change, 0 to destroy.

Without --write it prints a unified diff and changes nothing. Resources it
cannot convert are listed on stderr, one line each, with the reason.

Exit codes: 0 done, 1 some resources could not be converted, 2 bad input
(no such directory, no .tf file, an HCL syntax error) or a usage error.

Flags:
`

func runMigrate(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	write := fs.Bool("write", false, "change the files instead of printing a diff")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), migrateUsage)
		fs.PrintDefaults()
	}
	dirs, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	if len(dirs) != 1 {
		fmt.Fprintf(stderr, "gcpinvoke migrate: want exactly one directory, got %d\n", len(dirs))
		fs.Usage()
		return 2
	}
	res, err := migrate.Dir(dirs[0])
	if err != nil {
		fmt.Fprintf(stderr, "gcpinvoke migrate: %v\n", err)
		return 2
	}
	paths := make([]string, 0, len(res.Files))
	for p := range res.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if *write {
			st, err := os.Stat(p)
			if err != nil {
				fmt.Fprintf(stderr, "gcpinvoke migrate: %v\n", err)
				return 2
			}
			if err := os.WriteFile(p, res.Files[p], st.Mode().Perm()); err != nil {
				fmt.Fprintf(stderr, "gcpinvoke migrate: %v\n", err)
				return 2
			}
			continue
		}
		fmt.Fprint(stdout, migrate.Diff(p, res.Old[p], res.Files[p]))
	}
	for _, c := range res.Converted {
		fmt.Fprintf(stderr, "converted: %s\n", c)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(stderr, "note: %s\n", n)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(stderr, "not converted: %s\n", s)
	}
	if len(res.Skipped) > 0 {
		return 1
	}
	return 0
}
