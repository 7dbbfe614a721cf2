// Command gcpinvoke is the companion CLI of terraform-provider-gcpinvoke:
// `gcpinvoke <command> [flags]`. Each cmd_*.go file registers one command in
// init(); `gcpinvoke help` lists them.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
)

// version is set at build time: go build -ldflags "-X main.version=v1.2.3".
var version = "dev"

// command is one subcommand. run gets the arguments after the command name
// and returns the process exit code; it must not call os.Exit, so commands
// can be tested in-process.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is the registry filled by each cmd_*.go file's init().
var commands = map[string]command{}

// stdin is read by commands given "-" as a file name; tests replace it.
var stdin io.Reader = os.Stdin

// register adds a command; a duplicate name is a programming error.
func register(name string, c command) {
	if _, dup := commands[name]; dup {
		panic("gcpinvoke: command registered twice: " + name)
	}
	commands[name] = c
}

func init() {
	register("version", command{
		summary: "print the gcpinvoke version",
		run:     runVersion,
	})
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches args[0] to its command. Exit code 2 means a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch name := args[0]; name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return c.run(ctx, []string{"-h"}, stdout, stderr)
			}
			fmt.Fprintf(stderr, "gcpinvoke: unknown command %q\n", args[1])
			return 2
		}
		usage(stdout)
		return 0
	case "-version", "--version":
		return commands["version"].run(ctx, nil, stdout, stderr)
	default:
		c, ok := commands[name]
		if !ok {
			fmt.Fprintf(stderr, "gcpinvoke: unknown command %q; run `gcpinvoke help` for the list\n", name)
			return 2
		}
		return c.run(ctx, args[1:], stdout, stderr)
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, "Usage: gcpinvoke <command> [flags]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, "  help       show this list, or `gcpinvoke help COMMAND` for a command's flags\n")
}
