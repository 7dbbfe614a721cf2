package emulator

import (
	"encoding/json"
	"net/http"
)

// The introspection API lives under /_emulator/, a prefix no Google API
// uses. It needs no token.
//
//	GET  /_emulator/health    {"status": "ok", "baseUrl": …}: for orchestration probes
//	GET  /_emulator/calls     API calls by method since the last reset
//	POST /_emulator/reset     zero the call counters
//	GET  /_emulator/state     dump of everything stored
//	GET  /_emulator/attempts  job/task/workflow executions and their outcome
//	GET  /_emulator/faults    the fault configuration
//	PUT  /_emulator/faults    replace it (JSON body of Faults)
func (e *Emulator) registerIntrospection() {}

func (e *Emulator) serveIntrospection(w http.ResponseWriter, r *http.Request) {
	switch r.Method + " " + r.URL.Path {
	case "GET /_emulator/health", "HEAD /_emulator/health":
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "baseUrl": e.BaseURL()})
	case "GET /_emulator/calls":
		writeJSON(w, http.StatusOK, e.Calls())
	case "POST /_emulator/reset":
		e.ResetCalls()
		writeJSON(w, http.StatusOK, map[string]any{})
	case "GET /_emulator/state":
		writeJSON(w, http.StatusOK, e.Snapshot())
	case "GET /_emulator/attempts":
		writeJSON(w, http.StatusOK, map[string]any{"attempts": e.Attempts()})
	case "GET /_emulator/faults":
		writeJSON(w, http.StatusOK, e.Faults())
	case "PUT /_emulator/faults":
		var f Faults
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
			writeError(w, errInvalid("faults: %v", err))
			return
		}
		e.SetFaults(f)
		writeJSON(w, http.StatusOK, e.Faults())
	default:
		writeError(w, errNotFound("No introspection endpoint %s %s.", r.Method, r.URL.Path))
	}
}

// Attempts returns every recorded execution attempt, oldest first.
func (e *Emulator) Attempts() []*Attempt {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]*Attempt, len(e.state.Attempts))
	for i, a := range e.state.Attempts {
		c := *a
		out[i] = &c
	}
	return out
}
