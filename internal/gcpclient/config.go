// Package gcpclient turns provider (or CLI) settings into typed
// google.golang.org/api services: lazy authentication, endpoint overrides,
// the local emulator host, a retrying and logging HTTP transport, long-running
// operation polling, and error → user-facing text.
package gcpclient

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultRequestTimeout bounds one logical API call (all its retries included)
// when Config.RequestTimeout is zero.
const DefaultRequestTimeout = 2 * time.Minute

// EmulatorToken is the bearer token sent to an emulator host when no access
// token is configured (Google's emulators accept any bearer token).
const EmulatorToken = "emulator"

// Config is everything the client layer needs. The zero value talks to
// Google with Application Default Credentials.
type Config struct {
	// Project is the default project ID for resources that name none.
	Project string
	// Region is the default location for resources that name none.
	Region string
	// Credentials is a path to a credentials JSON file, or the JSON itself.
	Credentials string
	// AccessToken is an OAuth 2.0 access token used as is (never refreshed).
	AccessToken string
	// ImpersonateServiceAccount is the email of a service account whose
	// short-lived tokens are used for every call.
	ImpersonateServiceAccount string
	// RequestTimeout bounds one API call including its retries;
	// DefaultRequestTimeout when zero.
	RequestTimeout time.Duration
	// Endpoints overrides API base URLs; empty fields use Google's.
	Endpoints Endpoints
	// EmulatorHost ("HOST:PORT") points every API without an explicit
	// endpoint at http://HOST:PORT/ and authenticates with a static token.
	EmulatorHost string
	// UserAgent is sent with every API call, e.g.
	// "terraform-provider-gcpinvoke/1.2.3".
	UserAgent string
}

// Endpoints holds per-API base URLs ("https://run.googleapis.com/").
// An empty field means the library default (Google's endpoint).
type Endpoints struct {
	Run             string
	CloudFunctions  string
	IAM             string
	ResourceManager string
	CloudScheduler  string
	IAMCredentials  string
	CloudTasks      string
	Workflows       string
}

// fields returns pointers to every endpoint with its API name, in a fixed order.
func (e *Endpoints) fields() []struct {
	name string
	ptr  *string
} {
	return []struct {
		name string
		ptr  *string
	}{
		{"run", &e.Run},
		{"cloudfunctions", &e.CloudFunctions},
		{"iam", &e.IAM},
		{"resourcemanager", &e.ResourceManager},
		{"cloudscheduler", &e.CloudScheduler},
		{"iamcredentials", &e.IAMCredentials},
		{"cloudtasks", &e.CloudTasks},
		{"workflows", &e.Workflows},
	}
}

// versionSegment matches a trailing API version path segment such as "v2" or
// "v1beta1": the Go clients add the version themselves.
var versionSegment = regexp.MustCompile(`^v[0-9]+((alpha|beta)[0-9]*)?$`)

// NormalizeEndpoint checks that s is an absolute http(s) URL and returns it in
// the form the Go clients need: with a trailing slash, and without a trailing
// API version segment ("https://run.googleapis.com/v2/" →
// "https://run.googleapis.com/", as written for the Google provider). An empty
// s stays empty (library default).
func NormalizeEndpoint(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("endpoint %q is not an absolute http:// or https:// URL (for example \"https://run.googleapis.com/\")", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("endpoint %q must not carry a query, fragment or user info", s)
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if n := len(segs); n > 0 && versionSegment.MatchString(segs[n-1]) {
		segs = segs[:n-1]
	}
	path := strings.Join(segs, "/")
	if path == "" {
		u.Path = "/"
	} else {
		u.Path = "/" + path + "/"
	}
	u.RawPath = ""
	return u.String(), nil
}

// NormalizeEmulatorHost checks an emulator address "HOST:PORT" (an
// "http://HOST:PORT" URL is accepted too) and returns its base URL
// "http://HOST:PORT/". An empty s stays empty.
func NormalizeEmulatorHost(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	hostport := strings.TrimSuffix(strings.TrimPrefix(s, "http://"), "/")
	if strings.Contains(hostport, "://") || strings.Contains(hostport, "/") {
		return "", fmt.Errorf("emulator host %q must be HOST:PORT, for example \"127.0.0.1:8787\"", s)
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || host == "" {
		return "", fmt.Errorf("emulator host %q must be HOST:PORT, for example \"127.0.0.1:8787\"", s)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("emulator host %q has an invalid port %q (want 1-65535)", s, port)
	}
	return "http://" + net.JoinHostPort(host, port) + "/", nil
}

// normalize validates cfg and returns a copy with normalised endpoints, where
// the emulator base URL fills every endpoint left empty.
func (cfg Config) normalize() (Config, string, error) {
	out := cfg
	if out.RequestTimeout < 0 {
		return Config{}, "", fmt.Errorf("request timeout %s is negative", out.RequestTimeout)
	}
	if out.RequestTimeout == 0 {
		out.RequestTimeout = DefaultRequestTimeout
	}
	emulatorBase, err := NormalizeEmulatorHost(out.EmulatorHost)
	if err != nil {
		return Config{}, "", err
	}
	for _, f := range out.Endpoints.fields() {
		v, err := NormalizeEndpoint(*f.ptr)
		if err != nil {
			return Config{}, "", fmt.Errorf("%s endpoint: %w", f.name, err)
		}
		if v == "" {
			v = emulatorBase
		}
		*f.ptr = v
	}
	if out.UserAgent == "" {
		out.UserAgent = "terraform-provider-gcpinvoke/dev"
	}
	return out, emulatorBase, nil
}
