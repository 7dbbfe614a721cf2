package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

func init() {
	register("emulator", command{
		summary: "run the local emulator of the Google APIs (Run, Functions, IAM, Scheduler, Tasks, Workflows)",
		run:     runEmulator,
	})
}

const emulatorUsage = `Usage: gcpinvoke emulator [flags]

Serves every emulated Google API on one address until interrupted (SIGINT or
SIGTERM). Point the provider at it with GCPINVOKE_EMULATOR_HOST=HOST:PORT, or
any Google Go client with option.WithEndpoint("http://HOST:PORT/").

Behind port mapping or a reverse proxy, --public-url names the URL clients
use: service URLs take its port and OIDC tokens its issuer.

Introspection (no token): GET /_emulator/health, GET /_emulator/calls, POST /_emulator/reset,
GET /_emulator/state, GET /_emulator/attempts, GET|PUT /_emulator/faults.

Flags:
`

// shutdownGrace bounds how long in-flight requests may finish on shutdown.
const shutdownGrace = 5 * time.Second

func runEmulator(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8787", "address to listen on (port 0 picks a free port; 0.0.0.0:8787 in a container)")
	publicURL := fs.String("public-url", "", "base URL clients reach the emulator at when it sits behind port mapping or a proxy, e.g. http://127.0.0.1:18787: used in service URLs (their port) and as the OIDC issuer; default: http://LISTEN-ADDRESS")
	seedPath := fs.String("seed", "", "seed file (JSON) declaring projects, service accounts, services, functions; default: demo-project")
	statePath := fs.String("state", "", "state file: loaded at start if present, rewritten atomically after every change")
	token := fs.String("token", "", "the only bearer token accepted (default: any non-empty token)")
	latency := fs.Duration("latency", 0, "latency added to every API call")
	jitter := fs.Duration("jitter", 0, "random extra latency in [0, jitter)")
	errorRate := fs.Float64("error-rate", 0, "probability (0..1) that an API call fails with one of --error-codes")
	methodRates := methodRates{}
	fs.Var(methodRates, "method-error-rate", "METHOD=RATE: probability (0..1) that this API method fails instead of --error-rate, e.g. run.services.setIamPolicy=0.5 or *.setIamPolicy=0.2 (repeatable)")
	var codes errorCodes
	fs.Var(&codes, "error-codes", "comma-separated HTTP codes of injected errors (default 429,500,503)")
	writerRate := fs.Float64("concurrent-writer-rate", 0, "probability (0..1) that another writer changes a policy right after each getIamPolicy")
	faultSeed := fs.Int64("fault-seed", 0, "seed of the random fault draws (same seed, same faults)")
	lroDelay := fs.Duration("lro-delay", 0, "how long long-running operations take")
	propagation := fs.Duration("iam-propagation-delay", 0, "how long a new service account stays unknown to setIamPolicy")
	execute := fs.Bool("execute-schedules", false, "fire Cloud Scheduler jobs on their cron schedules")
	quiet := fs.Bool("quiet", false, "do not log one line per request")
	var missing stringList
	fs.Var(&missing, "nonexistent-principal", "a principal setIamPolicy refuses with Google's 400 \"User x does not exist.\" (Group, Service account): user:EMAIL, group:EMAIL, serviceAccount:EMAIL, or deleted:KIND:EMAIL?uid=NUMBER for a deleted one (repeatable; adds to the seed's nonexistentPrincipals)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), emulatorUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gcpinvoke emulator: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *publicURL != "" {
		if err := checkPublicURL(*publicURL); err != nil {
			fmt.Fprintf(stderr, "gcpinvoke emulator: --public-url %q: %v\n", *publicURL, err)
			return 2
		}
	}
	for name, rate := range map[string]float64{"--error-rate": *errorRate, "--concurrent-writer-rate": *writerRate} {
		if rate < 0 || rate > 1 {
			fmt.Fprintf(stderr, "gcpinvoke emulator: %s %v: want a probability between 0 and 1\n", name, rate)
			return 2
		}
	}

	opts := emulator.Options{
		Token:                 *token,
		StatePath:             *statePath,
		LRODelay:              *lroDelay,
		IAMPropagationDelay:   *propagation,
		ExecuteSchedules:      *execute,
		NonexistentPrincipals: missing,
		Faults: emulator.Faults{
			Latency:              *latency,
			Jitter:               *jitter,
			ErrorRate:            *errorRate,
			ErrorCodes:           codes,
			MethodErrorRates:     methodRates,
			ConcurrentWriterRate: *writerRate,
			Seed:                 *faultSeed,
		},
	}
	if *seedPath != "" {
		seed, err := emulator.LoadSeed(*seedPath)
		if err != nil {
			fmt.Fprintf(stderr, "gcpinvoke emulator: %v\n", err)
			return 1
		}
		opts.Seed = seed
	}
	if !*quiet {
		opts.Logger = log.New(stderr, "", log.LstdFlags)
	}
	e, err := emulator.New(opts)
	if err != nil {
		fmt.Fprintf(stderr, "gcpinvoke emulator: %v\n", err)
		return 1
	}
	defer e.Close()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "gcpinvoke emulator: %v\n", err)
		return 1
	}
	host := reachableAddr(ln.Addr().(*net.TCPAddr))
	base := "http://" + host
	if *publicURL != "" {
		base = strings.TrimRight(*publicURL, "/")
	}
	e.SetBaseURL(base)
	fmt.Fprintf(stdout, "gcpinvoke emulator listening on http://%s\n", host)
	if *publicURL != "" {
		fmt.Fprintf(stdout, "public URL (service URLs, OIDC issuer): %s\n", base)
	}
	fmt.Fprintf(stdout, "point the provider at it with: export GCPINVOKE_EMULATOR_HOST=%s\n", strings.TrimPrefix(base, "http://"))

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	var h http.Handler = e
	if wrap, ok := ctx.Value(emulatorHandlerKey{}).(func(*emulator.Emulator) http.Handler); ok {
		h = wrap(e) // tests: the discovery-conformance recorder
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		fmt.Fprintf(stderr, "gcpinvoke emulator: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "gcpinvoke emulator: shutdown: %v\n", err)
		return 1
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "gcpinvoke emulator: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "gcpinvoke emulator stopped")
	return 0
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// checkPublicURL accepts http://HOST:PORT (a path-less base URL): the
// emulated service URLs are http://NAME.localhost:PORT with PORT taken from
// it, and the provider's emulator_host is its HOST:PORT.
func checkPublicURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case !strings.Contains(s, "://") || (err == nil && u.Scheme != "http"):
		return fmt.Errorf("want an http:// URL such as http://127.0.0.1:18787 (the emulator serves plain HTTP; terminate TLS in front of it and give the emulator the http:// address clients use)")
	case err != nil:
		return err
	case u.Host == "" || u.Port() == "":
		return fmt.Errorf("want HOST:PORT with an explicit port, e.g. http://127.0.0.1:18787 (service URLs reuse the port)")
	case strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return fmt.Errorf("want a base URL without path, query or user info, e.g. http://127.0.0.1:18787")
	}
	return nil
}

// reachableAddr is the HOST:PORT clients use: a wildcard listen address
// (0.0.0.0, ::) is reached through the loopback address.
func reachableAddr(a *net.TCPAddr) string {
	ip := a.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}

// emulatorHandlerKey is a context key whose value, a
// func(*emulator.Emulator) http.Handler, wraps the emulator's handler; the
// command's tests use it to check the traffic against Google's discovery
// documents.
type emulatorHandlerKey struct{}
