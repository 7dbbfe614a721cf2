// Package emulatortest starts a fresh emulator per test on a loopback port
// (net/http/httptest) and gives the test its base URL, the HOST:PORT for the
// gcpinvoke provider's emulator_host, and a provider block:
//
//	func TestMyModule(t *testing.T) {
//		srv := emulatortest.Start(t, emulator.Options{})
//		hcl := srv.ProviderBlock() + myModuleHCL      // provider "gcpinvoke" { emulator_host = … }
//		runSvc, _ := run.NewService(ctx, srv.ClientOptions()...)
//		…
//	}
//
// The emulator and its server stop when the test ends.
package emulatortest

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/emulator"
)

// DefaultLocation is the region of the provider block when the seed
// declares no resource with a location.
const DefaultLocation = "us-central1"

// Server is an emulator served on a loopback port.
type Server struct {
	*emulator.Emulator
	// URL is the base URL, e.g. http://127.0.0.1:41234.
	URL string
	// Host is HOST:PORT, the value of the provider's emulator_host (or
	// GCPINVOKE_EMULATOR_HOST).
	Host string
	// Project and Location are the provider block's project and region:
	// the seed's first project and the location of its first Cloud Run
	// service or function.
	Project, Location string

	srv *httptest.Server
}

// Start builds an emulator from opts, serves it until t ends and returns it.
// It fails t when the options are invalid.
func Start(t testing.TB, opts emulator.Options) *Server {
	t.Helper()
	s, err := NewServer(opts)
	if err != nil {
		t.Fatalf("emulatortest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// NewServer is Start without a test: the caller must Close the server.
func NewServer(opts emulator.Options) (*Server, error) {
	e, err := emulator.New(opts)
	if err != nil {
		return nil, err
	}
	hs := httptest.NewServer(e)
	e.SetBaseURL(hs.URL)
	u, err := url.Parse(hs.URL)
	if err != nil {
		hs.Close()
		e.Close()
		return nil, err
	}
	seed := opts.Seed
	if seed == nil {
		seed = emulator.DefaultSeed()
	}
	s := &Server{Emulator: e, URL: hs.URL, Host: u.Host, Location: DefaultLocation, srv: hs}
	if len(seed.Projects) > 0 {
		s.Project = seed.Projects[0].ProjectID
	}
	switch {
	case len(seed.RunServices) > 0 && seed.RunServices[0].Location != "":
		s.Location = seed.RunServices[0].Location
	case len(seed.Functions) > 0 && seed.Functions[0].Location != "":
		s.Location = seed.Functions[0].Location
	}
	return s, nil
}

// Close stops the server and the emulator's background work.
func (s *Server) Close() {
	s.srv.Close()
	s.Emulator.Close()
}

// ProviderBlock is a provider "gcpinvoke" block pointed at the emulator
// with its project and region. Extra lines go inside the block.
func (s *Server) ProviderBlock(extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"gcpinvoke\" {\n  emulator_host = %q\n  project       = %q\n  region        = %q\n", s.Host, s.Project, s.Location)
	for _, l := range extra {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	b.WriteString("}\n")
	return b.String()
}

// Config joins the provider block with the given HCL.
func (s *Server) Config(hcl ...string) string {
	return s.ProviderBlock() + "\n" + strings.Join(hcl, "\n")
}
