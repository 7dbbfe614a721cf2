package chain

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	cloudfunctionsv2 "google.golang.org/api/cloudfunctions/v2"
	run "google.golang.org/api/run/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// Target kinds.
const (
	KindRunService   = "run_service"
	KindFunctionGen1 = "function_gen1"
	KindFunctionGen2 = "function_gen2"
	KindGoogleAPI    = "google_api"
)

// Target is what a target reference resolved to.
type Target struct {
	// Kind is one of the Kind* constants.
	Kind string
	// Name is the resource holding the invoker policy: the Cloud Run service
	// (also for a gen2 function) or the gen1 function. Empty for Google APIs.
	Name string
	// Function is the function's resource name when the target is one.
	Function string
	// Project is the project ID or number of Name.
	Project string
	// URL is the URL the target is called at (its uri).
	URL string
	// Audiences are the OIDC audiences the target accepts.
	Audiences []string
	// InvokerRole is the role that grants invocation ("" for Google APIs).
	InvokerRole string
	// InvokerIAMDisabled is set on Cloud Run services that skip the
	// invoker check (anyone may call).
	InvokerIAMDisabled bool
	// Ingress is the service's or function's ingress setting.
	Ingress string
}

// invokerRoles are the predefined roles carrying the invoke permission, the
// dedicated role first.
var invokerRoles = map[string][]string{
	"roles/run.invoker":            {"roles/run.invoker", "roles/run.servicesInvoker", "roles/run.developer", "roles/run.admin", "roles/editor", "roles/owner"},
	"roles/cloudfunctions.invoker": {"roles/cloudfunctions.invoker", "roles/cloudfunctions.developer", "roles/cloudfunctions.admin", "roles/editor", "roles/owner"},
}

// NotFoundError means the referenced service or function does not exist.
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string { return e.What + " does not exist" }

// gen1Host matches REGION-PROJECT in a gen1 function host name.
var gen1Host = regexp.MustCompile(`^([a-z]+-[a-z]+[0-9]+)-([a-z][-a-z0-9]{4,28}[a-z0-9])\.cloudfunctions\.(net|localhost)$`)

// runNumberedHost matches SVC-PROJECTNUMBER.REGION.run.app (or .run.localhost).
var runNumberedHost = regexp.MustCompile(`^[a-z0-9-]+-([0-9]+)\.([a-z]+-[a-z]+[0-9]+)\.run\.(app|localhost)$`)

// ResolveRunService finds a Cloud Run service by reference (see
// Input.RunService), with project and location defaults.
func (c *Checker) ResolveRunService(ctx context.Context, ref, project, location string) (*Target, error) {
	p, l, s, err := gcpnames.ParseRunServiceID(ref, project, location)
	if err != nil {
		return nil, fmt.Errorf("run service: %w", err)
	}
	return c.runServiceTarget(ctx, "projects/"+p+"/locations/"+l+"/services/"+s)
}

func (c *Checker) runServiceTarget(ctx context.Context, name string) (*Target, error) {
	svc, err := c.Client.Run(ctx)
	if err != nil {
		return nil, err
	}
	got, err := svc.Projects.Locations.Services.Get(name).Context(ctx).Do()
	if err != nil {
		if gcperr.IsNotFound(err) {
			return nil, &NotFoundError{What: "Cloud Run service " + name}
		}
		return nil, fmt.Errorf("reading Cloud Run service %s: %w", name, err)
	}
	return fromRunService(got), nil
}

func fromRunService(s *run.GoogleCloudRunV2Service) *Target {
	t := &Target{
		Kind:               KindRunService,
		Name:               s.Name,
		Project:            strings.Split(s.Name, "/")[1],
		URL:                s.Uri,
		InvokerRole:        "roles/run.invoker",
		InvokerIAMDisabled: s.InvokerIamDisabled,
		Ingress:            s.Ingress,
	}
	t.Audiences = appendUnique(t.Audiences, s.Uri)
	t.Audiences = appendUnique(t.Audiences, s.Urls...)
	t.Audiences = appendUnique(t.Audiences, s.CustomAudiences...)
	return t
}

// ResolveFunction finds a Cloud Function of either generation by reference
// (see Input.Function). A gen2 function resolves to its Cloud Run service,
// where its invoker binding lives.
func (c *Checker) ResolveFunction(ctx context.Context, ref, project, location string) (*Target, error) {
	p, l, f, err := gcpnames.ParseFunctionID(ref, project, location)
	if err != nil {
		return nil, fmt.Errorf("function: %w", err)
	}
	name := "projects/" + p + "/locations/" + l + "/functions/" + f
	v2, err := c.Client.CloudFunctionsV2(ctx)
	if err != nil {
		return nil, err
	}
	fn, err := v2.Projects.Locations.Functions.Get(name).Context(ctx).Do()
	if err != nil {
		if gcperr.IsNotFound(err) {
			return nil, &NotFoundError{What: "Cloud Function " + name}
		}
		return nil, fmt.Errorf("reading Cloud Function %s: %w", name, err)
	}
	if fn.Environment == "GEN_1" {
		return c.gen1Target(ctx, name)
	}
	return c.gen2Target(ctx, fn)
}

