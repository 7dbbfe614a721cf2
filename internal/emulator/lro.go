package emulator

import (
	"encoding/json"
	"fmt"
	"time"
)

// Operation is a stored long-running operation. It reports done once the
// emulator's clock passes DoneAt (Options.LRODelay after creation).
type Operation struct {
	Name     string          `json:"name"`
	DoneAt   time.Time       `json:"doneAt"`
	Metadata json.RawMessage `json:"metadata,omitempty"`
	Response json.RawMessage `json:"response,omitempty"`
	Error    *rpcStatus      `json:"error,omitempty"`
}

// newOperation stores an operation named "<parent>/operations/<id>" (or
// "operations/<id>" when parent is empty). metaType and respType are the
// protobuf type names put in "@type" (e.g.
// "type.googleapis.com/google.cloud.run.v2.Service").
func (e *Emulator) newOperation(st *State, parent, metaType string, meta any, respType string, resp any, opErr *apiError) *Operation {
	id := fmt.Sprintf("op-%d", st.nextSeq())
	name := "operations/" + id
	if parent != "" {
		name = parent + "/operations/" + id
	}
	op := &Operation{Name: name, DoneAt: e.now().Add(e.opts.LRODelay)}
	op.Metadata = withType(metaType, meta)
	if opErr != nil {
		op.Error = opErr.rpcStatus()
	} else {
		op.Response = withType(respType, resp)
	}
	st.Operations[name] = op
	return op
}

// withType marshals v as a JSON object with an "@type" field.
func withType(typ string, v any) json.RawMessage {
	if typ == "" && v == nil {
		return nil
	}
	m := map[string]any{}
	if v != nil {
		data, _ := json.Marshal(v)
		_ = json.Unmarshal(data, &m)
	}
	if typ != "" {
		m["@type"] = typ
	}
	data, _ := json.Marshal(m)
	return data
}

// wire is the operation as Google returns it at time now.
func (op *Operation) wire(now time.Time) map[string]any {
	out := map[string]any{"name": op.Name}
	if op.Metadata != nil {
		out["metadata"] = op.Metadata
	}
	if now.Before(op.DoneAt) {
		return out
	}
	out["done"] = true
	if op.Error != nil {
		out["error"] = op.Error
	} else if op.Response != nil {
		out["response"] = op.Response
	}
	return out
}

// getOperation answers operations.get for a stored operation name.
func (e *Emulator) getOperation(name string) (any, error) {
	var out map[string]any
	err := e.read(func(st *State) error {
		op, ok := st.Operations[name]
		if !ok {
			return errNotFound("Operation %s not found.", name)
		}
		out = op.wire(e.now())
		return nil
	})
	return out, err
}
