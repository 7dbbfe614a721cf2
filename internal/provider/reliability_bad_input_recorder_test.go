package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The bad-input catalogue checks what Terraform prints, but Terraform quotes
// the resource's first line for a diagnostic on a nested attribute and for
// one on the whole resource alike. To assert the attribute path of each
// diagnostic, the catalogue runs the provider behind recordingServer, which
// records every diagnostic the provider returns to Terraform, with the RPC
// that returned it.

// recordedDiag is one diagnostic the provider returned.
type recordedDiag struct {
	rpc      string // e.g. "ValidateResourceConfig", "ApplyResourceChange"
	severity tfprotov6.DiagnosticSeverity
	summary  string
	detail   string
	path     string // "http_target.uri", `headers["Host"]`; "" when on no attribute
}

// atApply reports whether the diagnostic came from applying a change
// (everything else is returned while Terraform validates and plans).
func (d recordedDiag) atApply() bool { return d.rpc == "ApplyResourceChange" }

// diagRecorder collects diagnostics across the provider processes of one
// test case (Terraform starts the provider anew for each command).
type diagRecorder struct {
	mu    sync.Mutex
	diags []recordedDiag
}

func (r *diagRecorder) record(rpc string, diags []*tfprotov6.Diagnostic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range diags {
		r.diags = append(r.diags, recordedDiag{rpc: rpc, severity: d.Severity, summary: d.Summary, detail: d.Detail, path: formatAttributePath(d.Attribute)})
	}
}

// errors returns the error diagnostics recorded so far.
func (r *diagRecorder) errors() []recordedDiag {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []recordedDiag
	for _, d := range r.diags {
		if d.severity == tfprotov6.DiagnosticSeverityError {
			out = append(out, d)
		}
	}
	return out
}

// recordingProviders are provider factories whose servers record into rec.
func recordingProviders(rec *diagRecorder) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"gcpinvoke": func() (tfprotov6.ProviderServer, error) {
			s, err := providerserver.NewProtocol6WithError(New("test")())()
			if err != nil {
				return nil, err
			}
			return recordingServer{ProviderServer: s, rec: rec}, nil
		},
	}
}

// recordingServer is the provider server with the RPCs that return
// user-facing diagnostics recorded.
type recordingServer struct {
	tfprotov6.ProviderServer
	rec *diagRecorder
}

func (s recordingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	resp, err := s.ProviderServer.ValidateProviderConfig(ctx, req)
	if resp != nil {
		s.rec.record("ValidateProviderConfig", resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	resp, err := s.ProviderServer.ConfigureProvider(ctx, req)
	if resp != nil {
		s.rec.record("ConfigureProvider", resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	resp, err := s.ProviderServer.ValidateResourceConfig(ctx, req)
	if resp != nil {
		s.rec.record("ValidateResourceConfig", resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	resp, err := s.ProviderServer.ValidateDataResourceConfig(ctx, req)
	if resp != nil {
		s.rec.record("ValidateDataResourceConfig", resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		s.rec.record("PlanResourceChange", resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := s.ProviderServer.ReadDataSource(ctx, req)
	if resp != nil {
		s.rec.record("ReadDataSource", resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		s.rec.record("ApplyResourceChange", resp.Diagnostics)
	}
	return resp, err
}

// formatAttributePath writes an attribute path as the configuration does:
// http_target.uri, http_target.headers["Host"], members[0].
func formatAttributePath(p *tftypes.AttributePath) string {
	if p == nil {
		return ""
	}
	var b strings.Builder
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case tftypes.AttributeName:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(s))
		case tftypes.ElementKeyString:
			fmt.Fprintf(&b, "[%q]", string(s))
		case tftypes.ElementKeyInt:
			fmt.Fprintf(&b, "[%d]", int64(s))
		default:
			b.WriteString("[*]")
		}
	}
	return b.String()
}