func (c *Checker) gen1Target(ctx context.Context, name string) (*Target, error) {
	v1, err := c.Client.CloudFunctionsV1(ctx)
	if err != nil {
		return nil, err
	}
	fn, err := v1.Projects.Locations.Functions.Get(name).Context(ctx).Do()
	if err != nil {
		if gcperr.IsNotFound(err) {
			return nil, &NotFoundError{What: "Cloud Function " + name}
		}
		return nil, fmt.Errorf("reading Cloud Function %s: %w", name, err)
	}
	t := &Target{
		Kind:        KindFunctionGen1,
		Name:        fn.Name,
		Function:    fn.Name,
		Project:     strings.Split(fn.Name, "/")[1],
		InvokerRole: "roles/cloudfunctions.invoker",
		Ingress:     fn.IngressSettings,
	}
	if fn.HttpsTrigger != nil {
		t.URL = fn.HttpsTrigger.Url
		t.Audiences = appendUnique(nil, fn.HttpsTrigger.Url)
	}
	return t, nil
}

func (c *Checker) gen2Target(ctx context.Context, fn *cloudfunctionsv2.Function) (*Target, error) {
	if fn.ServiceConfig == nil || fn.ServiceConfig.Service == "" {
		return nil, fmt.Errorf("Cloud Function %s names no Cloud Run service (serviceConfig.service); it may still be deploying", fn.Name)
	}
	t, err := c.runServiceTarget(ctx, fn.ServiceConfig.Service)
	if err != nil {
		return nil, err
	}
	t.Kind, t.Function = KindFunctionGen2, fn.Name
	t.Audiences = appendUnique(t.Audiences, fn.Url)
	if fn.Url != "" {
		t.URL = fn.Url
	}
	return t, nil
}

// ResolveURL finds the service or function a URL addresses: a gen1
// function host (REGION-PROJECT.cloudfunctions.net, emulated
// .cloudfunctions.localhost) by its name, anything else by matching the URLs
// of the Cloud Run services in project (all locations unless location is
// set). It returns (nil, nil) when no service matches and the host is not a
// Cloud Run or Cloud Functions host.
func (c *Checker) ResolveURL(ctx context.Context, rawURL, project, location string) (*Target, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("target URL %q is not an absolute http(s) URL", rawURL)
	}
	if gcpnames.IsGoogleAPIHost(u.Host) {
		return &Target{Kind: KindGoogleAPI, URL: rawURL}, nil
	}
	host := strings.ToLower(u.Hostname())
	if m := gen1Host.FindStringSubmatch(host); m != nil {
		fn := strings.SplitN(strings.TrimPrefix(u.Path, "/"), "/", 2)[0]
		if fn == "" {
			return nil, fmt.Errorf("target URL %q names no function: a Cloud Functions URL is https://%s/FUNCTION", rawURL, u.Host)
		}
		return c.ResolveFunction(ctx, "projects/"+m[2]+"/locations/"+m[1]+"/functions/"+fn, "", "")
	}
	isRunHost := gcpnames.IsCloudRunHost(host)
	if m := runNumberedHost.FindStringSubmatch(host); m != nil {
		project, location = m[1], m[2]
	}
	if project == "" {
		if isRunHost {
			return nil, fmt.Errorf("target URL %q: set the project to look the Cloud Run service up in", rawURL)
		}
		return nil, nil
	}
	if location == "" {
		location = "-"
	}
	root, err := gcpnames.OIDCAudience(rawURL)
	if err != nil {
		return nil, err
	}
	svc, err := c.Client.Run(ctx)
	if err != nil {
		return nil, err
	}
	parent := "projects/" + project + "/locations/" + location
	var found *run.GoogleCloudRunV2Service
	err = svc.Projects.Locations.Services.List(parent).Context(ctx).Pages(ctx, func(resp *run.GoogleCloudRunV2ListServicesResponse) error {
		for _, s := range resp.Services {
			for _, su := range append([]string{s.Uri}, s.Urls...) {
				if r, err := gcpnames.OIDCAudience(su); err == nil && r == root && found == nil {
					found = s
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing Cloud Run services in %s: %w", parent, err)
	}
	if found == nil {
		if isRunHost {
			return nil, &NotFoundError{What: fmt.Sprintf("a Cloud Run service at %s in %s", root, parent)}
		}
		return nil, nil
	}
	return fromRunService(found), nil
}

func appendUnique(list []string, vals ...string) []string {
	for _, v := range vals {
		if v == "" {
			continue
		}
		dup := false
		for _, x := range list {
			if x == v {
				dup = true
			}
		}
		if !dup {
			list = append(list, v)
		}
	}
	return list
}
