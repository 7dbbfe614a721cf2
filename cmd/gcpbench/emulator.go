package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// benchEmulator is an in-process emulator serving on a loopback port.
type benchEmulator struct {
	*emulator.Emulator
	srv  *http.Server
	env  hclEnv
	addr string
}

// startEmulator seeds the project with n Cloud Run services (svc-000, ...)
// and serves the emulator on 127.0.0.1 with latency added to every API call.
func startEmulator(services int, latency time.Duration) (*benchEmulator, error) {
	seed := &emulator.Seed{Projects: []emulator.SeedProject{{ProjectID: benchProject, ProjectNumber: "123456789012"}}}
	for i := 0; i < services; i++ {
		seed.RunServices = append(seed.RunServices, emulator.SeedRunService{Project: benchProject, Location: benchLocation, Name: serviceName(i)})
	}
	e, err := emulator.New(emulator.Options{Seed: seed, Faults: emulator.Faults{Latency: latency}})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.Close()
		return nil, err
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }() // returns http.ErrServerClosed when the bench shuts it down
	base := "http://" + ln.Addr().String()
	e.SetBaseURL(base)
	be := &benchEmulator{Emulator: e, srv: srv, addr: ln.Addr().String()}
	be.env = hclEnv{EmulatorHost: be.addr, EmulatorURL: base, Project: benchProject, Location: benchLocation, ServiceURIs: map[string]string{}}
	// The service URIs are computed from the port; read them the way a
	// client would (this happens before any measured phase).
	for i := 0; i < services; i++ {
		uri, err := be.serviceURI(serviceName(i))
		if err != nil {
			be.Close()
			return nil, err
		}
		be.env.ServiceURIs[serviceName(i)] = uri
	}
	return be, nil
}

func (be *benchEmulator) serviceURI(name string) (string, error) {
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v2/projects/%s/locations/%s/services/%s", be.env.EmulatorURL, benchProject, benchLocation, name), nil)
	req.Header.Set("Authorization", "Bearer bench")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("reading service %s from the emulator: %w", name, err)
	}
	defer resp.Body.Close()
	var svc struct {
		URI string `json:"uri"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&svc); err != nil || resp.StatusCode != http.StatusOK || svc.URI == "" {
		return "", fmt.Errorf("reading service %s from the emulator: HTTP %d, uri %q, %v", name, resp.StatusCode, svc.URI, err)
	}
	return svc.URI, nil
}

// Close stops serving and the emulator's background work.
func (be *benchEmulator) Close() {
	be.srv.Close()
	be.Emulator.Close()
}
